"""Cluster activity as the effort evaluation's bonus figure (청렴 클러스터 활동, seed 000:
10 points, proposed 20). The model file's indicator says ``source: cluster_activity`` and
which activities count (``counts``); this module counts them per public member:

- ``events_organised``: each cluster event the body organised (one per event, however many
  bodies organised it together), held within the evaluation period;
- ``meetings_attended``: each cluster meeting (representatives' meeting or steering
  committee) the body attended within the period.

Only what happened while the body was a member counts (joined on or before, not yet left).
The same activity is never counted twice for one body."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

EVENTS_ORGANISED, MEETINGS_ATTENDED = "events_organised", "meetings_attended"
ACTIVITY_KINDS = (EVENTS_ORGANISED, MEETINGS_ATTENDED)
ACTIVITY_NAMES = {EVENTS_ORGANISED: "행사 주관", MEETINGS_ATTENDED: "회의 참석"}


@dataclass(frozen=True)
class Activity:
    institution_code: str
    kind: str  # events_organised | meetings_attended
    key: str  # identifies the event or meeting (the same one never counts twice)
    on: date
    title: str
    cluster: str
    member_from: date | None = None  # the body's membership of that cluster
    member_until: date | None = None


def counted(activities: list[Activity], kinds: tuple[str, ...], period: tuple[date, date]) -> dict[str, list[Activity]]:
    """Institution code -> the activities that count, in date order."""
    start, end = period
    out: dict[str, dict[tuple[str, str], Activity]] = defaultdict(dict)
    for a in activities:
        if a.kind not in kinds or not start <= a.on <= end:
            continue
        if (a.member_from and a.on < a.member_from) or (a.member_until and a.on > a.member_until):
            continue
        out[a.institution_code].setdefault((a.kind, a.key), a)
    return {code: sorted(items.values(), key=lambda a: (a.on, a.title)) for code, items in out.items()}


def participation(activities: list[Activity], kinds: tuple[str, ...], period: tuple[date, date]) -> dict[str, int]:
    """Institution code -> how many activities count (the indicator's figure)."""
    return {code: len(items) for code, items in counted(activities, kinds, period).items()}


def year_period(year: int) -> tuple[date, date]:
    """The calendar year, for models whose effort framework gives no period."""
    return date(year, 1, 1), date(year, 12, 31)
