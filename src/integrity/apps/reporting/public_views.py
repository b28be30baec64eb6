"""The public side of 청렴신문고: report without an account, follow the case with the
receipt code and passphrase, answer the handler. No page here writes anything about
the visitor; codes travel only in POST bodies (never in a URL a log could keep)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext as _, gettext_noop
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from integrity.apps.throttle.addresses import client_address, network_of
from integrity.apps.throttle import counters
from integrity.model.names import english
from integrity.reporting import rules
from integrity.reporting.scrub import ACCEPTED_TEXT, AttachmentRefused

# the core's wording of the accepted files, marked here so the catalogue carries its English
ACCEPTED_MSGID = gettext_noop("사진(JPG·PNG), PDF, 워드(DOCX)")

from . import release, services
from .forms import FollowForm, ReplyForm, ReportForm
from .models import Side

FOLLOW_WINDOW = 600
FAILURE_WINDOW = 3600
SUBMIT_WINDOW = 86400
TOKEN_SALT = "reporting.follow"
TOKEN_AGE = 30 * 60  # a follow-up page stays usable this long


def private_page(view):
    """Nothing of these pages may stay in a cache or leak through a Referer to another site."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        response["Referrer-Policy"] = "same-origin"  # no-referrer would make the POST's Origin "null" (CSRF)
        return response
    return wrapped


def _hit(scope: str, request, window: int) -> int:
    """Count per network with a secret of the window that is deleted when the window
    ends (counters ``unlinkable``): afterwards no key, not even SECRET_KEY, tells
    which network sent something to the hotline."""
    return counters.hit(scope, network_of(client_address(request)), window=window, unlinkable=True)


def _limits():
    return {"max_mb": f"{settings.INTEGRITY_REPORT_ATTACHMENT_MAX_BYTES / 1_000_000:g}",
            "max_files": settings.INTEGRITY_REPORT_ATTACHMENTS, "accepted": _(ACCEPTED_TEXT)}


def _files(request) -> list[bytes]:
    limit = settings.INTEGRITY_REPORT_ATTACHMENT_MAX_BYTES
    out = []
    for uploaded in request.FILES.getlist("attachments")[: settings.INTEGRITY_REPORT_ATTACHMENTS + 1]:
        if uploaded.size and uploaded.size > limit:
            raise AttachmentRefused(_("파일이 너무 큽니다. 첨부 파일은 %(mb)s MB까지 올릴 수 있습니다") % {"mb": f"{limit / 1_000_000:g}"})
        out.append(uploaded.read(limit + 1))
    return out


@private_page
@sensitive_post_parameters()  # an error report must never carry a code, passphrase or report text
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        initial = {"institution": request.GET.get("institution", "")[:32]}
        return render(request, "reporting/report_form.html", {"form": ReportForm(initial=initial), **_limits()})
    form = ReportForm(request.POST)
    if _hit("report-submit", request, SUBMIT_WINDOW) > settings.INTEGRITY_REPORT_SUBMIT_PER_NETWORK:
        return render(request, "reporting/report_form.html",
                      {"form": form, "refused": _("이 네트워크에서 오늘 보낸 신고가 너무 많습니다. 내일 다시 보내거나 전화로 신고해 주세요."),
                       **_limits()}, status=429)
    if not form.is_valid():
        return render(request, "reporting/report_form.html", {"form": form, **_limits()}, status=400)
    data = form.cleaned_data
    identity = {"name": data["name"].strip(), "contact": data["contact"].strip()} if data["named"] else None
    try:
        made = services.submit_report(institution=data["institution"], kind=data["kind"], field=data["field"],
                                      title=data["title"], what=data["what"], when=data["when"], where=data["where"],
                                      identity=identity, files=_files(request))
    except AttachmentRefused as refused:
        return render(request, "reporting/report_form.html", {"form": form, "refused": str(refused), **_limits()},
                      status=400)
    return render(request, "reporting/receipt.html", {"receipt": made, "visible_by": visible_by(made.visible_by),
                                                      "batch": release.batch_size()})


