"""The institution's programme pages: thin views over readings (what the results say)
and services (every change)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.audit.services import record
from integrity.apps.incidents import evidence_store
from integrity.apps.incidents.evidence import read_upload
from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.incidents.evidence import ALLOWED_TEXT, KINDS, EvidenceRejected
from integrity.web.encrypted_files import attachment
from integrity.web.listing import Filter, paged_list

from . import readings, services
from .access import ROLES, may_change, may_read, own_code
from .forms import day, number, sub_task_values
from .models import CoreTask, ProgressReport, Strategy, SubTask, Target, TargetKind, TaskStatus
from .services import ProgrammeError


DASHBOARD_ROWS = 10


def _scope(request, code: str, year: int, *, change: bool = False) -> dict:
    """The body and year a page is about, after checking who asks (403 before any lookup,
    so another body's pages do not even tell whether they exist)."""
    allowed = may_change(request.user, code) if change else may_read(request.user, code)
    if not allowed:
        raise PermissionDenied(_("이 기관의 청렴 추진계획을 볼 권한이 없습니다"))
    body = readings.institution(code, year)
    return {"code": code, "year": year, "body": body, "can_change": may_change(request.user, code)}


def current_year(code: str) -> int:
    """The latest year the body is in the registry or has a plan or targets for."""
    years = [Institution.objects.filter(code=code).aggregate(y=Max("year__year"))["y"],
             Strategy.objects.filter(institution_code=code).aggregate(y=Max("year"))["y"],
             Target.objects.filter(institution_code=code).aggregate(y=Max("year"))["y"]]
    known = [y for y in years if y]
    return max(known) if known else timezone.localdate().year


@require_role(*ROLES)
def index(request):
    code = own_code(request.user)
    if code is not None:
        return redirect("programme:dashboard", code=code, year=current_year(code))
    if role_of(request.user) not in (Role.ADMIN, Role.ANALYST):
        raise PermissionDenied(_("이 기관의 청렴 추진계획을 볼 권한이 없습니다"))
    latest = AssessmentYear.objects.first()
    bodies = list(Institution.objects.filter(year=latest).order_by("code")) if latest else []
    planned = dict(Strategy.objects.values("institution_code").annotate(y=Max("year")).values_list("institution_code", "y"))
    targeted = set(Target.objects.values_list("institution_code", flat=True))
    rows = [{"body": b, "plan_year": planned.get(b.code), "targets": b.code in targeted} for b in bodies]
    yes_no = [("yes", _("있음")), ("no", _("없음"))]
    listing = paged_list(request, rows, text=lambda r: f"{r['body'].name} {r['body'].code}", filters=[
        Filter("plan", _("추진계획"), yes_no, lambda r, v: (r["plan_year"] is not None) == (v == "yes")),
        Filter("targets", _("목표"), yes_no, lambda r, v: r["targets"] == (v == "yes")),
    ], sorts={"name": (_("기관명"), lambda r: r["body"].name), "plan": (_("계획 연도"), lambda r: r["plan_year"])})
    return render(request, "programme/index.html", {"listing": listing, "year": latest.year if latest else None})


@require_role(*ROLES)
def dashboard(request, code: str, year: int):
    scope = _scope(request, code, year)
    found = _dashboard(code, year)
    # A summary: the first rows of each list, the whole of it on its searched and paged page.
    return render(request, "programme/dashboard.html", scope | found | {
        "targets_shown": found["targets"][:DASHBOARD_ROWS], "overdue_shown": found["overdue"][:DASHBOARD_ROWS]})


def _dashboard(code: str, year: int) -> dict:
    targets, years = readings.targets_against_results(Target.objects.filter(institution_code=code, year=year), code, year)
    tree = readings.plan_tree(code, year)
    overdue = [(s, c["core"], node["strategy"]) for node in tree for c in node["cores"] for s in c["subs"] if s.is_overdue]
    from integrity.programme.plan import rollup

    whole = rollup([(s.status, s.progress, s.is_overdue) for node in tree for c in node["cores"] for s in c["subs"]])
    return {"targets": targets, "achieved": sum(1 for t in targets if t["achieved"]), "history_years": years, "tree": tree, "overdue": overdue, "whole": whole,
            "today": timezone.localdate(), "published": readings.published_run(year)}


@require_role(*ROLES)
def briefing_pdf(request, code: str, year: int):
    from weasyprint import HTML

    scope = _scope(request, code, year)
    context = scope | _dashboard(code, year) | {"diagnosis": readings.diagnosis_of(code, year)}
    html = render_to_string("programme/briefing_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{year}_{scope['body'].name}_청렴추진_보고회.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


@require_http_methods(["GET", "POST"])
@require_role(*ROLES)
def targets(request, code: str, year: int):
    scope = _scope(request, code, year, change=request.method == "POST")
    model = readings.model_for(year)
    if request.method == "POST":
        try:
            value = number(request.POST.get("value"), _("목표값"), required=True)
            services.set_target(code, year, model, request.POST.get("measure", ""), request.POST.get("kind", ""), value,
                                request.POST.get("note", "").strip(), request.user)
        except ProgrammeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("목표를 저장했습니다"))
        return redirect("programme:targets", code=code, year=year)
    rows, years = readings.targets_against_results(Target.objects.filter(institution_code=code, year=year), code, year)
    outcomes = {"achieved": True, "missed": False, "pending": None}
    listing = paged_list(request, rows, text=lambda r: f"{r['name']} {r['target'].measure} {r['target'].note}", filters=[
        Filter("kind", _("목표 종류"), TargetKind.choices, lambda r, v: r["target"].kind == v),
        Filter("achieved", _("달성"), [("achieved", _("달성")), ("missed", _("미달성")), ("pending", _("결과 전"))],
               lambda r, v: r["achieved"] is outcomes[v]),
    ])
    return render(request, "programme/targets.html", scope | {
        "listing": listing, "history_years": years, "choices": readings.target_choices(model), "kinds": TargetKind.choices,
        "grades": range(1, model.grades + 1), "scale_min": model.scale_min, "scale_max": model.scale_max})


@require_POST
@require_role(*ROLES)
def delete_target(request, code: str, year: int, target_id: int):
    _scope(request, code, year, change=True)
    target = get_object_or_404(Target, pk=target_id, institution_code=code, year=year)
    services.delete_target(target, request.user)
    messages.success(request, _("목표를 지웠습니다"))
    return redirect("programme:targets", code=code, year=year)


@require_http_methods(["GET", "POST"])
@require_role(*ROLES)
def plan(request, code: str, year: int):
    scope = _scope(request, code, year, change=request.method == "POST")
    if request.method == "POST":
        level = request.POST.get("level")
        try:
            if level == "strategy":
                services.add_strategy(code, year, request.POST.get("title", ""), request.user)
            elif level == "core":
                strategy = Strategy.objects.filter(pk=_pk(request.POST.get("parent")), institution_code=code, year=year).first()
                if strategy is None:
                    raise ProgrammeError(_("핵심과제를 넣을 추진 전략을 고르세요"))
                services.add_core_task(strategy, request.POST.get("title", ""), request.user)
            elif level == "sub":
                core = _core_of(code, year, request.POST.get("parent"))
                services.add_sub_task(core, request.user, **sub_task_values(request.POST))
            else:
                raise ProgrammeError(_("무엇을 더할지 고르세요"))
        except ProgrammeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("계획에 더했습니다"))
        return redirect("programme:plan", code=code, year=year)
    tree = readings.plan_tree(code, year)
    last_year = Strategy.objects.filter(institution_code=code, year=year - 1).exists()
    listing = paged_list(request, readings.plan_rows(tree), text=readings.plan_row_text, filters=[
        Filter("strategy", _("추진 전략"), [(str(n["strategy"].pk), n["strategy"].title) for n in tree],
               lambda r, v: str(r["node"]["strategy"].pk) == v),
        Filter("status", _("상태"), TaskStatus.choices, lambda r, v: r["sub"] is not None and r["sub"].status == v),
        Filter("overdue", _("기한"), [("yes", _("기한 지남")), ("no", _("기한 안"))],
               lambda r, v: r["sub"] is not None and r["sub"].is_overdue == (v == "yes")),
    ])
    return render(request, "programme/plan.html", scope | {
        "tree": tree, "listing": listing, "shown": readings.regroup(listing.page),
        "statuses": TaskStatus.choices, "copyable": last_year and not tree,
        "cores": CoreTask.objects.filter(strategy__institution_code=code, strategy__year=year).select_related("strategy")})


