"""The respondent's questionnaire (no account: the link is the key), and the phone
interviewer's call list, which keys answers on the same questionnaire."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.rosters.services import cipher
from integrity.apps.throttle import counters
from integrity.apps.throttle.addresses import client_address
from integrity.surveys.pages import CHECK_PREFIX, PageError, question_count, visible_items

from . import services
from .forms import PhoneRequestForm
from .models import CallAssignment, CallAttempt, ContactKind, Disposition, InvitationStatus

LINK_WINDOW = 600  # seconds in which wrong links are counted


def _client_ip(request) -> str:
    return client_address(request)  # the client, not our proxy (throttle.addresses)


def _link_or_stop(request, token: str, *, opted_out_ok: bool = False):
    """The invitation of a link, or a response to send instead (polite, rate limited).
    ``opted_out_ok``: an opted-out link is let through (to undo the opt-out)."""
    invitation = services.find_invitation(token) if len(token) <= 64 else None
    if invitation is None:
        # Wrong links are counted per address in counters every process shares; a valid
        # link is never refused for its address's failures (people behind one NAT).
        if counters.hit("wrong-link", _client_ip(request), window=LINK_WINDOW) > settings.INTEGRITY_LINK_FAILURES:
            response = _stop(request, "slow", 429, token=token)
            response["Retry-After"] = str(LINK_WINDOW)
            return None, response
        return None, _stop(request, "unknown", 404, token=token)
    if invitation.used:  # a repeated final submit (double click, retry) is thanked again
        return None, _stop(request, "thanks" if request.method == "POST" else "used", token=token)
    if invitation.status == InvitationStatus.OPTED_OUT and not opted_out_ok:
        return None, _stop(request, "opted_out", token=token)
    if invitation.status == InvitationStatus.QUOTA_FULL:
        return None, _stop(request, "quota_full", token=token)
    if invitation.status == InvitationStatus.WITHDRAWN:
        return None, _stop(request, "withdrawn", token=token)
    # The quota is looked at on arrival; between pages it is left to the completion,
    # which counts it under a lock and refuses politely when it is met.
    if request.method == "GET" and services.quota_full(invitation):
        return None, _stop(request, "quota_full", token=token)
    return invitation, None


# Messages of the pure page checks, for the translation catalogue.
PAGE_ERRORS = (gettext_noop("이 문항에 답해 주세요"), gettext_noop("보기 가운데 하나를 골라 주세요"))


def _questions(flow, errors=None, posted=None):
    page = flow.page
    language = get_language()
    errors = {k: gettext(v) for k, v in (errors or {}).items()}
    shown = []
    number = 0
    for item in visible_items(flow.model, page, flow.answers):
        number += 1
        chosen = (posted or {}).get(item.code) or flow.answers.get(item.code)
        labels = item.answer.labels(language).items()
        if item.gate and item.answer.values:  # asked only after "yes": "none" would contradict that answer
            labels = [(c, label) for c, label in labels if item.answer.values[c] > 0]
        options = tuple((str(c), label) for c, label in labels)
        shown.append(_fieldset(number, item.code, item.question(language), options, item.answer.kind == "likert",
                               (errors or {}).get(item.code), None if chosen is None else str(chosen)))
    yes_no = (("1", "Yes"), ("2", "No")) if language == "en" else (("1", "예"), ("2", "아니오"))
    for code, text in page.checks:
        number += 1
        name = CHECK_PREFIX + code
        question = flow.model.questionnaire.checks_en.get(code, text) if language == "en" else text
        saved = flow.answers.get(name)
        chosen = (posted or {}).get(name) or (None if saved is None else str(saved))
        shown.append(_fieldset(number, name, question, yes_no, False, (errors or {}).get(name), chosen))
    return shown


@lru_cache(maxsize=4096)
def _fieldset(number, name, text, options, likert, error, chosen) -> str:
    """One question as HTML (cached: the same question renders the same way)."""
    options_html = format_html_join(
        "", '<label class="option"><input type="radio" name="{}" value="{}" required{}><span>{}</span></label>',
        ((name, value, mark_safe(" checked") if value == chosen else "", label) for value, label in options),
    )
    return format_html(
        '<fieldset class="question{}{}"{}><legend>{}. {}</legend>{}<div class="options">{}</div></fieldset>',
        " likert" if likert else "", " invalid" if error else "",
        format_html(' aria-describedby="err-{}"', name) if error else "", number, text,
        format_html('<p class="error" id="err-{}">{}</p>', name, error) if error else "", options_html,
    )


def _render_page(request, flow, *, action, errors=None, posted=None, assignment=None, token=""):
    interviewer = assignment is not None
    done, total = flow.progress

    def context(action=action):
        language = get_language()
        survey = flow.model.survey(flow.invitation.survey)
        return {
            "flow": flow, "page": flow.page, "page_title": flow.page.heading(language),
            "survey_title": survey.title(language), "action": action, "step": done + 1, "steps": total,
            "errors": errors, "survey": survey, "institution": flow.invitation.institution,
            "task": flow.invitation.task, "interviewer": interviewer, "token": token,
            "questions": _questions(flow, errors, posted), "can_go_back": flow.can_go_back,
            "last_page": flow.page_index == len(flow.pages) - 1,
            "base_template": "fieldwork/interviewer_base.html" if interviewer else "fieldwork/survey_base.html",
            "assignment": assignment,
        }

    # Pages that differ from one person to the next are rendered for this request: errors,
    # answers already given on this page (after 'back'), the interviewer's (site menu).
    if errors or posted or interviewer or _answered_here(flow):
        return render(request, "fieldwork/page.html", context(), status=400 if errors else 200)
    gates = tuple(flow.answers.get(i.gate) for i in flow.page.items if i.gate)
    key = ("page", *_shown_names(flow.invitation), flow.invitation.survey, flow.page_index, gates, done, total,
           interviewer, flow.model.version)
    return _shared_page(request, key, "fieldwork/page.html", lambda: context(action=""), token=token)


def _answered_here(flow) -> bool:
    page = flow.page
    return any(i.code in flow.answers for i in page.items) or any(CHECK_PREFIX + c in flow.answers for c, _ in page.checks)


def _shown_names(invitation) -> tuple:
    """What a shared page shows of the link's institution and task (a renamed body
    shows its new name once the per-process context is reloaded)."""
    task = invitation.task
    return invitation.institution.pk, invitation.institution.name, task and task.pk, task and task.name


def _shared_page(request, key: tuple, template: str, context, *, token: str = "", status: int = 200) -> HttpResponse:
    """A page that looks the same for everyone shown it (a question page at the same
    step, the introduction, a closing note): rendered once per process and language,
    then this request's form token, path and link filled in."""
    key = (template, get_language(), *key)
    html = _SHARED.get(key)
    if html is None:
        html = render_to_string(template, context() | {"csrf_token": _CSRF, "path": _PATH, "token": _TOKEN})
        if len(_SHARED) > 5000:
            _SHARED.clear()
        _SHARED[key] = html
    if token:  # a respondent's page: the link is the key, no form token, no cookie
        html = html.replace(_TOKEN, escape(quote(token, safe="")))  # as typed: a wrong link may hold anything
    else:
        html = html.replace(_CSRF, get_token(request)).replace(_PATH, escape(request.get_full_path()))
    return HttpResponse(html, status=status)


