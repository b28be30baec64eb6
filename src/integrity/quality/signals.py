"""Institution-level signals: requests for favourable answers reported by
respondents, careless responding well above the norm, and bursts of completes
from one source."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FAVOUR_MIN_REPORTS = 2  # respondents reporting a request for a favourable answer ...
FAVOUR_MIN_SHARE = 0.02  # ... and at least this share of the institution's respondents
CARELESS_MIN_FLAGGED = 5
CARELESS_SIGMAS = 3.0  # above the survey-wide share by this many binomial standard errors
BURST_MIN_COMPLETES = 30  # completes in one hour from one network


@dataclass(frozen=True)
class Signal:
    institution: str
    kind: str  # favour | careless | burst
    evidence: str


def institution_signals(institutions: np.ndarray, favour: np.ndarray, careless: np.ndarray) -> list[Signal]:
    """``institutions``: the institution of each response; ``favour``: 1.0 / 0.0 / NaN
    per response; ``careless``: the careless flag per response."""
    signals = []
    base = careless.mean() if len(careless) else 0.0
    for code in np.unique(institutions):
        rows = institutions == code
        n = int(rows.sum())
        reports = int(np.nansum(favour[rows] == 1))
        answered = int((~np.isnan(favour[rows])).sum())
        if reports >= FAVOUR_MIN_REPORTS and answered and reports / answered >= FAVOUR_MIN_SHARE:
            signals.append(Signal(str(code), "favour", f"응답자 {answered}명 중 {reports}명이 호의적 응답 요청을 받았다고 답함"))
        flagged = int(careless[rows].sum())
        limit = base + CARELESS_SIGMAS * math.sqrt(max(base * (1 - base), 1e-9) / n)
        if flagged >= CARELESS_MIN_FLAGGED and flagged / n > limit:
            signals.append(Signal(str(code), "careless",
                                  f"불성실 응답 의심 {flagged}/{n}건({flagged / n:.1%}); 전체 {base:.1%}"))
    return signals


def burst_signals(rows: list[tuple[str, str, int]]) -> list[Signal]:
    """``rows``: (institution, hour, completes) for one source network each."""
    return [Signal(code, "burst", f"{hour} 한 시간에 같은 네트워크에서 {n}건 완료")
            for code, hour, n in rows if n >= BURST_MIN_COMPLETES]