def _pk(raw) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        return 0
    return value if 0 < value < 2**63 else 0


def _core_of(code: str, year: int, raw) -> CoreTask:
    core = CoreTask.objects.filter(pk=_pk(raw), strategy__institution_code=code, strategy__year=year).select_related("strategy").first()
    if core is None:
        raise ProgrammeError(_("세부과제를 넣을 핵심과제를 고르세요"))
    return core


@require_POST
@require_role(*ROLES)
def copy_plan(request, code: str, year: int):
    _scope(request, code, year, change=True)
    try:
        copied = services.copy_from_last_year(code, year, request.user)
    except ProgrammeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(year)d년 계획을 가져왔습니다 (세부과제 %(n)d개, 기한은 1년 뒤로)") % {"year": year - 1, "n": copied})
    return redirect("programme:plan", code=code, year=year)


@require_POST
@require_role(*ROLES)
def import_plan(request, code: str, year: int):
    """A plan from a workbook, into an empty plan; every bad cell named by row and column."""
    from integrity.programme.plan_file import PlanFileRejected, read_plan

    _scope(request, code, year, change=True)
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise ProgrammeError(_("가져올 엑셀 파일을 고르세요"))
        if uploaded.size > settings.INTEGRITY_EVIDENCE_MAX_BYTES:
            raise ProgrammeError(_("파일이 너무 큽니다"))
        made = services.import_plan(code, year, read_plan(uploaded.read()), request.user)
    except PlanFileRejected as exc:
        for problem in exc.problems[:20]:
            messages.error(request, problem)
        if len(exc.problems) > 20:
            messages.error(request, _("그 밖에 %(n)d건") % {"n": len(exc.problems) - 20})
    except ProgrammeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("파일에서 세부과제 %(n)d개를 가져왔습니다") % {"n": made})
    return redirect("programme:plan", code=code, year=year)


