"""The methodology page's content, read from the model file a run was scored with, so
the page and the scores never disagree."""

from __future__ import annotations

from django.utils.translation import get_language

from integrity.scoring.change import critical_value


def _band(cut_above: float | None, cut_below: float | None) -> str:
    if cut_above is None:
        return f"유형 평균 + 표준편차 × {cut_below:g} 이상"
    if cut_below is None:
        return f"유형 평균 + 표준편차 × {cut_above:g} 미만"
    return f"유형 평균 + 표준편차 × {cut_below:g} 이상, {cut_above:g} 미만"


def method(model) -> dict:
    language = get_language()
    names = model.component_names(language)
    types_by_set: dict[str, list[str]] = {}
    for t in model.institution_types.values():
        if t.measured_within is None:  # 교육지원청: measured within its 시·도교육청, no weight set of its own to publish
            types_by_set.setdefault(t.weight_set, []).append(t.title(language))
    within = [{"name": t.title(language), "parent": model.institution_types[t.measured_within].title(language), "rotation": t.rotation}
              for t in model.institution_types.values() if t.measured_within]
    weight_sets = [{"types": types_by_set.get(code, []),
                    "parts": [(names.get(part, part), weight) for part, weight in weights.items()]}
                   for code, weights in model.weight_sets.items() if types_by_set.get(code)]
    surveys = [{"name": sv.title(language), "respondents": sv.respondents,
                "parts": [(node.title(language), node.weight) for node in sv.root.children],
                "items": sum(1 for _ in sv.items)} for sv in model.surveys]
    cuts = list(model.grade_cut_points)
    grades = [{"grade": g + 1, "band": _band(cuts[g - 1] if g > 0 else None, cuts[g] if g < len(cuts) else None)}
              for g in range(model.grades)]
    u = model.uncertainty
    return {"model": model, "weight_sets": weight_sets, "surveys": surveys, "grades": grades,
            "min_institutions": model.grade_min_institutions, "incident_cap": model.incidents.cap,
            "replicates": u.replicates, "seed": u.seed, "confidence_percent": round(u.confidence * 100),
            "z": f"{critical_value(u.confidence):.2f}", "weighted": model.weighting.post_stratify,
            "office_min_responses": model.office_min_responses, "within": within,
            # 2022+: parts graded beside the overall score by the same rule (grading.measures)
            "graded_parts": [names.get(m, m) for m in model.grade_measures[1:]]}
