"""Cluster activity counted as the effort bonus figure (source: cluster_activity)."""

from datetime import date

import pytest

from integrity.clusters import Activity, counted, participation
from integrity.clusters.calendar import CalendarEvent, ics
from integrity.model import load_model
from integrity.model.loader import ModelError

PERIOD = (date(2021, 7, 1), date(2022, 6, 30))
BOTH = ("events_organised", "meetings_attended")


def _a(code, kind, key, on, **kw):
    return Activity(code, kind, key, on, f"{kind} {key}", "경남", **kw)


def test_events_organised_and_meetings_attended_within_the_period_count_once():
    items = [_a("A", "events_organised", "e1", date(2021, 9, 1)),
             _a("A", "events_organised", "e1", date(2021, 9, 1)),  # organised in two roles: once
             _a("A", "meetings_attended", "m1", date(2022, 3, 1)),
             _a("A", "meetings_attended", "m2", date(2022, 7, 1)),  # after the period
             _a("B", "meetings_attended", "m1", date(2022, 3, 1))]
    assert participation(items, BOTH, PERIOD) == {"A": 2, "B": 1}
    assert participation(items, ("events_organised",), PERIOD) == {"A": 1}


def test_only_activity_while_a_member_counts():
    items = [_a("A", "meetings_attended", "m1", date(2021, 8, 1), member_from=date(2021, 9, 1)),
             _a("A", "meetings_attended", "m2", date(2022, 1, 1), member_from=date(2021, 9, 1), member_until=date(2021, 12, 31)),
             _a("A", "meetings_attended", "m3", date(2021, 10, 1), member_from=date(2021, 9, 1))]
    assert [a.key for a in counted(items, BOTH, PERIOD)["A"]] == ["m3"]


def test_the_2022_model_takes_the_cluster_bonus_from_cluster_activity():
    """7.1 청렴 클러스터 활동: 건당 2점, 10점 한도, 실적은 클러스터 기록에서 센다."""
    ind = load_model("2022").effort.indicator("7.1")
    assert (ind.kind, ind.per_unit, ind.points, ind.source, ind.counts) == ("bonus", 2, 10, "cluster_activity", BOTH)


def test_a_bad_source_or_count_is_refused_on_load(tmp_path):
    from pathlib import Path

    import integrity.model as model_pkg

    text = (Path(model_pkg.__file__).parent / "models" / "2022.yaml").read_text(encoding="utf-8")
    bad = text.replace("source: cluster_activity, counts: [events_organised, meetings_attended]",
                       "source: cluster_activity, counts: [events_attended]")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_model(str(path))
    assert "counts" in str(err.value)
    path.write_text(text.replace("source: cluster_activity,", "source: gossip,"), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_model(str(path))
    assert "source" in str(err.value)


def test_ics_has_one_all_day_event_per_cluster_event_with_escaped_text():
    text = ics([CalendarEvent("e1@x", "청렴 문화제, 진주성", date(2017, 5, 26), date(2017, 5, 27), "진주성; 광장")],
               name="청렴 클러스터", stamp=__import__("datetime").datetime(2017, 1, 1))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20170526" in text and "DTEND;VALUE=DATE:20170528" in text
    assert "청렴 문화제\\, 진주성" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
