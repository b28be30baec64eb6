"""Invitations, the respondent's way through the questionnaire, and completion.

Links carry a random token of 136 bits; only its SHA-256 is used to find the
invitation (the token itself is kept encrypted, for reminders). Answers in
progress are kept encrypted on the invitation; once the questionnaire is completed
they wait there until a batch of their kind is released as anonymous responses
(``release``), and are then deleted.
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
from django.utils import timezone

from integrity.apps.registry.models import Institution, TargetTask
from integrity.apps.rosters.services import cipher
from integrity.apps.sampling.models import Draw
from integrity.apps.throttle.addresses import network_of
from integrity.surveys.pages import Page, clean_answers, next_page, page_plan, previous_page, step_of

from . import release, store
from .channels import first_channel
from .models import Channel, Invitation, InvitationStatus, QuotaFill

TOKEN_BYTES = 17  # 136 bits, 23 characters: short enough for a text message
SURVEY_OF_FORM = {"external": "external", "staff_2_1": "internal", "experts_3_1": "policy", "stakeholders_3_2": "policy",
                  "transferred_3_3": "policy"}
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
    if survey is None or survey not in draw.upload.institution.year.model.survey_codes:
        return 0  # a list whose survey the year's model does not ask (2022+: no policy-customer survey)
    c = cipher()
    made = []
    rated = rated_body(draw)  # whom a person on this list rates: the roster's body, or a former one (서식 3-3)
    group = GROUP_OF_FORM.get(form) or transferred_group(draw)
    # Someone who answered on a replaced draw of the same roster is not asked again.
    answered = Invitation.objects.filter(member__draw__upload_id=draw.upload_id, used=True).values("member__entry_id")
    members = draw.members.select_related("entry").exclude(invitation__isnull=False).exclude(entry_id__in=answered)
    asked = policy_contacts(draw) if survey == "policy" else set()
    messenger = draw.upload.institution.year.model.fieldwork.mobile_delivery == "messenger"
    for member in members:
        entry = member.entry
        channel = first_channel(entry, messenger=messenger)
        institution_id = rated(entry)
        if channel is None or institution_id is None:
            continue
        if survey == "policy":
            keys = {(institution_id, k) for k in (entry.phone_key, entry.email_key) if k}
            if keys & asked:
                continue
            asked |= keys
        token = secrets.token_urlsafe(TOKEN_BYTES)
        made.append(Invitation(
            member=member, institution_id=institution_id, task_id=entry.task_id, survey=survey,
            group=group, office=entry.attributes.get("office", "") or "",
            token_hash=token_hash(token), token_enc=c.encrypt(token), channel=channel,
        ))
    Invitation.objects.bulk_create(made, batch_size=2000)
    # Each task's counter exists before its first completion, which then only updates it.
    QuotaFill.objects.bulk_create([QuotaFill(task_id=t) for t in {i.task_id for i in made} - {None}], ignore_conflicts=True)
    return len(made)


def policy_contacts(draw: Draw) -> set[tuple[int, str]]:
    """(rated body, keyed phone or e-mail) of the year's open policy-customer invitations.
    One person is asked once per body: someone a body lists among its experts (퇴직·전출자)
    is often the one their new body lists as transferred in (서식 3-3)."""
    rows = (Invitation.objects.filter(institution__year_id=draw.upload.institution.year_id, survey="policy")
            .exclude(status=InvitationStatus.WITHDRAWN)
            .values_list("institution_id", "member__entry__phone_key", "member__entry__email_key"))
    return {(body, key) for body, phone, email in rows for key in (phone, email) if key}


def transferred_group(draw: Draw) -> str:
    """The policy-customer group transferred-in staff answer in (model file)."""
    rules = draw.upload.institution.year.model.fieldwork.transferred_in
    return rules.group if rules else "expert"


def rated_body(draw: Draw):
    """entry -> the id of the body the person rates. Staff transferred in (서식 3-3) rate
    their former body, found by the code the upload check resolved and wrote on the
    entry, among the same year's bodies that have a policy-customer survey; a body gone
    from the registry since (None) gets no invitation."""
    upload = draw.upload
    if upload.form_code != "transferred_3_3":
        return lambda entry: entry.institution_id
    model = upload.institution.year.model
    ids = {code: pk for pk, code, type_code in
           Institution.objects.filter(year_id=upload.institution.year_id).values_list("pk", "code", "type_code")
           if "policy" in model.required_surveys(type_code)}
    return lambda entry: ids.get(entry.attributes.get("previous_code") or "")


@dataclass(frozen=True)
class Flow:
    """Where a respondent stands: the pages and the answers so far."""

    invitation: Invitation | Link
    pages: tuple[Page, ...]
    answers: dict
    page_index: int  # -1: the introduction

    @property
    def page(self) -> Page | None:
        return self.pages[self.page_index] if 0 <= self.page_index < len(self.pages) else None

    @property
    def progress(self) -> tuple[int, int]:
        """(steps done, steps): a follow-up page counts with the page it follows."""
        step, steps = step_of(self.pages, self.page_index)
        return step - 1, steps

    @property
    def can_go_back(self) -> bool:
        return previous_page(self.model, self.pages, self.page_index, self.answers) is not None

    @property
    def model(self):
        return self.invitation.institution.year.model


_STATIC_SECONDS = 60  # how long fixed context (a link's institution and task) is reused
_static: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load):
    """A value that does not change during fieldwork, kept for a minute per process:
    each page then costs one small query for the part that does change."""
    hit = _static.get(key)
    if hit and time.monotonic() - hit[0] < _STATIC_SECONDS:
        return hit[1]
    value = load()
    if value is not None:
        if len(_static) > 100_000:
            _static.clear()
        _static[key] = (time.monotonic(), value)
    return value


def forget_cached() -> None:
    """Drop the per-process context (tests whose database reuses ids, a reload)."""
    _static.clear()


def _institution(pk: int) -> Institution:
    return _cached(("institution", pk), lambda: Institution.objects.select_related("year").get(pk=pk))


def _task(pk: int | None) -> TargetTask | None:
    return None if pk is None else _cached(("task", pk), lambda: TargetTask.objects.get(pk=pk))


@dataclass
class Link:
    """A survey link as the page statements read it: what an ``Invitation`` instance
    would hold for the questionnaire, at a fraction of a model instance's cost."""

    pk: int
    institution_id: int
    task_id: int | None
    survey: str
    group: str
    office: str
    draft_enc: bytes | None
    used: bool
    status: str
    channel: str
    institution: Institution
    task: TargetTask | None


