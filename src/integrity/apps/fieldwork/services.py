"""Invitations, the respondent's way through the questionnaire, and completion.

Links carry a random token of 136 bits; only its SHA-256 is used to find the
invitation (the token itself is kept encrypted, for reminders). Answers in
progress are kept encrypted on the invitation and deleted when the questionnaire
is completed; the completed response is stored with no link back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrity.apps.rosters.services import cipher
from integrity.apps.sampling.models import Draw
from integrity.surveys.pages import CHECK_PREFIX, Page, clean_answers, next_page, page_applies, page_plan, scored_answers

from .models import Channel, CompletionTally, Invitation, InvitationStatus, QuotaFill, Response

TOKEN_BYTES = 17  # 136 bits, 23 characters: short enough for a text message
SURVEY_OF_FORM = {"external": "external", "staff_2_1": "internal", "experts_3_1": "policy", "stakeholders_3_2": "policy"}
GROUP_OF_FORM = {"external": "citizen", "staff_2_1": "staff", "experts_3_1": "expert", "stakeholders_3_2": "stakeholder"}
FINISHED = (InvitationStatus.COMPLETED, InvitationStatus.OPTED_OUT, InvitationStatus.REFUSED,
            InvitationStatus.INELIGIBLE, InvitationStatus.QUOTA_FULL)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(token: str) -> str:
    return f"{settings.INTEGRITY_PUBLIC_URL.rstrip('/')}/s/{token}/"


def invite_draw(draw: Draw) -> int:
    """One invitation per drawn person whose list has a survey; returns how many were made."""
    form = draw.upload.form_code
    survey = SURVEY_OF_FORM.get(form)
    if survey is None:
        return 0
    c = cipher()
    made = []
    members = draw.members.select_related("entry").exclude(invitation__isnull=False)
    for member in members:
        entry = member.entry
        channel = Channel.EMAIL if entry.email_enc else Channel.SMS if entry.phone_enc else None
        if channel is None:
            continue
        token = secrets.token_urlsafe(TOKEN_BYTES)
        made.append(Invitation(
            member=member, institution_id=entry.institution_id, task_id=entry.task_id, survey=survey,
            group=GROUP_OF_FORM[form], office=entry.attributes.get("office", "") or "",
            token_hash=token_hash(token), token_enc=c.encrypt(token), channel=channel,
        ))
    Invitation.objects.bulk_create(made, batch_size=2000)
    return len(made)


@dataclass(frozen=True)
class Flow:
    """Where a respondent stands: the pages and the answers so far."""

    invitation: Invitation
    pages: tuple[Page, ...]
    answers: dict
    page_index: int  # -1: the introduction

    @property
    def page(self) -> Page | None:
        return self.pages[self.page_index] if 0 <= self.page_index < len(self.pages) else None

    @property
    def progress(self) -> tuple[int, int]:
        applicable = [i for i, p in enumerate(self.pages) if page_applies(self.model, p, self.answers)]
        done = sum(1 for i in applicable if i < self.page_index)
        return done, len(applicable)

    @property
    def model(self):
        return self.invitation.institution.year.model


_STATIC_SECONDS = 60  # how long an invitation's fixed context (institution, task) is reused
_static: dict[str, tuple[float, tuple]] = {}


def _context(token: str) -> tuple | None:
    """The invitation's fixed part — id, institution (with its year), task — cached for a
    minute per process: each page then costs one small query for the changing part."""
    key = token_hash(token)
    hit = _static.get(key)
    if hit and time.monotonic() - hit[0] < _STATIC_SECONDS:
        return hit[1]
    invitation = Invitation.objects.select_related("institution__year", "task").filter(token_hash=key).first()
    if invitation is None:
        return None
    if len(_static) > 100_000:
        _static.clear()
    value = (invitation.pk, invitation.institution, invitation.task, invitation.survey, invitation.group, invitation.office)
    _static[key] = (time.monotonic(), value)
    return value


def find_invitation(token: str) -> Invitation | None:
    context = _context(token)
    if context is None:
        return None
    pk, institution, task, survey, group, office = context
    state = Invitation.objects.filter(pk=pk).values_list("draft_enc", "used", "status", "channel").first()
    if state is None:
        _static.pop(token_hash(token), None)
        return None
    draft, used, status, channel = state
    invitation = Invitation(pk=pk, survey=survey, group=group, office=office, draft_enc=draft, used=used, status=status,
                            channel=channel, token_hash=token_hash(token))
    invitation.institution = institution
    invitation.task = task
    return invitation


def flow_for(invitation: Invitation) -> Flow:
    model = invitation.institution.year.model
    pages = page_plan(model, invitation.survey, invitation.institution.type_code)
    draft = json.loads(cipher().decrypt_bytes(invitation.draft_enc)) if invitation.draft_enc else {"answers": {}, "page": -1}
    return Flow(invitation, pages, draft["answers"], draft["page"])


def _save_draft(invitation: Invitation, answers: dict, page: int) -> None:
    blob = cipher().encrypt_bytes(json.dumps({"answers": answers, "page": page}).encode())
    Invitation.objects.filter(pk=invitation.pk, used=False).update(draft_enc=blob)
    invitation.draft_enc = blob  # keep the caller's instance current


def quota_full(invitation: Invitation) -> bool:
    task = invitation.task
    if task is None:
        return False
    fill = QuotaFill.objects.filter(task_id=task.pk).values_list("completes", flat=True).first() or 0
    return fill >= task.quota


def start(invitation: Invitation) -> Flow:
    """The respondent opened the link (or pressed 'start' on the introduction)."""
    flow = flow_for(invitation)
    if invitation.status in (InvitationStatus.CREATED, InvitationStatus.SENT):
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.OPENED)
    if flow.page_index < 0:
        first = next_page(flow.model, flow.pages, -1, flow.answers)
        _save_draft(invitation, flow.answers, first)
        flow = Flow(invitation, flow.pages, flow.answers, first)
    return flow


def submit_page(invitation: Invitation, posted_page: int, posted: dict) -> tuple[Flow, bool]:
    """Save one page. Returns the new flow and whether the questionnaire is finished.

    A page posted twice (double click, retry) or out of turn changes nothing.
    """
    flow = flow_for(invitation)
    if posted_page != flow.page_index or flow.page is None:
        return flow, False
    answers = {**flow.answers, **clean_answers(flow.model, flow.page, posted, flow.answers)}
    following = next_page(flow.model, flow.pages, flow.page_index, answers)
    _save_draft(invitation, answers, following if following is not None else len(flow.pages))
    return Flow(invitation, flow.pages, answers, following if following is not None else len(flow.pages)), following is None


class QuotaFull(Exception):
    pass


def _source(ip: str | None) -> str:
    """The respondent's network (/24 or /48), as a keyed hash: for burst signals only."""
    if not ip:
        return "unknown"
    prefix = ".".join(ip.split(".")[:3]) if "." in ip else ":".join(ip.split(":")[:3])
    return hmac.new(settings.SECRET_KEY.encode(), prefix.encode(), hashlib.sha256).hexdigest()[:16]


