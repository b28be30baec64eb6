"""The warning model and its alert rule (청렴주의보: predicted rate over the baseline by the factor)."""

import dataclasses
from datetime import date

import polars as pl
import pytest

from integrity.earlywarning.calendar import Event
from integrity.earlywarning.config import SettingsError, load_settings, parse
from integrity.earlywarning.model import evidence, forecast, incidents_frame, months_between, predict, train
from integrity.generate.incidents import Seasonality, generate_incidents

SETTINGS = load_settings()
FIELDS = list(SETTINGS.fields)
EVENTS = [Event("holiday", f"{y} 설", date(y, 2, 1), date(y, 2, 28)) for y in range(2015, 2024)]
STRATA = {("서울", "local_government"): 40, ("부산", "local_government"): 30, ("", "central"): 20}


def _bodies():
    rows = [{"code": f"{r or 'N'}{f}{i}", "name": f"기관{i}", "type": "t", "family": f, "region": r}
            for (r, f), n in STRATA.items() for i in range(n)]
    return pl.DataFrame(rows)


def _incidents(seed=1, gift_uplift=3.0):
    spec = Seasonality({f: {fd: 1.0 for fd in FIELDS} for f in ("local_government", "central")},
                       {"gifts": {"holiday": gift_uplift}}, 0.0, {})
    frame = generate_incidents(_bodies(), EVENTS, (2015, 2022), seed=seed, spec=spec)
    return incidents_frame(frame.select("day", "field", "region", "family", pl.col("institution").alias("ref"),
                                        pl.col("act_type").alias("label")).iter_rows(named=True))


def test_model_recovers_the_holiday_uplift_of_gifts_and_none_elsewhere():
    model = train(_incidents(), STRATA, EVENTS, SETTINGS, months_between((2015, 1), (2021, 12)))
    ratio, se = model.calendar_effect("gifts", "holiday")
    assert ratio == pytest.approx(3.0, rel=0.2)
    other, other_se = model.calendar_effect("contract", "holiday")
    assert abs(other - 1) < 3 * other_se * other + 0.15


def test_alert_only_for_the_field_and_month_with_the_uplift():
    """청렴주의보: February (설) for gifts; no alert in March, none for contracts."""
    incidents = _incidents()
    model = train(incidents, STRATA, EVENTS, SETTINGS, months_between((2015, 1), (2021, 12)))
    preds = predict(model, EVENTS, [(2022, 2), (2022, 3)])
    alerts = {(p.region, p.field, p.month) for p in preds if p.alert}
    assert {("서울", "gifts", 2), ("부산", "gifts", 2), ("", "gifts", 2)} == alerts
    feb = next(p for p in preds if p.region == "서울" and p.field == "gifts" and p.month == 2)
    assert feb.uplift >= SETTINGS.alert.factor and feb.lower > 1 and feb.lower < feb.uplift < feb.upper
    assert feb.expected == pytest.approx(feb.baseline * feb.uplift)
    assert feb.kinds == (("holiday", 1.0),)


def test_no_alert_when_the_uplift_is_below_the_factor():
    incidents = _incidents(gift_uplift=1.2)
    model = train(incidents, STRATA, EVENTS, SETTINGS, months_between((2015, 1), (2021, 12)))
    feb = [p for p in predict(model, EVENTS, [(2022, 2)]) if p.field == "gifts"]
    assert not any(p.alert for p in feb) and all("factor" in p.reasons for p in feb)


def test_minimum_counts_hold_back_an_alert_in_a_thin_stratum():
    """A stratum with too few past incidents or too small an expected count gets no alert."""
    strict = dataclasses.replace(SETTINGS, alert=dataclasses.replace(SETTINGS.alert, min_expected=1e6))
    model = train(_incidents(), STRATA, EVENTS, strict, months_between((2015, 1), (2021, 12)))
    assert not any(p.alert for p in predict(model, EVENTS, [(2022, 2)]))
    assert all("expected" in p.reasons for p in predict(model, EVENTS, [(2022, 2)]))


def test_forecast_trains_on_the_years_before_the_month_and_evidence_lists_past_holiday_incidents():
    incidents = _incidents()
    model, preds = forecast(incidents, STRATA, EVENTS, SETTINGS, (2022, 2))
    assert model.months[0] == (2017, 2) and model.months[-1] == (2022, 1)
    alert = next(p for p in preds if p.alert and p.region == "서울")
    rows = evidence(incidents, alert, EVENTS, SETTINGS, date(2022, 2, 1))
    assert 0 < rows.height <= SETTINGS.alert.evidence_limit
    assert set(rows["field"]) == {"gifts"} and set(rows["region"]) == {"서울"}
    assert all(d.month == 2 and d < date(2022, 2, 1) for d in rows["day"])
    assert rows["day"].to_list() == sorted(rows["day"].to_list(), reverse=True)


def test_settings_are_validated():
    raw = {"fields": [{"code": "a", "name": "가"}], "calendar_kinds": {"holiday": "명절"},
           "alert": {"factor": 1.0, "interval_level": 0.9, "min_expected": 0.5, "min_history": 3, "evidence_limit": 5,
                     "history_years": 5},
           "backtest": {"train": [2017, 2021], "test": 2022, "seed": 1, "min_count": 3, "min_baseline": 0.5}}
    with pytest.raises(SettingsError, match="factor"):
        parse(raw)
    with pytest.raises(SettingsError, match="분야"):
        parse({**raw, "alert": {**raw["alert"], "factor": 2}, "act_type_fields": {"금품": "b"}})
    ok = parse({**raw, "alert": {**raw["alert"], "factor": 2}, "act_type_fields": {"금품": "a"}})
    assert ok.field_of("", "금품") == "a" and ok.field_of("a", "x") == "a" and ok.field_of("", "x") == ""
