"""The yearly plan's rules (seed 003: 3대 추진 전략, 6개 핵심과제, 15개 세부과제):
when a sub-task is overdue, how progress rolls up to strategies, and how a plan is
carried into the next year."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from statistics import fmean

PLANNED, IN_PROGRESS, DONE, DROPPED = "planned", "in_progress", "done", "dropped"
CLOSED = (DONE, DROPPED)


def is_overdue(deadline: date | None, status: str, progress: int | None, today: date) -> bool:
    """Past its deadline and neither done (or 100% reported) nor dropped."""
    if deadline is None or status in CLOSED or (progress or 0) >= 100:
        return False
    return deadline < today


def effective_progress(status: str, progress: int | None) -> int:
    """A done task counts as 100%; otherwise its latest reported progress (0 without one)."""
    return 100 if status == DONE else max(0, min(100, progress or 0))


@dataclass(frozen=True)
class Rollup:
    tasks: int
    done: int
    overdue: int
    progress: float  # mean progress of the tasks that count, 0–100


def rollup(tasks: list[tuple[str, int | None, bool]]) -> Rollup:
    """(status, latest progress, overdue) of the sub-tasks under one strategy (or the whole
    plan). Dropped tasks are left out of the mean: they are no longer part of the plan."""
    counted = [(s, p, o) for s, p, o in tasks if s != DROPPED]
    mean = fmean(effective_progress(s, p) for s, p, _ in counted) if counted else 0.0
    return Rollup(len(counted), sum(1 for s, p, _ in counted if effective_progress(s, p) >= 100),
                  sum(1 for *_, o in counted if o), mean)


def next_year(day: date | None) -> date | None:
    """The same day a year later; 29 February becomes 28 February."""
    if day is None:
        return None
    year = day.year + 1
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))