def _stop(request, reason: str, status: int = 200, *, token: str = "") -> HttpResponse:
    return _shared_page(request, (reason, bool(token)), "fieldwork/stop.html", lambda: {"reason": reason}, status=status,
                        token=token)


_SHARED: dict[tuple, str] = {}
_CSRF = "CSRF-PLACEHOLDER-7f3a"
_PATH = "PATH-PLACEHOLDER-7f3a"
_TOKEN = "TOKEN-PLACEHOLDER-7f3a"


# The respondent's views need no CSRF protection: the link's token is the credential,
# there is no session or cookie a third-party page could ride on, and a page that
# knows the token has no need of the respondent's browser. Respondents get no cookie.
@csrf_exempt
def survey(request, token: str):
    invitation, stop = _link_or_stop(request, token)
    if stop:
        return stop
    flow = services.flow_for(invitation)
    action = request.path
    if request.method == "POST" and "start" in request.POST:  # the first page answers the start button (no redirect round trip)
        return _render_page(request, services.start(invitation), action=action, token=token)
    # A post to a link not yet started (a stale tab, a bot) shows the introduction again:
    # its "no current page" is not a finished questionnaire.
    if request.method == "POST" and flow.page_index >= 0:
        if "back" in request.POST:
            flow = services.go_back(invitation, _int(request.POST.get("page")), flow)
            if flow.page is None:
                return _finish(request, invitation, "web", lambda: _stop(request, "thanks", token=token), token)
            return _render_page(request, flow, action=action, token=token)
        try:
            flow, finished = services.submit_page(invitation, _int(request.POST.get("page")), request.POST, flow)
        except PageError as exc:
            return _render_page(request, flow, action=action, errors=exc.errors, posted=request.POST, token=token)
        if finished or flow.page is None:  # done now, or by a parallel submit of the same last page
            return _finish(request, invitation, "web", lambda: _stop(request, "thanks", token=token), token)
        # The next page comes in this response (no redirect round trip): the URL is the
        # same, and a repeated POST of a saved page is recognised and changes nothing.
        return _render_page(request, flow, action=action, token=token)
    if flow.page_index < 0:
        model = flow.model
        language = get_language()
        survey = model.survey(invitation.survey)
        return _shared_page(request, ("intro", *_shown_names(invitation), invitation.survey, model.version),
                            "fieldwork/intro.html", lambda: {
            "invitation": invitation, "survey_title": survey.title(language), "intro": survey.introduction(language),
            "anonymity": model.questionnaire.text("anonymity", language),
            "purpose": model.questionnaire.text("purpose", language), "action": "",
            "minutes": _minutes(flow.pages), "contact": settings.INTEGRITY_SURVEY_CONTACT,
        }, token=token)
    if flow.page is None:  # all pages answered but not stored (e.g. a failed request): store now
        return _finish(request, invitation, "web", lambda: redirect("fieldwork:thanks", token=token), token)
    return _render_page(request, flow, action=action, token=token)