def _link(fixed, draft, used, status, channel="") -> Link:
    pk, institution_id, task_id, survey, group, office = fixed
    return Link(pk, institution_id, task_id, survey, group, office, draft, used, status, channel,
                _institution(institution_id), _task(task_id))


def find_invitation(token: str) -> Link | None:
    key = token_hash(token)
    fixed = _cached(("link", key), lambda: store.invitation_context(key))
    if fixed is None:
        return None
    state = store.invitation_state(fixed[0])
    if state is None:
        _static.pop(("link", key), None)
        return None
    return _link(fixed, *state)


def flow_for(invitation: Invitation | Link) -> Flow:
    model = invitation.institution.year.model
    pages = page_plan(model, invitation.survey, invitation.institution.type_code)
    draft = json.loads(cipher().decrypt_bytes(invitation.draft_enc)) if invitation.draft_enc else {"answers": {}, "page": -1}
    return Flow(invitation, pages, draft["answers"], draft["page"])


def _save_draft(invitation: Invitation | Link, answers: dict, page: int) -> None:
    blob = cipher().encrypt_bytes(json.dumps({"answers": answers, "page": page}).encode())
    store.save_draft(invitation.pk, blob)
    invitation.draft_enc = blob  # keep the caller's instance current


def quota_full(invitation: Invitation | Link) -> bool:
    return invitation.task_id is not None and store.quota_met(invitation.task_id)


def start(invitation: Invitation | Link) -> Flow:
    """The respondent opened the link (or pressed 'start' on the introduction)."""
    flow = flow_for(invitation)
    if invitation.status in (InvitationStatus.CREATED, InvitationStatus.SENT):
        store.mark_opened(invitation.pk)
    if flow.page_index < 0:
        first = next_page(flow.model, flow.pages, -1, flow.answers)
        _save_draft(invitation, flow.answers, first)
        flow = Flow(invitation, flow.pages, flow.answers, first)
    return flow


