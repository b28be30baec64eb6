"""Dates of a year and what follows from them on a given day. Pure: ``today`` is always
passed in, so every rule is tested with a fixed date and no clock is mocked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

PLANS_FILE = Path(__file__).with_name("plans.yaml")
# In the order they happen (seed IV); the names are the database's choices.
PHASES = ("rosters", "fieldwork", "onsite", "incidents", "scoring", "publication")
OVERDUE = "overdue"  # the reminder stage after the due date


class PlanError(ValueError):
    """plans.yaml is malformed (Korean message)."""


@dataclass(frozen=True)
class Plan:
    """Default dates of one year: phase -> (starts, ends), form -> due date."""

    year: int
    phases: dict[str, tuple[dt.date, dt.date]]
    form_due: dict[str, dt.date] = field(default_factory=dict)
    reminder_days: tuple[int, ...] = (7, 1)

    def due(self, form_code: str) -> dt.date:
        return self.form_due.get(form_code, self.phases["rosters"][1])

    def with_roster_due(self, due: dt.date) -> Plan:
        """The measurement model's roster due date (fieldwork.roster_due) ends roster
        submission: the model file stays the one source of that date."""
        starts = min(self.phases["rosters"][0], due)
        return Plan(self.year, {**self.phases, "rosters": (starts, due)}, self.form_due, self.reminder_days)


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PlanError(f"plans.yaml: {where}: 날짜가 아닙니다 ({value!r}, 예: 2017-07-25)") from None


def _moved(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return day.replace(year=year, day=28)


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load_plan(year: int, path: Path = PLANS_FILE) -> Plan:
    """The year's default plan, validated; a year without its own entry takes the
    latest earlier (else the earliest) year's dates moved to it."""
    raw = _raw(path)
    days = tuple(raw.get("reminder_days") or ())
    if not days or any(not isinstance(d, int) or d < 0 for d in days):
        raise PlanError("plans.yaml: reminder_days는 0 이상의 정수 목록이어야 합니다 (예: [7, 1])")
    years = raw.get("years") or {}
    if not years:
        raise PlanError("plans.yaml: years가 비어 있습니다")
    known = sorted(int(y) for y in years)
    source = year if year in known else max([y for y in known if y < year], default=known[0])
    spec = years[source]
    phases = {}
    for kind in PHASES:
        dates = (spec.get("phases") or {}).get(kind)
        if not dates:
            raise PlanError(f"plans.yaml: {source}년 단계 '{kind}'의 날짜가 없습니다")
        starts = _moved(_date(dates.get("starts"), f"{source}.{kind}.starts"), year)
        ends = _moved(_date(dates.get("ends"), f"{source}.{kind}.ends"), year)
        if ends < starts:
            raise PlanError(f"plans.yaml: {source}년 단계 '{kind}'가 시작일보다 먼저 끝납니다")
        phases[kind] = (starts, ends)
    form_due = {code: _moved(_date(d, f"{source}.form_due.{code}"), year) for code, d in (spec.get("form_due") or {}).items()}
    return Plan(year, phases, form_due, tuple(sorted(set(days), reverse=True)))


def current_phases(phases: Iterable, today: dt.date) -> list:
    """Phases under way on ``today`` (several overlap: fieldwork and on-site checks).
    ``phases``: objects with ``starts`` and ``ends``."""
    return [p for p in phases if p.starts <= today <= p.ends]


def next_phase(phases: Iterable, today: dt.date):
    """The first phase still to start after ``today``, or None."""
    upcoming = [p for p in phases if p.starts > today]
    return min(upcoming, key=lambda p: p.starts) if upcoming else None


def effective_due(due: dt.date, extension_until: dt.date | None = None) -> dt.date:
    """An extension only ever moves the date later."""
    return max(due, extension_until) if extension_until else due


def is_late(due: dt.date | None, today: dt.date, extension_until: dt.date | None = None) -> bool:
    """Submitting is late from the day after the due date (the due date itself counts)."""
    return due is not None and today > effective_due(due, extension_until)


def days_left(due: dt.date, today: dt.date) -> int:
    return (due - today).days


def reminder_stage(due: dt.date, today: dt.date, offsets: Sequence[int]) -> str | None:
    """Which automatic reminder is due on ``today`` for a form still owed: ``before:N``
    for the nearest offset N already reached (a run that missed the 7-day one on day 5
    still sends it; on the last day only the 1-day one), ``overdue`` after the date,
    None before the first offset. Each stage is sent once (the caller keeps the log)."""
    left = days_left(due, today)
    if left < 0:
        return OVERDUE
    reached = [d for d in offsets if left <= d]
    return f"before:{min(reached)}" if reached else None


class SubmissionStatus(StrEnum):
    NONE = "none"  # 미제출
    REJECTED = "rejected"  # 반려 (only rejected uploads so far)
    ACCEPTED = "accepted"  # 접수


def submission_status(parts: Sequence[tuple[bool, bool]]) -> SubmissionStatus:
    """``parts``: (accepted, rejected) per roster the form needs (one, or one per task
    for the external roster). Accepted when every part is; rejected when a part still
    owed has only rejected uploads; otherwise not submitted."""
    if parts and all(accepted for accepted, _ in parts):
        return SubmissionStatus.ACCEPTED
    if any(rejected and not accepted for accepted, rejected in parts):
        return SubmissionStatus.REJECTED
    return SubmissionStatus.NONE
