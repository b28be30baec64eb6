"""Results pages: thin views over services."""

from __future__ import annotations

from urllib.parse import quote

from django.db import models
from django.db.models import Avg, Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.template.loader import render_to_string

from integrity.exports import FORMATS
from integrity.apps.registry.models import Institution
from integrity.registry import regions
from integrity.web.listing import Filter, paged_list
from integrity.web.params import int_param

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role

from .models import InstitutionResult, ScoringRun
from .report import build, histogram
from .services import CHOSEN_RUN, STATUS_LABELS, choose_run, compare, publication_preview, publish, visible_run


PART_STATUSES = ("in_parent", "not_measured")  # scoring.within: bodies measured within a parent
DEDUCTION_KEYS = ("incident_external_points", "incident_internal_points", "credibility_points")


def _type_order(run) -> dict[str, int]:
    try:
        model = run.model
    except Exception:  # a run of a model no longer shipped still lists, in name order
        return {}
    return {code: i for i, code in enumerate(model.institution_types)}


def result_list(request):
    run = visible_run(request)
    if run is None:
        return render(request, "results/empty.html", {"drafts": ScoringRun.objects.exists()}, status=200)
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
    from .change import changes

    from .change import previous_run
    from .parts import graded_parts, overall_formula, part_key, same_scale, scale_label, scale_of, type_title

    moved = changes(run, _confidence(run))
    model = _model_or_none(run)
    parts = graded_parts(model) if model is not None else []  # 2022+: 체감도·노력도 graded beside the overall
    part_keys = {code: part_key(model, code) for code, _ in parts}
    for t in types:  # the stored name is Korean; English mode reads the model's English
        t["type_name"] = type_title(model, t["type_code"], t["type_name"])
    before = previous_run(run)
    scale_break = None if before is None or same_scale(run, before) else {
        "year": before.year, "scale": scale_label(scale_of(before)), "now": scale_label(scale_of(run))}
    region_of = dict(Institution.objects.filter(year__year=run.year).values_list("code", "region"))
    for r in rows:
        r.type_name = type_title(model, r.type_code, r.type_name)  # shown, never saved
        r.region = region_of.get(r.institution_code, "")
        r.deduction = sum(r.scores.get(k) or 0.0 for k in DEDUCTION_KEYS)
        r.change = moved.get(r.institution_code)
        p = r.scores.get("grade_change_probability")
        r.stability = None if p is None or r.grade is None else round(p * 100)
        r.parts = [{"code": code, "score": r.scores.get(part_keys[code]), "grade": r.scores.get(f"grade_{code}")}
                   for code, _ in parts]
    scored = run.results.filter(status="scored")
    distribution = ""
    if type_code:
        values = list(scored.filter(type_code=type_code).values_list("overall", flat=True))
        distribution = histogram(values, 10)
    trend_runs = list(ScoringRun.objects.filter(published_at__isnull=False).order_by("year"))
    means = {(r["run__year"], r["type_code"]): r["mean"] for r in InstitutionResult.objects.filter(
        run__in=trend_runs, status="scored").values("run__year", "type_code").annotate(mean=Avg("overall"))}
    trends = [{"type": t["type_name"], "values": [means.get((run.year, t["type_code"])) for run in trend_runs]} for t in types]
    trend_scales = [scale_of(r) for r in trend_runs]
    mixed = len(set(trend_scales)) > 1  # the model change lies in the table: each year says its scale
    grade_options = [(str(g), _("%(g)s등급") % {"g": g}) for g in _grades(run)]
    context = {
        "trend_years": [run.year for run in trend_runs],
        "trend_columns": [{"year": r.year, "scale": scale_label(x) if mixed else ""} for r, x in zip(trend_runs, trend_scales)],
        "formula": overall_formula(model) if parts else "",
        "part_names": "·".join(name for _, name in parts),
        "graded_parts": parts,
        # a model without the policy-customer survey (2022+) has no column of it
        "has_policy": model is None or "policy" in model.survey_codes,
        "scale_break": scale_break,
        "trends": trends,
        "distribution": distribution,
        "run": run,
        "has_uncertainty": any(r.stability is not None for r in rows),
        "previous_year": next((r.change.previous_year for r in rows if r.change), None),
        "chosen": CHOSEN_RUN in request.session and run.pk == request.session[CHOSEN_RUN],
        "listing": paged_list(
            request, rows, text=lambda r: f"{r.institution_code} {r.name}",
            filters=[Filter("type", _("기관유형"), [(t["type_code"], t["type_name"]) for t in types], lambda r, v: r.type_code == v),
                     Filter("region", _("시·도"), regions.choices(r.region for r in rows), lambda r, v: regions.keep(r.region, v)),
                     Filter("grade", _("등급"), grade_options, lambda r, v: str(r.grade) == v),
                     *[Filter(f"grade_{code}", _("%(name)s 등급") % {"name": name}, grade_options,
                              lambda r, v, code=code: str(r.scores.get(f"grade_{code}")) == v) for code, name in parts],
                     Filter("near", _("등급 경계"), [("1", _("경계에서 1 표준오차 이내"))],
                            lambda r, v: bool(r.scores.get("near_cut"))),
                     Filter("change", _("작년 대비"), [("up", _("의미 있게 오름")), ("down", _("의미 있게 내림")), ("same", _("오차 범위 안"))],
                            lambda r, v: _moved(r.change, v)),
                     Filter("status", _("상태"), [(k, _(label)) for k, label in STATUS_LABELS.items() if k in {r.status for r in rows}],
                            lambda r, v: r.status == v)],
            sorts={"name": (_("기관"), lambda r: r.name), "overall": (_("종합청렴도"), lambda r: r.overall),
                   "rank": (_("순위"), lambda r: r.rank_in_type), "external": (_("외부청렴도"), lambda r: r.scores.get("score_external")),
                   "internal": (_("내부청렴도"), lambda r: r.scores.get("score_internal")),
                   "stability": (_("등급 변동 확률"), lambda r: r.stability),
                   "change": (_("작년 대비"), lambda r: r.change.difference if r.change else None),
                   **{f"part_{code}": (name, lambda r, key=part_keys[code]: r.scores.get(key)) for code, name in parts}}),
        "types": types,
        "selected_type": type_code,
        "summary": scored.aggregate(mean=Avg("overall"), n=Count("id")),
        "status_counts": dict(bodies.values_list("status").annotate(n=Count("id")).order_by()),
        "parts": run.results.filter(status="in_parent").count(),
    }
    links = context["listing"].sort_links
    context["part_headers"] = [{"name": name, "sort": links[f"part_{code}"]} for code, name in parts]
    return render(request, "results/list.html", context)


