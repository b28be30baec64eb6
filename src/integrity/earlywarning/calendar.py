"""The risk calendar (명절, 정기 인사, 채용, 선거): events with a kind and a date range,
optionally limited to some 시·도. A month's calendar covariate for a kind is the share of
its days inside an event of that kind (0 to 1), so a 설 that straddles two months weighs
on both."""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Event:
    kind: str
    name: str
    start: date
    end: date
    regions: tuple[str, ...] = ()  # empty: nationwide

    def applies_to(self, region: str) -> bool:
        """A nationwide event applies everywhere; a regional one to its 시·도 only
        (and not to national bodies, whose region is "")."""
        return not self.regions or region in self.regions


class CalendarError(ValueError):
    pass


def parse_events(raw: Sequence[dict], kinds: Iterable[str]) -> list[Event]:
    known = set(kinds)
    out = []
    for n, row in enumerate(raw, start=1):
        try:
            event = Event(str(row["kind"]), str(row["name"]), _day(row["start"]), _day(row["end"]),
                          tuple(row.get("regions") or ()))
        except (KeyError, TypeError, ValueError) as exc:
            raise CalendarError(f"일정 {n}번째 항목이 맞지 않습니다: {exc}") from exc
        if event.kind not in known:
            raise CalendarError(f"일정 {n}번째 항목 '{event.name}': 알 수 없는 종류 '{event.kind}' (허용: {', '.join(sorted(known))})")
        if event.end < event.start:
            raise CalendarError(f"일정 {n}번째 항목 '{event.name}': 끝나는 날이 시작일보다 앞입니다")
        out.append(event)
    return out


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_default(kinds: Iterable[str]) -> list[Event]:
    with open(HERE / "calendar_default.yaml", encoding="utf-8") as fh:
        return parse_events(yaml.safe_load(fh)["events"], kinds)


def month_days(year: int, month: int) -> int:
    return _cal.monthrange(year, month)[1]


def month_share(events: Iterable[Event], kind: str, year: int, month: int, region: str) -> float:
    """Share of the month's days inside at least one event of ``kind`` that applies to ``region``."""
    first = date(year, month, 1)
    days = month_days(year, month)
    last = first + timedelta(days=days - 1)
    covered: set[int] = set()
    for e in events:
        if e.kind != kind or e.end < first or e.start > last or not e.applies_to(region):
            continue
        lo, hi = max(e.start, first), min(e.end, last)
        covered.update(range(lo.day, hi.day + 1))
    return len(covered) / days


def active(events: Iterable[Event], year: int, month: int, region: str) -> list[Event]:
    """The events touching the month in the region (for the alert's evidence)."""
    first = date(year, month, 1)
    last = date(year, month, month_days(year, month))
    return [e for e in events if e.start <= last and e.end >= first and e.applies_to(region)]


def in_event(events: Iterable[Event], kinds: Iterable[str], day: date, region: str) -> bool:
    wanted = set(kinds)
    return any(e.kind in wanted and e.start <= day <= e.end and e.applies_to(region) for e in events)
