"""What a 2022+ result shows beside the overall score, and which runs can be compared.

- The parts graded beside the overall grade (the model file's ``grading.measures``:
  2022+ 청렴체감도 and 청렴노력도), each with its score and grade as the run stored them.
- 청렴노력도 by area where the run has it (``effort_area_<code>`` in the result's scores,
  written by the effort evaluation); otherwise the total only.
- Scales: the 2017 model scores on 10 points, the 2022+ model on 100. Two runs are
  comparable only on the same scale; across the change a result is shown beside the
  other, labelled with its scale, and no difference is ever formed (docs/results-2022.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, gettext as _

from integrity.model.names import english

from .models import InstitutionResult, ScoringRun

EFFORT_AREA = "effort_area_"

_scales: dict[str, float | None] = {}  # model text -> scale maximum (parsing a model file is not free)


def scale_of(run: ScoringRun) -> float | None:
    """The run's top of scale (10 or 100), from the model it was scored with; None when
    that model can no longer be read (then it is comparable with nothing)."""
    key = run.model_text or f"shipped:{run.year}"
    if key not in _scales:
        try:
            _scales[key] = float(run.model.scale_max)
        except Exception:  # a model no longer shipped: no scale known, no comparison
            _scales[key] = None
    return _scales[key]


def same_scale(a: ScoringRun, b: ScoringRun) -> bool:
    sa, sb = scale_of(a), scale_of(b)
    return sa is not None and sa == sb


def scale_label(scale: float | None) -> str:
    return "" if scale is None else _("%(top)s점 만점") % {"top": f"{scale:g}"}


@dataclass(frozen=True)
class Part:
    code: str
    name: str
    score: float | None
    grade: int | None


def part_key(model, code: str) -> str:
    """Where the engine stores a component's score: entered inputs as input_<code>, surveys
    and composites as score_<code>."""
    return f"input_{code}" if any(i.code == code for i in model.inputs) else f"score_{code}"


def part_names(model, language: str | None = None) -> dict[str, str]:
    """Code -> name of the surveys, entered inputs and composites, in the page's language."""
    names = model.component_names(language or get_language())
    names.pop("overall", None)
    return names


def type_title(model, code: str, stored: str, language: str | None = None) -> str:
    """An institution type as the page reads it: the name the run stored (Korean) unless the
    page is in English and the run's model names the type in English."""
    language = language or get_language()
    found = model.institution_types.get(code) if model is not None and english(language) else None
    return found.title(language) if found is not None else stored


def overall_formula(model, language: str | None = None) -> str:
    """The overall score's weighted sum in words, from the model's weight sets (e.g.
    "청렴체감도 × 0.6 + 청렴노력도 × 0.4"); sets that differ are joined with " / "."""
    names = part_names(model, language)
    sums = []
    for weights in model.weight_sets.values():
        text = " + ".join(f"{names.get(c, c)} × {w:g}" for c, w in weights.items())
        if text not in sums:
            sums.append(text)
    return " / ".join(sums)


def graded_parts(model, language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of the parts the model grades beside the overall score, in its order and
    the page's language (``language`` given: in that one)."""
    names = part_names(model, language)
    return [(code, names.get(code, code)) for code in model.grade_measures if code != "overall"]


def parts_of(model, result: InstitutionResult) -> list[Part]:
    s = result.scores
    return [Part(code, name, s.get(part_key(model, code)), s.get(f"grade_{code}")) for code, name in graded_parts(model)]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    score: float | None
    points: float | None  # the area's share of 100 where the model file says it


def effort_areas(model, result: InstitutionResult) -> list[Area]:
    """청렴노력도 by area as the run stored it, in the model file's order where the model
    has an effort framework (names, points), else in code order; [] when the run has none."""
    stored = {k.removeprefix(EFFORT_AREA): v for k, v in result.scores.items() if k.startswith(EFFORT_AREA)}
    if not stored:
        return []
    framework = getattr(model, "effort", None)
    known = [a for a in getattr(framework, "areas", ()) or () if getattr(a, "code", None) in stored]
    language = get_language()
    areas = [Area(a.code, a.title(language), stored[a.code], getattr(a, "points", None)) for a in known]
    seen = {a.code for a in areas}
    return areas + [Area(code, code, stored[code], None) for code in sorted(stored) if code not in seen]


EFFORT_INDICATOR = "effort_indicator_"


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    area: str  # its area's code
    score: float | None
    points: float | None
    objection: object | None  # the institution's objection (effort.Objection) with its outcome, if any


def objections_of_year(year: int, codes=None) -> dict[str, dict[str, object]]:
    """Institution code -> indicator -> its objection (effort.Objection), in one query."""
    from integrity.apps.effort.models import Objection

    rows = Objection.objects.filter(institution__year__year=year).select_related("institution")
    if codes is not None:
        rows = rows.filter(institution__code__in=list(codes))
    out: dict[str, dict[str, object]] = {}
    for o in rows:
        out.setdefault(o.institution.code, {})[o.indicator] = o
    return out


def effort_indicators(model, result: InstitutionResult, objections: dict | None = None) -> list[IndicatorLine]:
    """청렴노력도 by indicator as the run stored it (``effort_indicator_<code>``), in the
    model file's order, each with the institution's objection and its outcome (이의신청:
    the decision and its reason, read live: a decision is shown even if it came after
    the run); [] when the run has none. ``objections``: objections_of_year's answer, when
    many results are shown at once."""
    stored = {k.removeprefix(EFFORT_INDICATOR): v for k, v in result.scores.items() if k.startswith(EFFORT_INDICATOR)}
    framework = getattr(model, "effort", None)
    if not stored or framework is None:
        return []
    if objections is None:
        objections = objections_of_year(result.run.year, [result.institution_code])
    filed = objections.get(result.institution_code, {})
    language = get_language()
    return [IndicatorLine(i.code, i.title(language), a.code, stored.get(i.code), i.points, filed.get(i.code))
            for a in framework.areas for i in a.indicators if i.code in stored or i.code in filed]
