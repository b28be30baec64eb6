"""청렴노력도 scoring (pure): an institution's indicator results -> indicator, area and total points."""

from .scoring import EffortScore, IndicatorResult, indicator_points, score_institution
from .survey import answers_of, item_score, survey_value

__all__ = ["EffortScore", "IndicatorResult", "answers_of", "indicator_points", "item_score", "score_institution", "survey_value"]
