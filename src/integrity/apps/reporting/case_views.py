"""The integrity team's side of 청렴신문고: the case list, one case (every look
logged), its handling steps, the attachments, the named reporter's identity (the case
owner only) and the statistics."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from integrity import exports
from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.model.names import english
from integrity.reporting import rules
from integrity.reporting.scrub import MIME
from integrity.web import encrypted_files
from integrity.web.downloads import download
from integrity.web.listing import Filter, paged_list
from integrity.web.params import plain_int

from . import services
from .access import HANDLERS, STATISTICS_READERS, check_institution, is_case_owner, own_code, scope
from .models import Report, Side, Status


def _english(request) -> bool:
    return english(getattr(request, "LANGUAGE_CODE", None))


def _case(request, report_id) -> Report:
    report = get_object_or_404(Report.objects.select_related("institution", "assigned_to"), pk=report_id)
    check_institution(request.user, report.institution)
    return report


@require_role(*HANDLERS)
def cases(request):
    english = _english(request)
    today = timezone.localdate()
    rows = []
    for report in scope(Report.objects.select_related("institution", "assigned_to"), request.user):
        last = report.messages.order_by("-seq").values_list("side", flat=True).first()
        rows.append({"report": report, "title": services.content(report).get("title", ""),
                     "field": rules.name_of("fields", report.field, english),
                     "kind": rules.name_of("kinds", report.kind, english),
                     "overdue": services.is_overdue(report, today), "waiting": last == Side.REPORTER})
    listing = paged_list(
        request, rows,
        text=lambda r: f"{r['report'].reference} {r['title']} {r['report'].institution.name} {r['field']} {r['kind']}",
        filters=[
            Filter("status", _("처리 상태"), Status.choices, lambda r, v: r["report"].status == v),
            Filter("field", _("분야"), [(t.code, t.name_en if english else t.name) for t in rules.terms("fields").values()],
                   lambda r, v: r["report"].field == v),
            Filter("kind", _("신고 종류"), [(t.code, t.name_en if english else t.name) for t in rules.terms("kinds").values()],
                   lambda r, v: r["report"].kind == v),
            Filter("due", _("기한"), [("overdue", _("기한 지남")), ("open", _("처리 중"))],
                   lambda r, v: r["overdue"] if v == "overdue" else not r["report"].finished),
            Filter("mine", _("담당"), [("me", _("내가 담당")), ("none", _("담당자 없음"))],
                   lambda r, v: (r["report"].assigned_to_id == request.user.pk) if v == "me" else r["report"].assigned_to_id is None),
        ],
        sorts={"received": (_("접수일"), lambda r: r["report"].received_on), "due": (_("기한"), lambda r: r["report"].due_on)},
        default_sort="-received")
    return render(request, "reporting/cases.html", {"listing": listing})


def _assignees(report: Report, user):
    """Members of the institution's integrity team (any year's row of it), and an
    administrator may take a case too."""
    users = get_user_model().objects.filter(profile__role=Role.INTEGRITY_TEAM,
                                            profile__institution__code=report.institution.code, is_active=True)
    if role_of(user) == Role.ADMIN:
        users = users | get_user_model().objects.filter(pk=user.pk)
    return users.distinct().order_by("username")


def _case_context(request, report, **extra):
    english = _english(request)
    return {"report": report, "content": services.content(report), "thread": services.thread(report),
            "field_name": rules.name_of("fields", report.field, english),
            "kind_name": rules.name_of("kinds", report.kind, english),
            "overdue": services.is_overdue(report), "owner": is_case_owner(request.user, report),
            "assignees": _assignees(report, request.user),
            "protections": [(p, rules.name_of("protection_measures", p.measure, english)) for p in report.protections.all()],
            "measures": [(t.code, t.name_en if english else t.name) for t in rules.terms("protection_measures").values()],
            "listing": _access_listing(request, report), "reporter_side": Side.REPORTER,
            "attachments": [a for a in report.attachments.all() if a.message_id is None], **extra}


READS = {"viewed", "file", "identity"}  # log_access's actions that only looked


def _access_listing(request, report):
    """The case's whole access log: every look and change, searched, filtered and paged."""
    rows = list(report.accesses.select_related("user"))
    users = sorted({a.user.get_username() for a in rows if a.user is not None})
    return paged_list(
        request, rows, text=lambda a: f"{a.user.get_username() if a.user else ''} {a.detail} {a.action}",
        filters=[Filter("kind", _("구분"), [("read", _("열람")), ("change", _("처리"))],
                        lambda a, v: (a.action in READS) == (v == "read")),
                 Filter("user", _("사용자"), [(u, u) for u in users],
                        lambda a, v: a.user is not None and a.user.get_username() == v)],
        sorts={"at": (_("시각"), lambda a: a.at)}, default_sort="-at")


