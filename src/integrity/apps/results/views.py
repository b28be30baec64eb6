"""Results pages: thin views over services."""

from __future__ import annotations

from django.db.models import Avg, Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from integrity.model import load_model

from .models import InstitutionResult
from .services import latest_visible_run

DEDUCTION_KEYS = ("incident_external_points", "incident_internal_points", "credibility_points")


def _type_order(run) -> dict[str, int]:
    try:
        model = load_model(str(run.year))
    except Exception:  # a run of a model no longer shipped still lists, in name order
        return {}
    return {code: i for i, code in enumerate(model.institution_types)}


def result_list(request):
    run = latest_visible_run(request.user)
    if run is None:
        return render(request, "results/empty.html", status=200)
    rows = run.results.all()
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
    context = {
        "run": run,
        "rows": rows,
        "types": types,
        "selected_type": type_code,
        "summary": scored.aggregate(mean=Avg("overall"), n=Count("id")),
        "status_counts": dict(run.results.values_list("status").annotate(n=Count("id")).order_by()),
    }
    return render(request, "results/list.html", context)


def result_detail(request, code: str):
    run = latest_visible_run(request.user)
    if run is None:
        raise Http404("공개된 결과가 없습니다")
    result = get_object_or_404(InstitutionResult, run=run, institution_code=code)
    try:
        model = load_model(str(run.year))
        surveys = [
            {
                "name": sv.name,
                "score": result.scores.get(f"score_{sv.code}"),
                "responses": result.scores.get(f"n_{sv.code}"),
                "nodes": [
                    {"name": node.name, "score": result.scores.get(f"score_{node.code}"), "depth": depth}
                    for node, depth in _walk(sv.root)
                ],
            }
            for sv in model.surveys
            if result.scores.get(f"n_{sv.code}")
        ]
    except Exception:
        surveys = []
    return render(request, "results/detail.html", {"run": run, "result": result, "surveys": surveys})


def _walk(node, depth=0):
    for child in node.children:
        yield child, depth
        yield from _walk(child, depth + 1)
