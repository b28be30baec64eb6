"""An institution's report: scores against its type's average and last year,
weakest items, tasks and offices, deductions explained, charts (inline SVG, so
the same page prints to PDF)."""

from __future__ import annotations

from statistics import fmean

from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.safestring import mark_safe


from integrity.scoring.change import significant_change

from .models import InstitutionResult, ScoringRun
from .parts import (effort_areas, effort_indicators, overall_formula, parts_of, same_scale, scale_label, scale_of,
                    type_title)

WEAKEST = 5


def type_averages(run: ScoringRun, type_code: str) -> dict[str, float]:
    rows = list(run.results.filter(type_code=type_code, status="scored").values_list("scores", "overall"))
    keys = {k for scores, _ in rows for k, v in scores.items() if isinstance(v, (int, float))}
    out = {k: fmean(v for s, _ in rows if isinstance(v := s.get(k), (int, float))) for k in keys}
    overall = [o for _, o in rows if o is not None]
    out["overall"] = fmean(overall) if overall else None
    return out


def previous_result(result: InstitutionResult) -> InstitutionResult | None:
    """The body's result in last year's published run, whatever its scale."""
    previous = ScoringRun.objects.filter(year=result.run.year - 1, published_at__isnull=False).first()
    return previous.results.filter(institution_code=result.institution_code).first() if previous else None


def last_year(result: InstitutionResult) -> InstitutionResult | None:
    """Last year's result to compare with: none across the model change (10 against 100
    points is no comparison; ``other_scale`` shows it beside instead)."""
    before = previous_result(result)
    return before if before is not None and same_scale(before.run, result.run) else None


def other_scale(result: InstitutionResult) -> dict | None:
    """Last year's result on another scale (2021's 10 points beside 2022's 100), to be
    shown side by side with both scales named, never subtracted."""
    before = previous_result(result)
    if before is None or same_scale(before.run, result.run):
        return None
    try:
        parts = parts_of(before.run.model, before)
    except Exception:  # a model no longer shipped: the overall score and grade only
        parts = []
    return {"result": before, "run": before.run, "scale": scale_label(scale_of(before.run)),
            "scale_now": scale_label(scale_of(result.run)), "parts": parts}


def _row(label, key, result, average, before, depth=0, confidence=0.95):
    value = result.scores.get(key) if key != "overall" else result.overall
    old = None
    if before is not None:
        old = before.scores.get(key) if key != "overall" else before.overall
    row = {"label": label, "key": key, "score": value, "average": average.get(key), "last": old, "depth": depth,
           "gap": None if value is None or average.get(key) is None else value - average[key]}
    return row | uncertainty_of(result, before, key.removeprefix("score_"), value, old, confidence)


def uncertainty_of(result, before, code: str, value, old, confidence: float) -> dict:
    """Standard error, interval and whether the change from last year is significant, for
    a survey score (``code`` = survey) or the overall score; empty where the run has none."""
    se = result.scores.get(f"se_{code}")
    if se is None:
        return {}
    se_before = before.scores.get(f"se_{code}") if before is not None else None
    return {"se": se, "ci_low": result.scores.get(f"ci_low_{code}"), "ci_high": result.scores.get(f"ci_high_{code}"),
            "significant": significant_change(value, se, old, se_before, confidence)}


def stability_of(result) -> dict:
    """The grade's stability in words people read."""
    p = result.scores.get("grade_change_probability")
    if p is None or result.grade is None:
        return {}
    return {"probability": p, "percent": round(p * 100), "near_cut": bool(result.scores.get("near_cut"))}


