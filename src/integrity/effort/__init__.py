"""청렴노력도 scoring (pure): an institution's indicator results -> indicator, area and total points."""

from .scoring import EffortScore, IndicatorResult, indicator_points, score_institution

__all__ = ["EffortScore", "IndicatorResult", "indicator_points", "score_institution"]