def submit_page(invitation: Invitation | Link, posted_page: int, posted: dict, flow: Flow | None = None) -> tuple[Flow, bool]:
    """Save one page. Returns the new flow and whether the questionnaire is finished.

    A page posted twice (double click, retry) or out of turn changes nothing.
    ``flow`` is the invitation's flow if the caller has it already.
    """
    flow = flow or flow_for(invitation)
    if posted_page != flow.page_index or flow.page is None:
        return flow, False
    answers = {**flow.answers, **clean_answers(flow.model, flow.page, posted, flow.answers)}
    following = next_page(flow.model, flow.pages, flow.page_index, answers)
    _save_draft(invitation, answers, following if following is not None else len(flow.pages))
    return Flow(invitation, flow.pages, answers, following if following is not None else len(flow.pages)), following is None


def go_back(invitation: Invitation | Link, posted_page: int, flow: Flow | None = None) -> Flow:
    """The 'back' button: the previous page that applies, with the answers given there
    (kept: the page is shown with them chosen). A stale or repeated 'back' changes nothing."""
    flow = flow or flow_for(invitation)
    if posted_page != flow.page_index or flow.page is None:
        return flow
    previous = previous_page(flow.model, flow.pages, flow.page_index, flow.answers)
    if previous is None:
        return flow
    _save_draft(invitation, flow.answers, previous)
    return Flow(invitation, flow.pages, flow.answers, previous)


class QuotaFull(Exception):
    pass


class Withdrawn(Exception):
    """The link's draw was replaced while the questionnaire was open."""


def _source(ip: str | None) -> str:
    """The respondent's network (/24 or /48), as a keyed hash: for burst signals only."""
    if not ip:
        return "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), network_of(ip).encode(), hashlib.sha256).hexdigest()[:16]


def complete(invitation_id: int, mode: str, ip: str | None = None) -> bool:
    """Count the quota and mark the link used — one transaction; the answers stay
    encrypted on the invitation until a batch of their kind is released as responses
    (``release``: never in this transaction, which shares its id with the link).

    Returns False if the link was used already (a second submit stores nothing).
    Raises QuotaFull when the task's quota is already met (never overshoots); the
    link is then marked as such, and that mark is kept.
    """
    with transaction.atomic():
        row = store.lock_for_completion(invitation_id)
        if row is None or row[1]:  # gone, or used already
            return False
        if row[2] == InvitationStatus.WITHDRAWN:
            raise Withdrawn()
        invitation = _link(row[3:], row[0], False, InvitationStatus.OPENED)
        flow = flow_for(invitation)
        if flow.page_index < len(flow.pages):
            raise ValueError("questionnaire not finished")
        if invitation.task_id and not store.count_quota(invitation.task_id):
            store.close(invitation.pk, InvitationStatus.QUOTA_FULL)
            stored = False
        else:
            store.finish(invitation.pk, mode)
            store.count_tally(invitation.institution_id, timezone.now().replace(minute=0, second=0, microsecond=0),
                              _source(ip))
            stored = True
    if not stored:
        raise QuotaFull()
    release.release_ripe_quietly({"institution_id": invitation.institution_id, "survey": invitation.survey,
                                  "task_id": invitation.task_id, "office": invitation.office,
                                  "group": invitation.group, "mode": mode})
    return True


def opt_out(invitation: Invitation | Link) -> None:
    if not invitation.used:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.OPTED_OUT, draft_enc=None)


def opt_in(invitation: Invitation | Link) -> None:
    """Undo an opt-out from the same link: the invitation is open again."""
    if not invitation.used:
        Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.OPTED_OUT).update(status=InvitationStatus.OPENED)


def ask_for_phone(invitation: Invitation | Link, phone: str | None = None, window: str = "") -> None:
    """A phone interview instead: at the number the respondent gives (E.164, kept
    encrypted) or the roster's, in the time window chosen."""
    if not invitation.used:
        Invitation.objects.filter(pk=invitation.pk).update(
            status=InvitationStatus.PHONE, channel=Channel.PHONE, callback_window=window,
            callback_phone_enc=cipher().encrypt(phone) if phone else None)
