"""Seasonal incidents from the generator: deterministic, with the seasonality the data file sets."""

import polars as pl

from integrity.earlywarning.calendar import load_default
from integrity.earlywarning.config import load_settings
from integrity.generate.incidents import generate_incidents, institutions, seasonality
from integrity.model import load_model

EVENTS = load_default(load_settings().kinds)


def _year(seed=4):
    bodies = institutions(load_model("2017"), seed)
    return bodies, generate_incidents(bodies, EVENTS, (2017, 2019), seed=seed)


def test_same_seed_same_incidents_other_seed_other_incidents():
    _, a = _year()
    _, b = _year()
    _, c = _year(5)
    assert a.equals(b) and not a.equals(c)


def test_bodies_have_families_and_regions_like_the_registry():
    bodies, _ = _year()
    assert set(bodies["family"]) == {"central", "local_government", "education", "public_service"}
    local = bodies.filter(pl.col("family") == "local_government")
    assert (local["region"] != "").all()
    assert (bodies.filter(pl.col("type") == "central_1")["region"] == "").all()


def test_more_gifts_around_seol_and_chuseok_and_more_personnel_cases_in_personnel_seasons():
    """Seasonality: gifts (금품·향응) in 명절 windows, personnel (인사·채용) in 인사 months, above the rest."""
    _, frame = _year()
    holiday_days = {d for e in EVENTS if e.kind == "holiday" for d in pl.date_range(e.start, e.end, eager=True)}
    gifts = frame.filter(pl.col("field") == "gifts")
    share_days = len([d for d in holiday_days if d.year in (2017, 2018, 2019)]) / (365 * 3)
    share_gifts = gifts["day"].is_in(list(holiday_days)).mean()
    assert share_gifts > 1.8 * share_days
    personnel = frame.filter(pl.col("field") == "personnel")
    months = personnel["day"].dt.month()
    in_season = months.is_in([1, 7]).sum() / 2
    off_season = months.is_in([5, 6, 8, 11, 12]).sum() / 5  # no 인사, no 채용
    assert in_season > 2 * off_season


def test_baseline_differs_by_institution_family():
    bodies, frame = _year()
    per_body = frame.group_by("family").len().join(bodies.group_by("family").len(), on="family")
    rate = {r["family"]: r["len"] / r["len_right"] for r in per_body.iter_rows(named=True)}
    spec = seasonality()
    assert rate["local_government"] > rate["central"] > 0
    assert set(frame["act_type"]) <= {a for acts in spec.act_types.values() for a in acts}