@require_role(*ROLES)
def tasks(request, code: str, year: int):
    scope = _scope(request, code, year)
    today = timezone.localdate()
    rows = list(SubTask.objects.filter(core_task__strategy__institution_code=code, core_task__strategy__year=year)
                .select_related("core_task__strategy"))
    for sub in rows:
        sub.is_overdue = sub.overdue(today)
    strategies = [(str(s.pk), s.title) for s in Strategy.objects.filter(institution_code=code, year=year)]
    listing = paged_list(request, rows, text=lambda s: f"{s.title} {s.owner} {s.field} {s.kpi_name} {s.core_task.title}", filters=[
        Filter("status", _("상태"), TaskStatus.choices, lambda s, v: s.status == v),
        Filter("strategy", _("추진 전략"), strategies, lambda s, v: str(s.core_task.strategy_id) == v),
        Filter("overdue", _("기한"), [("yes", _("기한 지남")), ("no", _("기한 안"))], lambda s, v: s.is_overdue == (v == "yes")),
    ], sorts={"deadline": (_("기한"), lambda s: s.deadline), "progress": (_("진척률"), lambda s: s.progress),
              "owner": (_("담당 부서"), lambda s: s.owner)}, default_sort="deadline")
    return render(request, "programme/tasks.html", scope | {"listing": listing})


def _sub_task(code: str, year: int, task_id: int) -> SubTask:
    return get_object_or_404(SubTask.objects.select_related("core_task__strategy"), pk=task_id,
                             core_task__strategy__institution_code=code, core_task__strategy__year=year)


@require_http_methods(["GET", "POST"])
@require_role(*ROLES)
def task(request, code: str, year: int, task_id: int):
    scope = _scope(request, code, year, change=request.method == "POST")
    sub = _sub_task(code, year, task_id)
    if request.method == "POST":
        try:
            services.update_sub_task(sub, request.user, **sub_task_values(request.POST))
        except ProgrammeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("세부과제를 고쳤습니다"))
        return redirect("programme:task", code=code, year=year, task_id=sub.pk)
    sub.is_overdue = sub.overdue(timezone.localdate())
    reports = list(sub.reports.all())
    years = sorted({r.reported_on.year for r in reports}, reverse=True)
    listing = paged_list(request, reports, text=lambda r: f"{r.reported_on:%Y-%m-%d} {r.narrative}", filters=[
        Filter("year", _("연도"), [(str(y), str(y)) for y in years], lambda r, v: str(r.reported_on.year) == v),
        Filter("evidence", _("증빙"), [("yes", _("있음")), ("no", _("없음"))], lambda r, v: bool(r.evidence_stored) == (v == "yes")),
    ], sorts={"reported_on": (_("보고일"), lambda r: r.reported_on), "progress": (_("진척률"), lambda r: r.progress)},
        default_sort="-reported_on")
    shown = [{"report": r, "evidence": services.evidence_name(r)} for r in listing.page]  # names decrypted for one page only
    return render(request, "programme/task.html", scope | {
        "sub": sub, "listing": listing, "reports": shown, "statuses": TaskStatus.choices, "today": timezone.localdate(),
        "allowed": ALLOWED_TEXT, "accept": ",".join(f".{x}" for exts, _m in KINDS.values() for x in exts)})