def _model_or_none(run):
    try:
        return run.model
    except Exception:  # a run of a model no longer shipped: the overall grade only
        return None


def _moved(change, wanted: str) -> bool:
    if change is None or change.significant is None:
        return False
    if wanted == "same":
        return not change.significant
    return change.significant and (change.difference > 0) == (wanted == "up")


def _confidence(run) -> float:
    try:
        return run.model.uncertainty.confidence
    except Exception:  # a run of a model no longer shipped: the usual 95%
        return 0.95


def _grades(run) -> range:
    """The grades the run's model gives (1..n), not an assumed five."""
    try:
        return range(1, run.model.grades + 1)
    except Exception:  # a run of a model no longer shipped: the grades it holds
        return range(1, (run.results.aggregate(top=models.Max("grade"))["top"] or 0) + 1)


def methodology(request):
    """How the scores are made, in plain Korean, from the model the visible run used."""
    from integrity.apps.registry.models import AssessmentYear

    from .method import method

    run = visible_run(request)
    if run is not None:
        model = run.model
    else:
        year = AssessmentYear.objects.first()
        if year is None:
            raise Http404("등록된 측정 연도가 없습니다")
        model = year.model
    return render(request, "results/method.html", method(model))


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
    run = visible_run(request)
    if run is None:
        raise Http404("공개된 결과가 없습니다")
    return get_object_or_404(InstitutionResult.objects.select_related("run"), run=run, institution_code=code)


def download(request, fmt: str):
    """The visible run's table for everyone to reuse (open data), through the one writer."""
    from integrity.web.downloads import download as send

    from . import open_data

    run = visible_run(request)
    if run is None or fmt not in FORMATS:
        raise Http404("받을 수 있는 결과가 없습니다")
    cols = open_data.columns(run)
    return send(fmt, cols, open_data.rows(run, cols, for_people=fmt != "parquet"), f"청렴도_측정결과_{run.year}",
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
    all_runs = list(ScoringRun.objects.defer("model_text").order_by("-created_at", "-pk"))
    listing = paged_list(
        request, all_runs, text=lambda r: f"#{r.pk} {r.year} {r.model_version} {r.input_fingerprint}",
        filters=[Filter("year", _("연도"), [(str(y), str(y)) for y in sorted({r.year for r in all_runs}, reverse=True)],
                        lambda r, v: str(r.year) == v),
                 Filter("model", _("측정모형"), [(m, m) for m in sorted({r.model_version for r in all_runs})],
                        lambda r, v: r.model_version == v),
                 Filter("published", _("공표"), [("yes", _("공표됨")), ("no", _("초안"))],
                        lambda r, v: (r.published_at is not None) == (v == "yes"))])
    diff = None
    a, b = int_param(request, "a"), int_param(request, "b")
    compare_hint = ""
    if "compare" in request.GET and (a is None or b is None):
        compare_hint = "비교할 실행을 A와 B에서 하나씩 고르세요"
    elif a is not None and a == b:
        compare_hint = "서로 다른 두 실행을 고르세요"
    elif a is not None and b is not None:
        first = get_object_or_404(ScoringRun, pk=a)
        second = get_object_or_404(ScoringRun, pk=b)
        diff = {"a": first, "b": second, **compare(first, second)}
    return render(request, "results/runs.html", {"listing": listing, "diff": diff, "jobs": jobs, "compare_hint": compare_hint,
                                                 "working": any(j.active for j in jobs), "viewing": visible_run(request)})


@require_POST
@require_role(Role.ADMIN, Role.ANALYST)
def view_run(request):
    """Switch the results pages to a draft run, or back to the published results (run="")."""
    pk = int_param(request, "run", source=request.POST)
    choose_run(request, get_object_or_404(ScoringRun, pk=pk) if pk is not None else None)
    return redirect("results:list")


@require_role(Role.ADMIN)
def publish_run(request, pk: int):
    """Publishing, after a page that shows what changes against the last published run."""
    from django.contrib import messages

    from .models import PublishedRunError

    run = get_object_or_404(ScoringRun, pk=pk)
    preview = publication_preview(run)
    if request.method == "POST":
        if request.POST.get("confirm") != str(run.pk):
            messages.error(request, "공표를 확인하지 않았습니다. 아래 내용을 보고 확인란을 고르세요")
        else:
            try:
                publish(run, request.user)
            except PublishedRunError as exc:
                messages.error(request, str(exc))
            else:
                choose_run(request, None)
                messages.success(request, f"{run.year}년 채점 #{run.pk}을(를) 공표했습니다. 이제 모든 사람이 이 결과를 봅니다")
                return redirect("results:runs")
    return render(request, "results/publish.html", preview)
