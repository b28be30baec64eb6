"""Results pages: thin views over services."""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.template.loader import render_to_string

from integrity.exports import FORMATS
from integrity.web.listing import Filter, paged_list
from integrity.web.params import int_param

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role

from .models import InstitutionResult, ScoringRun
from .report import build, histogram
from .services import compare, latest_visible_run


PART_STATUSES = ("in_parent", "not_measured")  # scoring.within: bodies measured within a parent
DEDUCTION_KEYS = ("incident_external_points", "incident_internal_points", "credibility_points")


def _type_order(run) -> dict[str, int]:
    try:
        model = run.model
    except Exception:  # a run of a model no longer shipped still lists, in name order
        return {}
    return {code: i for i, code in enumerate(model.institution_types)}


def result_list(request):
    run = latest_visible_run(request.user)
    if run is None:
        return render(request, "results/empty.html", status=200)
    # District offices are measured within their provincial office: not a type of the table.
    bodies = run.results.exclude(status__in=PART_STATUSES)
    rows = bodies
    type_code = request.GET.get("type", "")
    types = list(rows.values("type_code", "type_name").annotate(n=Count("id")).order_by())
    order = _type_order(run)
    types.sort(key=lambda t: (order.get(t["type_code"], 999), t["type_name"]))
    if type_code:
        if not any(t["type_code"] == type_code for t in types):
            raise Http404("알 수 없는 기관유형")
        rows = rows.filter(type_code=type_code)
    rows = sorted(rows, key=lambda r: (order.get(r.type_code, 999), r.rank_in_type or 10**6, r.name))
    for r in rows:
        r.deduction = sum(r.scores.get(k) or 0.0 for k in DEDUCTION_KEYS)
    scored = run.results.filter(status="scored")
    distribution = ""
    if type_code:
        values = list(scored.filter(type_code=type_code).values_list("overall", flat=True))
        distribution = histogram(values, 10)
    trend_runs = list(ScoringRun.objects.filter(published_at__isnull=False).order_by("year"))
    means = {(r["run__year"], r["type_code"]): r["mean"] for r in InstitutionResult.objects.filter(
        run__in=trend_runs, status="scored").values("run__year", "type_code").annotate(mean=Avg("overall"))}
    trends = [{"type": t["type_name"], "values": [means.get((run.year, t["type_code"])) for run in trend_runs]} for t in types]
    context = {
        "trend_years": [run.year for run in trend_runs],
        "trends": trends,
        "distribution": distribution,
        "run": run,
        "listing": paged_list(
            request, rows, text=lambda r: f"{r.institution_code} {r.name}",
            filters=[Filter("type", "기관유형", [(t["type_code"], t["type_name"]) for t in types], lambda r, v: r.type_code == v),
                     Filter("grade", "등급", [(str(g), f"{g}등급") for g in range(1, 6)], lambda r, v: str(r.grade) == v),
                     Filter("status", "상태", [("scored", "채점"), ("not_scored", "미채점"), ("voided", "무효")],
                            lambda r, v: r.status == v)],
            sorts={"name": ("기관", lambda r: r.name), "overall": ("종합청렴도", lambda r: r.overall),
                   "rank": ("순위", lambda r: r.rank_in_type), "external": ("외부청렴도", lambda r: r.scores.get("score_external")),
                   "internal": ("내부청렴도", lambda r: r.scores.get("score_internal"))}),
        "types": types,
        "selected_type": type_code,
        "summary": scored.aggregate(mean=Avg("overall"), n=Count("id")),
        "status_counts": dict(bodies.values_list("status").annotate(n=Count("id")).order_by()),
        "parts": run.results.filter(status="in_parent").count(),
    }
    return render(request, "results/list.html", context)


def result_detail(request, code: str):
    result = _result_for(request, code)
    return render(request, "results/report.html", build(result))


def result_pdf(request, code: str):
    from weasyprint import HTML

    result = _result_for(request, code)
    html = render_to_string("results/report_pdf.html", build(result) | {"pdf": True}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(f'{result.run.year}_{result.name}_청렴도.pdf')}"
    return response


def _result_for(request, code: str) -> InstitutionResult:
    run = latest_visible_run(request.user)
    if run is None:
        raise Http404("공개된 결과가 없습니다")
    return get_object_or_404(InstitutionResult.objects.select_related("run"), run=run, institution_code=code)


def download(request, fmt: str):
    """The visible run's table for everyone to reuse (open data), through the one writer."""
    from integrity.web.downloads import download as send

    from . import open_data

    run = latest_visible_run(request.user)
    if run is None or fmt not in FORMATS:
        raise Http404("받을 수 있는 결과가 없습니다")
    cols = open_data.columns(run)
    return send(fmt, cols, open_data.rows(run, cols, for_people=fmt != "parquet"), f"integrity_{run.year}",
                sheet=f"{run.year}년 결과")




@require_POST
@require_role(Role.ADMIN)
def start_run(request):
    """Score the latest year from the database in the background (the run appears below when done)."""
    from django.contrib import messages

    from integrity.apps.registry.models import AssessmentYear

    from .jobs import AlreadyRunning, start_scoring

    year = AssessmentYear.objects.first()
    if year is None:
        raise Http404("등록된 측정 연도가 없습니다")
    try:
        start_scoring(year, request.user)
    except AlreadyRunning as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{year} 채점을 시작했습니다. 진행 상황이 아래에 보이고, 끝나면 목록에 나타납니다")
    return redirect("results:runs")


@require_role(Role.ADMIN, Role.ANALYST)
def runs(request):
    """Every run with its fingerprint; any two can be compared."""
    from integrity.apps.jobs.lease import reap_stale

    from .models import ScoringJob

    reap_stale()  # a job whose worker died shows as failed, not "running" forever
    jobs = list(ScoringJob.objects.select_related("started_by", "run")[:5])
    all_runs = ScoringRun.objects.order_by("-created_at", "-pk")[:50]
    diff = None
    a, b = int_param(request, "a"), int_param(request, "b")
    if a is not None and b is not None:
        first = get_object_or_404(ScoringRun, pk=a)
        second = get_object_or_404(ScoringRun, pk=b)
        diff = {"a": first, "b": second, **compare(first, second)}
    return render(request, "results/runs.html", {"runs": all_runs, "diff": diff, "jobs": jobs,
                                                 "working": any(j.active for j in jobs)})
