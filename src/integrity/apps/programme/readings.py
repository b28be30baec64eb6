"""What the programme reads from the published results and the registry, as the plain
values the pure rules (integrity.programme) take."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext as _

from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.apps.results.models import InstitutionResult, ScoringRun
from integrity.apps.results.parts import same_scale, scale_label, scale_of
from integrity.apps.results.report import type_averages
from integrity.programme import diagnosis, plan as rules
from integrity.programme.targets import GRADE, achieved, actual, measure_named, measures

HISTORY_YEARS = 4
WEAK_ITEMS = 10
WEAK_AREAS = 6
MOVED = 8

YEAR_RANGE = (1990, 2100)  # a year outside is no year of the registry (and never a database overflow)


def institution(code: str, year: int) -> Institution:
    """The body's registry row of ``year``, else of its latest earlier (or any) year."""
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise Http404(_("그런 연도는 없습니다"))
    rows = Institution.objects.filter(code=code).select_related("year").order_by("-year__year")
    body = next((r for r in rows if r.year.year <= year), None) or rows.first()
    if body is None:
        raise Http404(_("등록부에 없는 기관코드입니다"))
    return body


def published_run(year: int) -> ScoringRun | None:
    return ScoringRun.objects.filter(year=year, published_at__isnull=False).first()


def model_for(year: int):
    """The model of the year's published run, else of the year's registry, else of the
    latest earlier registry year: the measures' names are the model file's."""
    run = published_run(year)
    if run is not None:
        return run.model
    registry_year = AssessmentYear.objects.filter(year__lte=year).order_by("-year").first() or AssessmentYear.objects.first()
    if registry_year is None:
        raise Http404(_("등록된 측정 연도가 없습니다"))
    return registry_year.model


def result_values(result: InstitutionResult | None) -> dict | None:
    if result is None:
        return None
    return dict(result.scores) | {"overall": result.overall, "grade": result.grade}


def result_of(run: ScoringRun | None, code: str) -> InstitutionResult | None:
    return run.results.filter(institution_code=code).first() if run is not None else None


def history(code: str, year: int) -> list[dict]:
    """The body's published results of ``year`` and the years before (oldest first)."""
    runs = list(ScoringRun.objects.filter(year__lte=year, published_at__isnull=False).order_by("-year")[:HISTORY_YEARS])
    out = []
    for run in reversed(runs):
        result = result_of(run, code)
        try:
            model = run.model
        except Exception:  # a model no longer shipped: that year shows nothing
            model = None
        out.append({"year": run.year, "run": run, "model": model, "values": result_values(result)})
    return out


def targets_against_results(targets, code: str, year: int) -> tuple[list[dict], list[dict]]:
    """Each target with its measure's name, the value in each published year up to
    ``year`` and whether this year's published result met it. The columns name their
    year, and their scale when the years were scored on different scales (10 or 100)."""
    years = history(code, year)
    model = model_for(year)
    rows = []
    for target in targets:
        measure = measure_named(model, target.measure, get_language())
        values = [actual(h["model"], target.measure, target.kind, h["values"]) if h["model"] else None for h in years]
        this_year = next((h for h in years if h["year"] == year), None)
        now = actual(this_year["model"], target.measure, target.kind, this_year["values"]) if this_year else None
        rows.append({"target": target, "name": measure.name if measure else target.measure,
                     "grade": target.kind == GRADE, "values": values, "actual": now,
                     "achieved": achieved(target.kind, target.value, now) if this_year else None})
    scales = [scale_of(h["run"]) for h in years]
    mixed = len(set(scales)) > 1
    return rows, [{"year": h["year"], "scale": scale_label(x) if mixed else ""} for h, x in zip(years, scales)]


def target_choices(model) -> list[tuple[str, str, bool]]:
    return [(m.code, m.name, m.gradable) for m in measures(model, language=get_language())]


