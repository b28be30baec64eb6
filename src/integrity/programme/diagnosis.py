"""Diagnosis from the published results: which items and areas of the institution lie
furthest below its type's mean, which fields moved most since last year, and how far
each difference can be trusted.

Each row is a plain dict (``code``, ``name``, ``level`` and the values); the callers
read them from the stored run. Uncertainty is known where the run stored a standard
error (surveys and the overall score, ``se_<code>``): the gap to the type's mean gets
the interval gap ± z·se (the mean of the many bodies of a type is taken as fixed), a
change from last year gap ± z·√(se_now² + se_before²) (independent samples, as
``scoring.change``). An interval that holds 0 means the difference is within the error
("차이가 오차 범위 안"); without a standard error nothing is claimed."""

from __future__ import annotations

import math
from dataclasses import dataclass

from integrity.scoring.change import critical_value


@dataclass(frozen=True)
class Difference:
    code: str
    name: str
    level: str  # survey | area | item (the caller's words)
    value: float
    reference: float  # the type's mean, or last year's score
    difference: float
    low: float | None = None
    high: float | None = None

    @property
    def within_error(self) -> bool | None:
        """True when the interval covers 0; None when no uncertainty is known."""
        if self.low is None or self.high is None:
            return None
        return self.low <= 0.0 <= self.high


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v)


def _interval(diff: float, se: float | None, confidence: float) -> tuple[float | None, float | None]:
    if se is None or not _number(se):
        return None, None
    half = critical_value(confidence) * se
    return diff - half, diff + half


def gaps_to_mean(rows: list[dict], confidence: float) -> list[Difference]:
    """Rows: code, name, level, value, mean[, se]. Each row's gap to the type's mean,
    weakest (most negative) first; rows without a value or a mean are left out."""
    out = []
    for r in rows:
        if not (_number(r.get("value")) and _number(r.get("mean"))):
            continue
        diff = r["value"] - r["mean"]
        low, high = _interval(diff, r.get("se"), confidence)
        out.append(Difference(r["code"], r["name"], r["level"], r["value"], r["mean"], diff, low, high))
    return sorted(out, key=lambda d: (d.difference, d.code))


def weakest(rows: list[dict], confidence: float, limit: int, level: str | None = None) -> list[Difference]:
    """The ``limit`` rows furthest below the type's mean (of one level if given); only rows
    below the mean count as weak."""
    gaps = [d for d in gaps_to_mean(rows, confidence) if d.difference < 0 and (level is None or d.level == level)]
    return gaps[:limit]


def moved(rows: list[dict], confidence: float, limit: int) -> list[Difference]:
    """Rows: code, name, level, value, before[, se, se_before]. The changes from last year,
    largest first (up or down); without both years' values a row is left out."""
    out = []
    for r in rows:
        if not (_number(r.get("value")) and _number(r.get("before"))):
            continue
        diff = r["value"] - r["before"]
        se, se_before = r.get("se"), r.get("se_before")
        combined = math.hypot(se, se_before) if _number(se) and _number(se_before) else None
        low, high = _interval(diff, combined, confidence)
        out.append(Difference(r["code"], r["name"], r["level"], r["value"], r["before"], diff, low, high))
    return sorted(out, key=lambda d: (-abs(d.difference), d.code))[:limit]