def visible_by(when) -> str:
    """When a report or an answer sent now is released at the latest, in words."""
    return _("늦어도 %(month)s월 %(day)s일 %(hour)s시쯤") % {"month": when.month, "day": when.day, "hour": when.hour}


def _case_page(request, report, *, form=None, refused="", status=200, sent=0, just_sent=""):
    """``sent``: answers already sent from this page (carried in the token, so that
    several keep their order); ``just_sent``: the answer now waiting for release."""
    token = signing.dumps([str(report.pk), sent], salt=TOKEN_SALT)
    in_english = english(request.LANGUAGE_CODE)
    return render(request, "reporting/follow_case.html", {
        "report": report, "content": services.content(report), "thread": services.thread(report), "token": token,
        "field_name": rules.name_of("fields", report.field, in_english), "kind_name": rules.name_of("kinds", report.kind, in_english),
        "form": form or ReplyForm(), "refused": refused, "reporter_side": Side.REPORTER, "just_sent": just_sent,
        "visible_by": visible_by(release.next_release()), **_limits()}, status=status)


@private_page
@sensitive_post_parameters()  # an error report must never carry a code, passphrase or report text
@require_http_methods(["GET", "POST"])
def follow(request):
    """Code and passphrase in, the case out. Per network at most
    INTEGRITY_REPORT_FOLLOW_PER_NETWORK tries in 10 minutes, and at most
    INTEGRITY_REPORT_FOLLOW_FAILURES wrong ones an hour over everybody."""
    if request.method == "GET":
        return render(request, "reporting/follow.html", {"form": FollowForm()})
    form = FollowForm(request.POST)
    tries = _hit("report-follow", request, FOLLOW_WINDOW)
    failures = counters.count("report-follow-failures", "all", window=FAILURE_WINDOW, unlinkable=True)
    if tries > settings.INTEGRITY_REPORT_FOLLOW_PER_NETWORK or failures >= settings.INTEGRITY_REPORT_FOLLOW_FAILURES:
        return render(request, "reporting/follow.html", {"form": FollowForm(), "error": _(
            "시도가 너무 많습니다. 10분쯤 뒤에 다시 해 주세요.")}, status=429)
    found = None
    if form.is_valid():
        found = services.find_report(form.cleaned_data["code"], form.cleaned_data["passphrase"])
    if found is None:
        counters.hit("report-follow-failures", "all", window=FAILURE_WINDOW, unlinkable=True)
        # One answer for a malformed code, an unknown code and a wrong passphrase.
        # A report still waiting for release is not found either (nothing in clear could
        # find it): the message says so, the same for everybody.
        return render(request, "reporting/follow.html", {"form": FollowForm(), "error": _(
            "접수번호나 비밀번호가 맞지 않습니다. 다시 확인해 주세요."), "waiting_note": _(
            "새 신고는 하루 한 번의 일괄 접수 뒤에 여기에서 볼 수 있습니다(%(when)s). 그 전에는 맞는 접수번호도 "
            "이렇게 나옵니다.") % {"when": visible_by(release.next_release())}}, status=200)
    return _case_page(request, found)


@private_page
@sensitive_post_parameters()  # an error report must never carry a code, passphrase or report text
@require_http_methods(["POST"])
def follow_reply(request):
    """The reporter's answer, carried by the signed token of the page just shown."""
    try:
        report_id, sent = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_AGE)
        report = services.Report.objects.select_related("institution").get(pk=report_id)
    except (signing.BadSignature, services.Report.DoesNotExist, ValueError, TypeError):
        return render(request, "reporting/follow.html", {"form": FollowForm(), "error": _(
            "시간이 지나 화면이 닫혔습니다. 접수번호와 비밀번호를 다시 넣어 주세요.")}, status=200)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _case_page(request, report, form=form, status=400, sent=sent)
    try:
        services.reporter_message(report, form.cleaned_data["body"], _files(request), sent=sent)
    except (AttachmentRefused, services.CaseError) as refused:
        return _case_page(request, report, form=form, refused=str(refused), status=400, sent=sent)
    return _case_page(request, report, sent=sent + 1, just_sent=form.cleaned_data["body"])
