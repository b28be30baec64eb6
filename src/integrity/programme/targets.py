"""Targets on the published measures (seed 003: "종합청렴도 및 청렴체감도 상위등급";
seed 004: "청렴도 1등급").

What can be targeted comes from the model file the results were scored with, never a
list in code: the overall score (``overall_name``), the composites (2022+ 청렴체감도),
the entered inputs (2022+ 청렴노력도), each survey (2017 외부·내부청렴도, 정책고객평가)
and each item. A grade can be targeted only where the model grades the measure
(``grading.measures``); a score anywhere.

A result is read as one flat dict: the run's stored scores plus ``overall`` and
``grade`` (the overall grade), as ``results.InstitutionResult`` holds them."""

from __future__ import annotations

from dataclasses import dataclass

GRADE = "grade"
SCORE = "score"
ITEM_PREFIX = "item:"


@dataclass(frozen=True)
class Measure:
    code: str  # "overall", a survey/composite/input code, or "item:<item code>"
    name: str
    gradable: bool
    is_item: bool = False


def measures(model, *, items: bool = True, language: str = "ko") -> list[Measure]:
    """The measures of ``model`` a target can be set on, in reading order: the overall,
    the parts graded beside it, the other composites and inputs, the surveys, the items;
    named in ``language`` (Korean where the model file gives no English)."""
    graded = set(model.grade_measures)
    out = [Measure("overall", model.overall_title(language), "overall" in graded)]
    parts = [(c.code, c.title(language)) for c in (*model.composites, *model.inputs)]
    parts.sort(key=lambda p: p[0] not in graded)  # graded parts first, else the model file's order
    out += [Measure(code, name, code in graded) for code, name in parts]
    out += [Measure(s.code, s.title(language), s.code in graded) for s in model.surveys]
    if items:
        out += [Measure(f"{ITEM_PREFIX}{i.code}", f"{i.code} {i.title(language)}", False, True)
                for s in model.surveys for i in s.items]
    return out


def measure_named(model, code: str, language: str = "ko") -> Measure | None:
    return next((m for m in measures(model, language=language) if m.code == code), None)


def value_key(model, code: str) -> str:
    """Where a result stores the measure's score."""
    if code == "overall":
        return "overall"
    if code.startswith(ITEM_PREFIX):
        return f"item_{code.removeprefix(ITEM_PREFIX)}"
    if any(i.code == code for i in model.inputs):
        return f"input_{code}"
    return f"score_{code}"


def grade_key(code: str) -> str:
    return "grade" if code == "overall" else f"grade_{code}"


def actual(model, code: str, kind: str, result: dict | None) -> float | None:
    """The result's grade or score for the measure; None where the result has none."""
    if result is None:
        return None
    value = result.get(grade_key(code) if kind == GRADE else value_key(model, code))
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def achieved(kind: str, target: float, value: float | None) -> bool | None:
    """A grade target is met by that grade or a better one (1 is best); a score target by
    that score or more. None: no published result to judge by."""
    if value is None:
        return None
    if kind == GRADE:
        return value <= target
    return value >= target


def check_target(model, code: str, kind: str, value: float) -> str | None:
    """Why a target cannot be set (Korean), or None."""
    measure = measure_named(model, code)
    if measure is None:
        return f"측정모형에 없는 지표입니다: {code}"
    if kind == GRADE:
        if not measure.gradable:
            return f"'{measure.name}'에는 등급이 매겨지지 않습니다. 점수 목표를 정하세요"
        if value != int(value) or not 1 <= value <= model.grades:
            return f"등급은 1부터 {model.grades}까지의 정수로 적으세요"
    elif kind == SCORE:
        if not model.scale_min <= value <= model.scale_max:
            return f"점수는 {model.scale_min:g}점부터 {model.scale_max:g}점 사이로 적으세요"
    else:
        return "목표 종류는 등급 또는 점수입니다"
    return None
