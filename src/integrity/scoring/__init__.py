"""The scoring engine (pure: no Django, no database)."""

from .engine import NOT_SCORED, SCORED, VOIDED, YearResult, round_half_up, score_year

__all__ = ["NOT_SCORED", "SCORED", "VOIDED", "YearResult", "round_half_up", "score_year"]