@require_POST
@require_role(*ROLES)
def report_progress(request, code: str, year: int, task_id: int):
    _scope(request, code, year, change=True)
    sub = _sub_task(code, year, task_id)
    uploaded = request.FILES.get("evidence")
    try:
        progress = number(request.POST.get("progress"), _("진척률"), required=True)
        if progress != int(progress):
            raise ProgrammeError(_("진척률은 0부터 100 사이의 정수로 적으세요"))
        evidence = (uploaded.name, read_upload(uploaded)) if uploaded is not None else None
        services.add_progress(sub, request.user, reported_on=day(request.POST.get("reported_on"), _("보고일")) or timezone.localdate(),
                              progress=int(progress), narrative=request.POST.get("narrative", ""),
                              kpi_value=number(request.POST.get("kpi_value"), _("지표 실적")), evidence=evidence)
    except (ProgrammeError, EvidenceRejected) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("추진 실적을 등록했습니다"))
    return redirect("programme:task", code=code, year=year, task_id=sub.pk)


@require_role(*ROLES)
def evidence(request, code: str, year: int, report_id: int):
    """The evidence file, to those who may change the programme (it may name people):
    always an attachment no browser sniffs, every download audited."""
    _scope(request, code, year, change=True)
    report = get_object_or_404(ProgressReport.objects.select_related("sub_task"), pk=report_id,
                               sub_task__core_task__strategy__institution_code=code, sub_task__core_task__strategy__year=year)
    if not report.evidence_stored:
        raise Http404(_("이 실적에는 증빙 파일이 없습니다"))
    try:
        data = evidence_store.read(report.evidence_stored)
    except FileNotFoundError as exc:
        raise Http404(_("파일이 없습니다")) from exc
    record(request.user, "programme.evidence_downloaded", report, f"세부과제 '{report.sub_task.title}' 증빙 내려받음")
    return attachment(data, services.evidence_name(report), KINDS[report.evidence_type][1])


@require_role(*ROLES)
def diagnosis(request, code: str, year: int):
    scope = _scope(request, code, year)
    cores = CoreTask.objects.filter(strategy__institution_code=code, strategy__year=year).select_related("strategy")
    return render(request, "programme/diagnosis.html", scope | readings.diagnosis_of(code, year) | {"cores": cores})


@require_POST
@require_role(*ROLES)
def task_from_diagnosis(request, code: str, year: int):
    """"이 항목으로 과제 만들기": a weak item or area of the diagnosis as a sub-task."""
    _scope(request, code, year, change=True)
    found = readings.diagnosis_of(code, year)
    wanted = request.POST.get("code", "")
    weak = next((d for d in found.get("weak_items", []) + found.get("weak_areas", []) if d.code == wanted), None)
    if weak is None:
        messages.error(request, _("진단 결과에 없는 항목입니다"))
        return redirect("programme:diagnosis", code=code, year=year)
    try:
        raw = request.POST.get("core")
        core = _core_of(code, year, raw) if raw else services.inbox_core_task(
            code, year, _("취약 분야 집중 개선"), _("진단 결과 취약 항목 개선"), request.user)
        run_year = found["run"].year
        sub = services.add_sub_task(core, request.user, title=_("%(name)s 개선") % {"name": weak.name},
                                    description=_("%(year)d년 결과: %(value).2f점, 유형 평균 %(mean).2f점 (차이 %(diff)+.2f)") % {
                                        "year": run_year, "value": weak.value, "mean": weak.reference, "diff": weak.difference},
                                    source=_("%(year)d년 진단: %(code)s") % {"year": run_year, "code": weak.code})
    except ProgrammeError as exc:
        messages.error(request, str(exc))
        return redirect("programme:diagnosis", code=code, year=year)
    messages.success(request, _("세부과제를 만들었습니다. 담당 부서와 기한을 정하세요"))
    return redirect("programme:task", code=code, year=year, task_id=sub.pk)
