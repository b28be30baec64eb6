"""Score one institution's 청렴노력도 by the model file's framework (integrity.model.effort).

Quantitative and bonus indicators are scored from the figure the institution submitted;
qualitative ones from the rubric level the panel chose; survey ones from the survey score
(0..100) the panel entered. Nothing here knows a particular indicator: every rule is data.
"""

from __future__ import annotations

from dataclasses import dataclass

from integrity.model.effort import BONUS, LINEAR, QUALITATIVE, QUANTITATIVE, SURVEY, EffortFramework, Indicator


@dataclass(frozen=True)
class IndicatorResult:
    figure: float | None = None  # submitted figure (quantitative, bonus)
    level: str | None = None  # rubric level code chosen by the panel (qualitative)
    value: float | None = None  # survey: score 0..100 entered by the panel; qualitative without a
    # level: the decided points (two evaluators' mean within the reconciliation gap, integrity.effort.panels)


@dataclass(frozen=True)
class EffortScore:
    indicators: dict[str, float | None]  # code -> points (None: missing)
    areas: dict[str, float]  # area code -> points of its scored indicators (a bonus area: its bonus)
    bonus: float  # all bonus points earned, each indicator within its cap
    total: float | None  # on the framework's total; None while anything non-bonus is missing
    missing: tuple[str, ...]  # indicator codes without a result

    @property
    def complete(self) -> bool:
        return not self.missing


def _linear(ind: Indicator, figure: float) -> float:
    share = (figure - ind.floor) / (ind.target - ind.floor)  # floor > target: lower is better, same formula
    return ind.points * min(1.0, max(0.0, share))


def _thresholds(ind: Indicator, figure: float) -> float:
    earned = 0.0
    for at_least, points in ind.thresholds:
        if figure >= at_least:
            earned = points
    return earned


def indicator_points(ind: Indicator, result: IndicatorResult | None) -> float | None:
    """The points one indicator earns, or None if the result it needs is missing."""
    if result is None:
        return None
    if ind.kind == QUANTITATIVE:
        if result.figure is None:
            return None
        return _linear(ind, result.figure) if ind.rule == LINEAR else _thresholds(ind, result.figure)
    if ind.kind == QUALITATIVE:
        level = ind.level(result.level) if result.level else None
        if level is not None:
            return level.points
        return None if result.value is None else min(ind.points, max(0.0, result.value))
    if ind.kind == SURVEY:
        if result.value is None:
            return None
        return ind.points * min(100.0, max(0.0, result.value)) / 100.0
    if ind.kind == BONUS:
        if result.figure is None:
            return None
        return min(ind.points, max(0.0, result.figure) * ind.per_unit)
    raise ValueError(f"알 수 없는 지표 종류 '{ind.kind}'")


def score_institution(framework: EffortFramework, results: dict[str, IndicatorResult]) -> EffortScore:
    """Indicator points, area points and the total (non-bonus sum plus capped bonus, at most
    the framework's total). A missing bonus counts 0; any other missing result leaves the
    total empty, so the body is not scored rather than scored low by accident."""
    points: dict[str, float | None] = {}
    areas: dict[str, float] = {}
    missing = []
    bonus = 0.0
    for area in framework.areas:
        area_sum = 0.0
        for ind in area.indicators:
            earned = indicator_points(ind, results.get(ind.code))
            points[ind.code] = earned
            if earned is None:
                if ind.kind != BONUS:
                    missing.append(ind.code)
                continue
            if ind.kind == BONUS:
                bonus += earned
            area_sum += earned
        areas[area.code] = area_sum
    total = None if missing else min(framework.total, sum(areas.values()))
    return EffortScore(indicators=points, areas=areas, bonus=bonus, total=total, missing=tuple(missing))
