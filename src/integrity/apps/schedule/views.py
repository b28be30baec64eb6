"""The schedule page (every signed-in role), its editing (administrators), the deadline
view with reminders and extensions. Who sees which institutions is decided in
``visible_institutions``; roles in accounts.roles."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrity import exports
from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import liaison_institution, require_role, role_of
from integrity.apps.audit.services import record
from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.rosters import get_form
from integrity.web.downloads import download
from integrity.registry import regions
from integrity.web.listing import Filter, paged_list

from .forms import DeadlineFormSet, ExtensionForm, PhaseFormSet, RemindForm
from .models import Reminder
from .plan import create_schedule, due_dates, grant_extension, phases_of, today
from .reminders import remind, stage_label
from .status import STATUS_LABELS, deadline_rows, totals

EVERYONE = tuple(Role)  # every signed-in role sees the calendar
FILTERS = ("q", "type", "form", "status", "late", "sort")


def _year_for(user) -> AssessmentYear | None:
    if role_of(user) == Role.LIAISON:
        own = liaison_institution(user)
        return own.year if own else None
    return AssessmentYear.objects.first()


def officer_of(user):
    try:
        return user.officer
    except (ObjectDoesNotExist, AttributeError):
        return None


def visible_institutions(user, year: AssessmentYear):
    """Administrators: every institution; a liaison: their own; an officer (a non-
    administrator linked to the commission's officer): the institutions in their care;
    other analysts read everything."""
    role = role_of(user)
    if role == Role.LIAISON:
        own = liaison_institution(user)
        return Institution.objects.filter(pk=own.pk) if own else Institution.objects.none()
    officer = officer_of(user) if role == Role.ANALYST else None
    if officer is not None:
        return year.institutions.filter(officer=officer)
    if role in (Role.ADMIN, Role.ANALYST):
        return year.institutions.all()
    return Institution.objects.none()


@require_role(*EVERYONE)
def index(request):
    year = _year_for(request.user)
    day = today()
    phases = phases_of(year)
    own_rows = []
    if year and role_of(request.user) == Role.LIAISON:
        own_rows = deadline_rows(year, visible_institutions(request.user, year), day)
    dues = sorted(due_dates(year).items(), key=lambda kv: (kv[1], kv[0])) if year else []
    return render(request, "schedule/index.html", {
        "year": year, "today": day, "phases": phases, "current": [p for p in phases if p.starts <= day <= p.ends],
        "own_rows": own_rows, "dues": [(get_form(code).title, due) for code, due in dues],
        "can_edit": role_of(request.user) == Role.ADMIN,
    })


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN)
def edit(request):
    year = AssessmentYear.objects.first()
    if year is None:
        raise Http404(_("등록된 측정 연도가 없습니다"))
    if request.method == "POST" and "create" in request.POST:
        create_schedule(year, request.user)
        messages.success(request, _("{year} 기본 일정을 만들었습니다").format(year=year))
        return redirect("schedule:edit")
    phases = PhaseFormSet(request.POST or None, queryset=year.phases.all(), prefix="phase")
    dues = DeadlineFormSet(request.POST or None, queryset=year.form_deadlines.order_by("form_code"), prefix="due")
    if request.method == "POST" and phases.is_valid() and dues.is_valid():
        with transaction.atomic():
            changed = [f"{f.instance.get_kind_display()} {f.instance.starts}~{f.instance.ends}" for f in phases.forms if f.has_changed()]
            changed += [f"{f.instance.form_code} {f.instance.due}" for f in dues.forms if f.has_changed()]
            phases.save()
            dues.save()
            if changed:
                record(request.user, "schedule.edited", year, f"{year} 일정 변경: {'; '.join(changed)}"[:300], changes=changed)
        messages.success(request, _("일정을 저장했습니다"))
        return redirect("schedule:index")
    titles = {f.instance.form_code: get_form(f.instance.form_code).title for f in dues.forms}
    return render(request, "schedule/edit.html", {"year": year, "phases": phases, "dues": dues, "titles": titles})


def _listing(request, params):
    """The deadline rows the reader may see, searched and filtered by ``params`` (the
    URL's query, or the reminder form's copy of it)."""
    year = _year_for(request.user)
    if year is None:
        return None, None, []
    rows = deadline_rows(year, visible_institutions(request.user, year), today())
    types = sorted({(r.institution.type_code, r.institution.type_name) for r in rows}, key=lambda t: t[1])
    forms = sorted({(r.form_code, r.form_title) for r in rows}, key=lambda t: t[1])
    listing = paged_list(
        SimpleNamespace(GET=params), rows,
        text=lambda r: f"{r.institution.code} {r.institution.name} {r.form_title} {r.institution.officer or ''}",
        filters=[Filter("type", _("기관유형"), types, lambda r, v: r.institution.type_code == v),
                 Filter("region", _("시·도"), regions.choices(r.institution.region for r in rows),
                        lambda r, v: regions.keep(r.institution.region, v)),
                 Filter("form", _("서식"), forms, lambda r, v: r.form_code == v),
                 Filter("status", _("제출 상태"), [(k.value, _(v)) for k, v in STATUS_LABELS.items()], lambda r, v: r.status == v),
                 Filter("late", _("기한"), [("overdue", _("기한 경과")), ("open", _("기한 전")), ("extended", _("연장됨"))],
                        lambda r, v: r.overdue if v == "overdue" else bool(r.extension_until) if v == "extended"
                        else r.status != "accepted" and not r.overdue)],
        sorts={"code": (_("기관코드"), lambda r: (r.institution.code, r.order)),
               "name": (_("기관"), lambda r: (r.institution.name, r.order)),
               "due": (_("제출 기한"), lambda r: (r.effective_due or r.today, r.institution.code)),
               "status": (_("상태"), lambda r: (r.status.value, r.institution.code)),
               "reminded": (_("마지막 독촉"), lambda r: r.last_reminder)},
        default_sort="code")
    return year, listing, rows


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def deadlines(request):
    year, listing, rows = _listing(request, request.GET)
    return render(request, "schedule/deadlines.html", {
        "year": year, "listing": listing, "totals": totals(rows), "today": today(),
        "can_remind": role_of(request.user) == Role.ADMIN, "remind_form": RemindForm(initial={"channels": ["email", "sms"]}),
        "filter_params": {k: request.GET.get(k, "") for k in FILTERS if request.GET.get(k)},
    })


COLUMNS = [
    exports.Column("institution", "기관코드"), exports.Column("name", "기관명"), exports.Column("type", "기관유형"),
    exports.Column("form", "서식"), exports.Column("status", "제출 상태", meaning="미제출 / 반려 / 접수"),
    exports.Column("due", "제출 기한", "date"), exports.Column("extended_until", "연장 기한", "date"),
    exports.Column("overdue", "기한 경과", meaning="예: 기한(연장 기한)이 지났는데 접수되지 않음"),
    exports.Column("parts_done", "접수된 명부 수", "int", "업무별 명부는 업무마다 하나"),
    exports.Column("parts_total", "내야 할 명부 수", "int"),
    exports.Column("reminders", "독촉 횟수", "int"), exports.Column("last_reminder", "마지막 독촉", "date"),
    exports.Column("officer", "권익위 담당자"),
]


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def deadlines_download(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("받을 수 없는 형식입니다"))
    year, listing, _rows = _listing(request, request.GET)
    shown = listing.page.paginator.object_list if listing else []
    data = ([r.institution.code, r.institution.name, r.institution.type_name, r.form_title, r.status_label, r.due,
             r.extension_until, "예" if r.overdue else "", r.parts_done, r.parts_total, r.reminders,
             r.last_reminder.date() if r.last_reminder else None, str(r.institution.officer or "")] for r in shown)
    return download(fmt, COLUMNS, data, f"제출기한_{year.year if year else ''}", sheet="제출 기한")


@require_http_methods(["POST"])
@require_role(Role.ADMIN)
def remind_view(request):
    """Remind the picked rows, or every row the filters show when none is picked."""
    params = request.POST.copy()
    params.pop("page", None)
    year, listing, _rows = _listing(request, params)
    target = listing.page.paginator.object_list if listing else []
    picks = set(request.POST.getlist("pick"))
    if picks:
        target = [r for r in target if r.key in picks]
    form = RemindForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("channels", []):
            messages.error(request, error)
    elif not target:
        messages.warning(request, _("독촉할 기관이 없습니다"))
    else:
        sent = remind(request.user, target, channels=tuple(form.cleaned_data["channels"]))
        messages.success(request, _("제출 독촉을 보냈습니다: {sent}").format(sent=sent))
    return redirect(_deadlines_url(params))


def _query(params) -> str:
    return urlencode({k: params.get(k) for k in FILTERS if params.get(k)})


def _deadlines_url(params) -> str:
    query = _query(params)
    return reverse("schedule:deadlines") + (f"?{query}" if query else "")


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN)
def extend(request, institution_id: int, form_code: str):
    institution = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    rows = [r for r in deadline_rows(institution.year, Institution.objects.filter(pk=institution.pk), today())
            if r.form_code == form_code]
    if not rows:
        raise Http404(_("이 기관이 내는 서식이 아닙니다"))
    row = rows[0]
    form = ExtensionForm(request.POST or None, due=row.due,
                         initial={"until": row.extension_until, "reason": row.extension_reason})
    if request.method == "POST" and form.is_valid():
        grant_extension(request.user, institution, form_code, form.cleaned_data["until"], form.cleaned_data["reason"])
        messages.success(request, _("{name} {form} 제출 기한을 {until}까지 연장했습니다").format(
            name=institution.name, form=row.form_title, until=form.cleaned_data["until"].isoformat()))
        return redirect(_deadlines_url(request.GET))
    return render(request, "schedule/extend.html", {"row": row, "form": form})


@require_role(Role.ADMIN, Role.ANALYST)
def reminders(request):
    year = _year_for(request.user)
    sent = []
    if year:
        visible = visible_institutions(request.user, year)
        sent = list(Reminder.objects.filter(institution__in=visible).select_related("institution", "sent_by"))
    titles = {}
    for r in sent:
        if r.form_code not in titles:
            titles[r.form_code] = get_form(r.form_code).title
        r.form_title, r.stage_label = titles[r.form_code], stage_label(r.stage)
    stages = sorted({(r.stage, r.stage_label) for r in sent})
    listing = paged_list(
        request, sent, text=lambda r: f"{r.institution.code} {r.institution.name} {r.form_title} {r.sent_by or ''}",
        filters=[Filter("channel", _("수단"), [("email", _("전자우편")), ("sms", _("문자"))], lambda r, v: r.channel == v),
                 Filter("stage", _("구분"), stages, lambda r, v: r.stage == v),
                 Filter("form", _("서식"), sorted(titles.items(), key=lambda t: t[1]), lambda r, v: r.form_code == v)],
        sorts={"sent": (_("보낸 시각"), lambda r: r.sent_at), "name": (_("기관"), lambda r: r.institution.name)},
        default_sort="-sent")
    return render(request, "schedule/reminders.html", {"year": year, "listing": listing})