def build(result: InstitutionResult) -> dict:
    run = result.run
    model = run.model  # the model file the run was scored with
    average = type_averages(run, result.type_code)
    before = last_year(result)
    confidence = model.uncertainty.confidence
    language = get_language()
    surveys = []
    for sv in model.surveys:
        if not result.scores.get(f"n_{sv.code}"):
            continue
        rows = [_row(sv.title(language), f"score_{sv.code}", result, average, before, confidence=confidence)]
        rows += [_row(node.title(language), f"score_{node.code}", result, average, before, depth)
                 for node, depth in _nodes(sv.root, 1)]
        items = [_row(f"{i.code} {i.title(language)}", f"item_{i.code}", result, average, before, 0) for i in sv.items]
        surveys.append({"survey": sv, "rows": rows, "items": items, "responses": result.scores.get(f"n_{sv.code}")})
    all_items = [i for s in surveys for i in s["items"] if i["gap"] is not None]
    weakest = sorted(all_items, key=lambda r: r["gap"])[:WEAKEST]
    units = list(run.units.filter(institution_code=result.institution_code).order_by("unit_kind", "unit", "survey"))
    names = _unit_names(run.year, result.institution_code)
    surveys_by_code = {sv.code: sv.title(language) for sv in model.surveys}
    for unit in units:
        unit.label = names.get(unit.unit.rsplit("-", 1)[-1], unit.unit)
        unit.survey_name = surveys_by_code.get(unit.survey, unit.survey)
    scale = model.scale_max
    chart = bar_chart([(s["survey"].title(language), s["rows"][0]["score"], s["rows"][0]["average"],
                        (s["rows"][0].get("ci_low"), s["rows"][0].get("ci_high"))) for s in surveys], scale,
                      round(confidence * 100))
    graded = parts_of(model, result)
    overall = uncertainty_of(result, before, "overall", result.overall, before.overall if before else None, confidence)
    return {
        "result": result, "run": run, "model": model, "average": average, "before": before, "surveys": surveys,
        "type_title": type_title(model, result.type_code, result.type_name),
        "weakest": weakest, "units": units, "chart": chart, "deductions": deductions_explained(result),
        "graded": run.results.filter(type_code=result.type_code, status="scored").count(),
        "overall_uncertainty": overall, "stability": stability_of(result),
        "confidence_percent": round(confidence * 100),
        "parts": district_parts(result), "parent": parent_of(result),
        # 2022+: 체감도·노력도 graded beside the overall, 노력도 by area, last year on another scale
        "graded_parts": graded, "effort_areas": effort_areas(model, result),
        "effort_indicators": effort_indicators(model, result),
        "effort": next((p for p in graded if p.code in {i.code for i in model.inputs}), None),
        "formula": overall_formula(model) if len(model.grade_measures) > 1 else "",
        "earlier": other_scale(result), "scale": scale_label(model.scale_max),
    }


def district_parts(result: InstitutionResult) -> list[InstitutionResult]:
    """The district offices measured within this body (교육지원청 of a 시·도교육청): their
    own scores, a breakdown of this body's (they are neither graded nor ranked)."""
    return list(result.run.results.filter(scores__parent_body=result.institution_code, status="in_parent")
                .order_by("institution_code"))


def parent_of(result: InstitutionResult) -> InstitutionResult | None:
    code = result.scores.get("parent_body")
    return result.run.results.filter(institution_code=code).first() if code else None


def _nodes(node, depth):
    """The tree below ``node`` in reading order, with depths."""
    for child in node.children:
        yield child, depth
        yield from _nodes(child, depth + 1)


def _unit_names(year: int, code: str) -> dict[str, str]:
    from integrity.apps.registry.models import LocalOffice, TargetTask

    tasks = TargetTask.objects.filter(institution__year__year=year, institution__code=code).values_list("code", "name")
    offices = LocalOffice.objects.filter(institution__year__year=year, institution__code=code).values_list("code", "name")
    return dict(tasks) | dict(offices)


def deductions_explained(result: InstitutionResult) -> dict:
    from integrity.apps.incidents.models import Case, CredibilityCase
    from integrity.apps.incidents.services import decision_of

    cases = []
    rules = result.run.model.incidents  # as the run counted them
    for case in Case.objects.filter(year__year=result.run.year).select_related("institution", "acted_at", "seconded_from", "year"):
        decision = decision_of(case, rules)
        if result.institution_code in decision.institutions or case.institution.code == result.institution_code:
            cases.append({"case": case, "decision": decision})
    credibility = CredibilityCase.objects.filter(year__year=result.run.year, institution__code=result.institution_code)
    s = result.scores
    external, internal = s.get("incident_external_points") or 0.0, s.get("incident_internal_points") or 0.0
    # 2022+: 부패실태 comes off the overall score, not the surveys (incidents.deduct_from)
    from_overall = getattr(rules, "deduct_from", "surveys") == "overall"
    return {"external": external, "internal": internal, "from_overall": from_overall, "cap": rules.cap,
            "corruption": s.get("corruption_points") if s.get("corruption_points") is not None else external + internal,
            "credibility": s.get("credibility_points") or 0.0, "cases": cases, "credibility_cases": list(credibility)}