def plan_tree(code: str, year: int, today=None) -> list[dict]:
    """Strategies with their core tasks and sub-tasks, each sub-task marked overdue, and
    each strategy's progress rolled up."""
    today = today or timezone.localdate()
    from .services import plan_of

    tree = []
    for strategy in plan_of(code, year):
        cores, flat = [], []
        for core in strategy.core_tasks.all():
            subs = list(core.sub_tasks.all())
            for sub in subs:
                sub.is_overdue = sub.overdue(today)
                flat.append((sub.status, sub.progress, sub.is_overdue))
            cores.append({"core": core, "subs": subs})
        tree.append({"strategy": strategy, "cores": cores, "rollup": rules.rollup(flat)})
    return tree


def plan_rows(tree: list[dict]) -> list[dict]:
    """The plan as one row per sub-task (a core task without any, or a strategy without
    core tasks, as a row of its own) so the tree can be searched and paged like a list."""
    rows = []
    for number, node in enumerate(tree, 1):
        if not node["cores"]:
            rows.append({"number": number, "node": node, "core": None, "sub": None})
        for c in node["cores"]:
            rows += [{"number": number, "node": node, "core": c["core"], "sub": s} for s in c["subs"]] or [
                {"number": number, "node": node, "core": c["core"], "sub": None}]
    return rows


def plan_row_text(row: dict) -> str:
    sub = row["sub"]
    words = [row["node"]["strategy"].title, row["core"].title if row["core"] else ""]
    if sub is not None:
        words += [sub.title, sub.owner, sub.field, sub.kpi_name, sub.source]
    return " ".join(words)


def regroup(rows) -> list[dict]:
    """One page of plan_rows back into strategies → core tasks → sub-tasks, in order."""
    tree = []
    for row in rows:
        if not tree or tree[-1]["node"] is not row["node"]:
            tree.append({"number": row["number"], "node": row["node"], "cores": []})
        cores = tree[-1]["cores"]
        if row["core"] is not None:
            if not cores or cores[-1]["core"] is not row["core"]:
                cores.append({"core": row["core"], "subs": []})
            if row["sub"] is not None:
                cores[-1]["subs"].append(row["sub"])
    return tree


def diagnosis_of(code: str, year: int) -> dict:
    """The weakest items and areas of the body against its type's mean in the latest
    published run up to ``year``, and the fields that moved most since the year before."""
    run = ScoringRun.objects.filter(year__lte=year, published_at__isnull=False).order_by("-year").first()
    result = result_of(run, code)
    if result is None or result.status != "scored":
        return {"run": run, "result": result}
    model = run.model
    confidence = model.uncertainty.confidence
    mean = type_averages(run, result.type_code)
    before_run = ScoringRun.objects.filter(year=run.year - 1, published_at__isnull=False).first()
    before = result_of(before_run, code) if before_run is not None and same_scale(before_run, run) else None
    rows = _rows(model, result, mean, before)
    return {
        "run": run, "result": result, "confidence_percent": round(confidence * 100), "before": before,
        "weak_items": diagnosis.weakest(rows, confidence, WEAK_ITEMS, level="item"),
        "weak_areas": diagnosis.weakest([r for r in rows if r["level"] != "item"], confidence, WEAK_AREAS),
        "moved": diagnosis.moved(rows, confidence, MOVED) if before is not None else [],
    }


def _rows(model, result, mean: dict, before) -> list[dict]:
    s, old = result.scores, (before.scores if before is not None else {})
    language = get_language()
    rows = []
    for survey in model.surveys:
        if not s.get(f"n_{survey.code}"):
            continue
        key = f"score_{survey.code}"
        rows.append({"code": survey.code, "name": survey.title(language), "level": "survey", "value": s.get(key), "mean": mean.get(key),
                     "se": s.get(f"se_{survey.code}"), "before": old.get(key), "se_before": old.get(f"se_{survey.code}")})
        for node in survey.root.walk():
            if node is survey.root:
                continue
            key = f"score_{node.code}"
            rows.append({"code": node.code, "name": f"{survey.title(language)} · {node.title(language)}", "level": "area", "value": s.get(key),
                         "mean": mean.get(key), "before": old.get(key)})
        for item in survey.items:
            key = f"item_{item.code}"
            rows.append({"code": item.code, "name": f"{item.code} {item.title(language)}", "level": "item", "value": s.get(key),
                         "mean": mean.get(key), "before": old.get(key), "survey": survey.title(language)})
    return rows
