"""The risk calendar: the shipped 2014-2027 dates and the monthly covariates."""

from datetime import date

import pytest

from integrity.earlywarning.calendar import CalendarError, Event, load_default, month_share, parse_events
from integrity.earlywarning.config import load_settings

KINDS = load_settings().kinds


def test_default_calendar_covers_2014_to_2027_with_every_kind_each_year():
    events = load_default(KINDS)
    for year in range(2014, 2028):
        kinds = {e.kind for e in events if e.start.year == year or e.end.year == year}
        assert {"holiday", "personnel", "hiring"} <= kinds, year
    assert {e.kind for e in events} == set(KINDS)


@pytest.mark.parametrize("name, day", [("2017 설", date(2017, 1, 28)), ("2020 추석", date(2020, 10, 1)),
                                       ("2024 설", date(2024, 2, 10)), ("2026 추석", date(2026, 9, 25))])
def test_holidays_are_the_real_lunar_dates(name, day):
    """설 and 추석 fall on their real dates: the event ends the day after the holiday."""
    event = next(e for e in load_default(KINDS) if e.name == name)
    assert event.end == date.fromordinal(day.toordinal() + 1)
    assert (day - event.start).days == 14


def test_election_days_are_in_the_calendar():
    days = {e.end for e in load_default(KINDS) if e.kind == "election"}
    assert {date(2018, 6, 13), date(2022, 3, 9), date(2022, 6, 1), date(2024, 4, 10), date(2026, 6, 3)} <= days


def test_month_share_counts_days_inside_events_once_and_by_region():
    events = [Event("holiday", "a", date(2022, 1, 18), date(2022, 2, 2)),
              Event("holiday", "b", date(2022, 1, 30), date(2022, 1, 31)),
              Event("election", "재선거", date(2022, 1, 1), date(2022, 1, 31), ("부산",))]
    assert month_share(events, "holiday", 2022, 1, "서울") == pytest.approx(14 / 31)
    assert month_share(events, "holiday", 2022, 2, "") == pytest.approx(2 / 28)
    assert month_share(events, "election", 2022, 1, "부산") == 1
    assert month_share(events, "election", 2022, 1, "서울") == 0
    assert month_share(events, "election", 2022, 1, "") == 0  # a regional event does not touch national bodies


def test_bad_events_are_refused_with_a_korean_message():
    with pytest.raises(CalendarError, match="알 수 없는 종류"):
        parse_events([{"kind": "party", "name": "x", "start": "2022-01-01", "end": "2022-01-02"}], KINDS)
    with pytest.raises(CalendarError, match="시작일보다 앞"):
        parse_events([{"kind": "holiday", "name": "x", "start": "2022-01-05", "end": "2022-01-02"}], KINDS)
