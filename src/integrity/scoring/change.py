"""Year-on-year change judged against its uncertainty (DOMAIN.md, "Statistical quality of
published scores"): a change is significant only when it exceeds what the two years'
sampling errors together could make by chance, at the model's confidence level.

The two years are independent samples, so the standard error of the difference is
sqrt(se_now² + se_before²); the change is significant when |now − before| exceeds z
times that (z = 1.96 at 95%). Without a standard error for either year (a run scored
before standard errors were stored, a body with no score) the question has no answer:
None, never a guess."""

from __future__ import annotations

import math
from statistics import NormalDist


def critical_value(confidence: float) -> float:
    """Two-sided normal quantile: 1.96 at 0.95."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("신뢰수준은 0과 1 사이여야 합니다")
    return NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def significant_change(now: float | None, se_now: float | None, before: float | None, se_before: float | None,
                       confidence: float) -> bool | None:
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (now, se_now, before, se_before)):
        return None
    combined = math.hypot(se_now, se_before)
    if combined == 0.0:
        return now != before
    return abs(now - before) > critical_value(confidence) * combined