def bar_chart(rows: list[tuple], scale: float, confidence_percent: int = 95) -> str:
    """Horizontal bars: the institution (dark, with its interval as an error bar where the
    run has one) against its type's average (light). A row: (name, value, average[, (low, high)])."""
    width, label, height = 520, 120, 26
    span = width - label - 60
    parts = []
    for i, (name, value, average, *interval) in enumerate(rows):
        y = i * height * 2
        parts.append(format_html('<text x="0" y="{}" font-size="13">{}</text>', y + 17, name))
        for j, (v, colour, caption) in enumerate(((value, "#1f5fbf", "기관"), (average, "#a9c1e8", "유형 평균"))):
            if v is None:
                continue
            w = max(0.0, min(1.0, v / scale)) * span
            low, high = (interval[0] if interval and j == 0 else (None, None))
            offset = 4
            if low is not None and high is not None:
                x1, x2 = (label + max(0.0, min(1.0, b / scale)) * span for b in (low, high))
                mid = y + j * height + height / 2
                parts.append(format_html(
                    '<g stroke="#102a56" stroke-width="1.5"><title>{}% 구간 {} ~ {}</title>'
                    '<line x1="{}" x2="{}" y1="{}" y2="{}"></line><line x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                    '<line x1="{}" x2="{}" y1="{}" y2="{}"></line></g>',
                    confidence_percent, f"{low:.2f}", f"{high:.2f}", f"{x1:.1f}", f"{x2:.1f}", f"{mid:.1f}", f"{mid:.1f}",
                    f"{x1:.1f}", f"{x1:.1f}", f"{mid - 6:.1f}", f"{mid + 6:.1f}",
                    f"{x2:.1f}", f"{x2:.1f}", f"{mid - 6:.1f}", f"{mid + 6:.1f}"))
                offset = max(4.0, x2 - label - w + 4)
            parts.insert(len(parts) - (1 if low is not None and high is not None else 0), format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}</title></rect>',
                label, y + j * height + 4, f"{w:.1f}", height - 8, colour, caption, f"{v:.2f}"))
            parts.append(format_html('<text x="{}" y="{}" font-size="11">{}</text>',
                                     f"{label + w + offset:.1f}", y + j * height + 18, f"{v:.2f}"))
    total = max(1, len(rows)) * height * 2
    return format_html('<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="설문별 점수와 유형 평균" '
                       'xmlns="http://www.w3.org/2000/svg">{}</svg>', width, total, mark_safe("".join(parts)))


def histogram(values: list[float], scale: float, bins: int = 20, mark: float | None = None) -> str:
    """Distribution of overall scores in a type, with this institution marked."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - low) / span * bins))] += 1
    top = max(counts)
    bars = format_html_join("", '<rect x="{}" y="{}" width="18" height="{}" fill="#7ea3dc"></rect>',
                            ((i * 20, f"{100 - c / top * 90:.1f}", f"{c / top * 90:.1f}") for i, c in enumerate(counts)))
    marker = ""
    if mark is not None:
        x = (mark - low) / span * bins * 20
        marker = format_html('<line x1="{}" x2="{}" y1="0" y2="100" stroke="#b3261e" stroke-width="2"></line>', f"{x:.1f}", f"{x:.1f}")
    return format_html('<svg viewBox="0 -5 {} 125" width="100%" role="img" aria-label="종합청렴도 분포" '
                       'xmlns="http://www.w3.org/2000/svg">{}{}<text x="0" y="118" font-size="10">{}</text>'
                       '<text x="{}" y="118" font-size="10" text-anchor="end">{}</text></svg>',
                       bins * 20, bars, marker, f"{low:.2f}", bins * 20, f"{high:.2f}")