@never_cache  # the reporter's account of what happened
@require_role(*HANDLERS)
def case(request, report_id):
    report = _case(request, report_id)
    services.log_access(report, request.user, "viewed", "사건 열람")
    return render(request, "reporting/case.html", _case_context(request, report))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


@require_role(*HANDLERS)
@require_POST
def case_act(request, report_id):
    report = _case(request, report_id)
    action, post = request.POST.get("action", ""), request.POST
    try:
        if action == "accept":
            services.accept(report, request.user)
        elif action == "transfer":
            services.transfer(report, request.user, post.get("to", "")[:200], post.get("outcome", "")[:3000])
        elif action == "dismiss":
            services.dismiss(report, request.user, post.get("reason", "")[:3000])
        elif action == "close":
            services.close(report, request.user, post.get("outcome", "")[:3000], post.get("note", "")[:3000])
        elif action == "assign":
            assignee = _assignees(report, request.user).filter(pk=picked).first() \
                if (picked := plain_int(post.get("assignee"), max_digits=11)) is not None else None
            if post.get("assignee") and assignee is None:
                raise services.CaseError(_("이 기관의 청렴팀에서 담당자를 고르세요"))
            services.assign(report, request.user, assignee)
        elif action == "extend":
            due = _date(post.get("due_on", ""))
            if due is None:
                raise services.CaseError(_("새 기한을 날짜로 적어 주세요 (예: 2026-12-31)"))
            services.extend(report, request.user, due, post.get("reason", "")[:300])
        elif action == "ask":
            services.ask(report, request.user, post.get("body", "")[:5000])
        elif action == "protect":
            decided = _date(post.get("decided_on", "")) or timezone.localdate()
            services.protect(report, request.user, post.get("measure", "")[:24], post.get("description", "")[:300], decided)
        else:
            raise services.CaseError(_("알 수 없는 처리입니다"))
    except services.CaseError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("처리했습니다."))
    return redirect("reporting:case", report_id=report.pk)


@require_role(*HANDLERS)
def case_file(request, report_id, number):
    report = _case(request, report_id)
    attachment = report.attachments.filter(number=number).first() if number < 10_000 else None
    if attachment is None:
        raise Http404(_("첨부 파일이 없습니다"))
    services.log_access(report, request.user, "file", f"{attachment.name} 내려받기")
    return encrypted_files.attachment(services.attachment_bytes(attachment), attachment.name,
                                      MIME.get(attachment.kind, "application/octet-stream"))


@never_cache  # a named reporter's name and contact
@require_role(*HANDLERS)
@require_POST
def case_identity(request, report_id):
    """A named reporter's name and contact: to the case owner only, and logged."""
    report = _case(request, report_id)
    if not is_case_owner(request.user, report):
        raise PermissionDenied(_("실명 신고자의 인적사항은 사건 담당자만 볼 수 있습니다"))
    if not report.named:
        raise Http404(_("익명 신고입니다"))
    services.log_access(report, request.user, "identity", "신고자 인적사항 열람")
    return render(request, "reporting/case.html", _case_context(request, report, identity=services.identity(report)))


@require_role(*STATISTICS_READERS)
def statistics(request):
    """Reports by field and month (services.monthly_counts): a team its own body's."""
    english = _english(request)
    years = sorted({d.year for d in scope(Report.objects, request.user).dates("received_on", "year")} | {timezone.localdate().year})
    wanted = request.GET.get("year", "")
    year = asked if (asked := plain_int(wanted, max_digits=4)) in years else years[-1]
    code = own_code(request.user)
    counts = services.monthly_counts(year, [code] if code else None)
    fields = list(rules.terms("fields").values())
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    cell = {(c.month, c.field): c.count for c in counts}
    table = [{"month": m, "counts": [cell.get((m, f.code), 0) for f in fields],
              "total": sum(cell.get((m, f.code), 0) for f in fields)} for m in months]
    totals = [sum(cell.get((m, f.code), 0) for m in months) for f in fields]
    if request.GET.get("fmt") in exports.FORMATS and request.GET["fmt"] in ("csv", "xlsx"):
        columns = [exports.Column("month", _("월")), exports.Column("field", _("분야")), exports.Column("count", _("건수"), "int")]
        rows = [(c.month, rules.name_of("fields", c.field, english), c.count) for c in counts]
        return download(request.GET["fmt"], columns, rows, f"청렴신문고_통계_{year}")
    return render(request, "reporting/statistics.html", {
        "year": year, "years": years, "fields": [f.name_en if english else f.name for f in fields], "table": table,
        "totals": totals, "grand": sum(totals), "show_nav": role_of(request.user) in HANDLERS})