def _minutes(pages) -> int:
    """About how long the questionnaire takes, from the number of questions."""
    return max(1, -(-question_count(pages) * settings.INTEGRITY_SECONDS_PER_QUESTION // 60))


def _finish(request, invitation, mode, then, token=""):
    try:
        services.complete(invitation.pk, mode, _client_ip(request))
    except services.QuotaFull:
        return _stop(request, "quota_full", token=token)
    except services.Withdrawn:
        return _stop(request, "withdrawn", token=token)
    return then()


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -2


def thanks(request, token: str):
    """The same page for every link, valid or not, answered or not: it tells nothing
    about the link, so it needs no lookup and no rate limit."""
    return _stop(request, "thanks", token=token)


@csrf_exempt
def opt_out(request, token: str):
    """Opt out (a one-button confirmation); undone from the same link (``opt_in``)."""
    invitation, stop = _link_or_stop(request, token)
    if stop:
        return stop
    if request.method == "POST":
        services.opt_out(invitation)
        return _stop(request, "opted_out", token=token)
    return render(request, "fieldwork/confirm.html", {"kind": "opt_out", "token": token})


@csrf_exempt
@require_POST
def opt_in(request, token: str):
    invitation, stop = _link_or_stop(request, token, opted_out_ok=True)
    if stop:
        return stop
    services.opt_in(invitation)
    return redirect("fieldwork:survey", token=token)


@csrf_exempt
def phone(request, token: str):
    """A phone interview instead: the respondent may give another number and a time."""
    invitation, stop = _link_or_stop(request, token)
    if stop:
        return stop
    form = PhoneRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.ask_for_phone(invitation, form.cleaned_data["phone"], form.cleaned_data["window"])
        return _stop(request, "phone", token=token)
    return render(request, "fieldwork/confirm.html", {"kind": "phone", "token": token, "form": form},
                  status=400 if form.errors else 200)


@csrf_exempt
@require_POST
def resend(request, token: str):
    """'Send me the link by text (or e-mail) instead', from the survey's first page: to
    the roster's number or address only, never one typed here."""
    from .channels import resend_by

    invitation, stop = _link_or_stop(request, token)
    if stop:
        return stop
    to = request.POST.get("to")
    if to not in ("sms", "email"):
        return redirect("fieldwork:survey", token=token)
    outcome = resend_by(invitation.pk, to)
    return _stop(request, outcome, 200 if outcome.startswith("sent_") else 400, token=token)


def language(request, token: str, code: str):
    """The respondent's choice of language (a link, not a form: see ``survey``)."""
    response = redirect("fieldwork:survey", token=token)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, httponly=True)
    return response


# --- phone interviewers -------------------------------------------------------------

@require_role(Role.INTERVIEWER, Role.ADMIN)
def call_list(request):
    """An interviewer's open calls; an administrator sees every interviewer's, with a filter."""
    from integrity.web.listing import Filter, paged_list

    admin = role_of(request.user) == Role.ADMIN
    assignments = CallAssignment.objects.filter(closed=False).select_related(
        "invitation__institution", "invitation__task", "interviewer").order_by("callback_at", "pk")
    if not admin:
        assignments = assignments.filter(interviewer=request.user)
    rows = list(assignments)
    people = sorted({(str(a.interviewer_id), a.interviewer.get_username()) for a in rows}, key=lambda p: p[1])
    listing = paged_list(
        request, rows, text=lambda a: f"{a.invitation.institution.name} {a.invitation.task.name if a.invitation.task else ''}",
        filters=[Filter("interviewer", "조사원", people, lambda a, v: str(a.interviewer_id) == v)] if admin else [],
        sorts={"callback": ("다시 걸 시각", lambda a: a.callback_at.timestamp() if a.callback_at else None)})
    return render(request, "fieldwork/calls.html", {"listing": listing, "now": timezone.now(), "admin": admin})


def _assignment(request, assignment_id: int) -> CallAssignment:
    assignment = get_object_or_404(CallAssignment.objects.select_related("invitation__institution__year", "invitation__task",
                                                                         "invitation__member__entry"), pk=assignment_id)
    if assignment.interviewer_id != request.user.pk:
        raise PermissionDenied("다른 조사원의 통화 목록입니다")
    return assignment


@require_role(Role.INTERVIEWER, Role.ADMIN)
def call(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    invitation = assignment.invitation
    entry = invitation.member.entry
    requested = cipher().decrypt(invitation.callback_phone_enc) if invitation.callback_phone_enc else None
    person = {"name": cipher().decrypt(entry.name_enc), "phone": _national(requested or cipher().decrypt(entry.phone_enc)),
              "requested": bool(requested), "window": invitation.get_callback_window_display() if invitation.callback_window else ""}
    # "Complete" only opens the questionnaire, so it comes last, after the outcomes that record a call.
    dispositions = [c for c in Disposition.choices if c[0] != Disposition.COMPLETE] + [
        c for c in Disposition.choices if c[0] == Disposition.COMPLETE]
    return render(request, "fieldwork/call.html", {
        "assignment": assignment, "person": person, "attempts": assignment.attempts.order_by("-at"),
        "dispositions": dispositions, "suspended": request.GET.get("suspended") == "1",
    })


@require_POST
@require_role(Role.INTERVIEWER, Role.ADMIN)
def record_attempt(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    disposition = request.POST.get("disposition")
    if disposition not in Disposition.values:
        messages.error(request, "통화 결과를 골라 주세요")
        return redirect("fieldwork:call", assignment_id=assignment.pk)
    if disposition == Disposition.COMPLETE:
        services.start(assignment.invitation)
        return redirect("fieldwork:call_survey", assignment_id=assignment.pk)
    callback = request.POST.get("callback_at") or None
    CallAttempt.objects.create(assignment=assignment, disposition=disposition, note=request.POST.get("note", "")[:300])
    final = {Disposition.REFUSAL: InvitationStatus.REFUSED, Disposition.WRONG_NUMBER: InvitationStatus.INELIGIBLE,
             Disposition.INELIGIBLE: InvitationStatus.INELIGIBLE}
    if disposition in final:
        assignment.closed = True
        type(assignment.invitation).objects.filter(pk=assignment.invitation_id).update(status=final[disposition])
    assignment.callback_at = _parse_local(callback) if disposition == Disposition.CALLBACK and callback else assignment.callback_at
    assignment.save(update_fields=["closed", "callback_at"])
    messages.success(request, "통화 결과를 기록했습니다")
    return redirect("fieldwork:calls")


def _national(e164: str | None) -> str:
    """+821012345678 -> 010-1234-5678, as an interviewer dials it."""
    import phonenumbers

    if not e164:
        return "–"
    return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)


def _parse_local(text: str):
    from datetime import datetime

    try:
        return timezone.make_aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def keyed_mode(assignment: CallAssignment) -> str:
    """The mode of an interview an interviewer keys: "visit" for a visit to a policy
    customer (a paper or tablet interview keyed here), else "phone"."""
    if assignment.kind == ContactKind.VISIT and assignment.invitation.survey == "policy":
        return "visit"
    return "phone"


@require_role(Role.INTERVIEWER, Role.ADMIN)
def call_survey(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    invitation = assignment.invitation
    if invitation.used:
        messages.info(request, "이미 응답이 끝난 대상자입니다")
        return redirect("fieldwork:calls")
    if invitation.status == InvitationStatus.WITHDRAWN:
        messages.info(request, "표본을 다시 추출해 철회된 대상자입니다")
        return redirect("fieldwork:calls")
    flow = services.flow_for(invitation)
    if flow.page_index < 0:
        flow = services.start(invitation)
    if request.method == "POST" and "back" in request.POST:
        services.go_back(invitation, _int(request.POST.get("page")), flow)
        return redirect(request.path)
    if request.method == "POST":
        try:
            flow, finished = services.submit_page(invitation, _int(request.POST.get("page")), request.POST)
        except PageError as exc:
            return _render_page(request, flow, action=request.path, errors=exc.errors, posted=request.POST,
                                assignment=assignment)
        if finished or flow.page is None:
            def done():
                CallAttempt.objects.create(assignment=assignment, disposition=Disposition.COMPLETE)
                CallAssignment.objects.filter(pk=assignment.pk).update(closed=True)
                messages.success(request, "응답을 저장했습니다")
                return redirect("fieldwork:calls")
            return _finish(request, invitation, keyed_mode(assignment), done)
        return redirect(request.path)
    return _render_page(request, flow, action=request.path, assignment=assignment)