def complete(invitation_id: int, mode: str, ip: str | None = None) -> Response | None:
    """Store the response, count the quota and mark the link used — one transaction.

    Returns None if the link was used already (a second submit stores nothing).
    Raises QuotaFull when the task's quota is already met (never overshoots).
    """
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update(of=("self",))
                      .select_related("institution__year", "task").get(pk=invitation_id))
        if invitation.used:
            return None
        flow = flow_for(invitation)
        if flow.page_index < len(flow.pages):
            raise ValueError("questionnaire not finished")
        if invitation.task_id:
            fill, _ = QuotaFill.objects.get_or_create(task_id=invitation.task_id)
            fill = QuotaFill.objects.select_for_update().get(pk=fill.pk)
            if fill.completes >= invitation.task.quota:
                Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.QUOTA_FULL, draft_enc=None)
                raise QuotaFull()
            QuotaFill.objects.filter(pk=fill.pk).update(completes=F("completes") + 1)
        checks = {k[len(CHECK_PREFIX):]: v for k, v in flow.answers.items() if k.startswith(CHECK_PREFIX)}
        response = Response.objects.create(
            institution_id=invitation.institution_id, survey=invitation.survey, task_id=invitation.task_id,
            office=invitation.office, group=invitation.group, mode=mode,
            answers=scored_answers(flow.model, invitation.survey, flow.answers),
            favour_requested=None if "favour_requested" not in checks else checks["favour_requested"] == 1,
            completed_on=_week_of(timezone.localdate()),
        )
        Invitation.objects.filter(pk=invitation.pk).update(used=True, status=InvitationStatus.COMPLETED, draft_enc=None)
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        tally, _ = CompletionTally.objects.get_or_create(institution_id=invitation.institution_id, hour=hour, source=_source(ip))
        CompletionTally.objects.filter(pk=tally.pk).update(completes=F("completes") + 1)
    return response


def _week_of(day):
    """The Monday of the week: coarser than the day, so that a completion seen
    elsewhere (a call record, a log line) cannot single out its response."""
    from datetime import timedelta

    return day - timedelta(days=day.weekday())


def opt_out(invitation: Invitation) -> None:
    if not invitation.used:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.OPTED_OUT, draft_enc=None)


def ask_for_phone(invitation: Invitation) -> None:
    if not invitation.used:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.PHONE, channel=Channel.PHONE)
