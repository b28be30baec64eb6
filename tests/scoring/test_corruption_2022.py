"""부패실태 of the 2022+ model (DOMAIN.md "The 2022+ model"): the capped incident points
come off 종합청렴도 only, at most 10 points, on the 100-point scale."""

import polars as pl
import pytest

from integrity.scoring.deductions import DEDUCTION_COLUMNS, formula_points, per_institution
from tests.helpers import block, institutions, row, score

# basic_city, 500 staff (size band 300-999: x1.1), full marks, 청렴노력도 80: overall 92 before deductions.
BODY = institutions(("A", "basic_city")).with_columns(pl.lit(80.0).alias("effort"))


def _deductions(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in DEDUCTION_COLUMNS} for r in rows], schema=DEDUCTION_COLUMNS)


def _full_marks(model):
    return block(model, "A", "external", 2) + block(model, "A", "internal", 2)


def test_corruption_deduction_of_2022_is_capped_at_10_points(m2022):
    assert m2022.incidents.cap == 10.0
    ded = _deductions(
        {"institution": "A", "kind": "incident", "category": "external", "points": 9.0},
        {"institution": "A", "kind": "incident", "category": "internal", "points": 6.0},
    )
    r = row(score(m2022, BODY, _full_marks(m2022), ded), "A")
    assert r["corruption_points"] == pytest.approx(10.0)
    assert r["incident_external_points"] == pytest.approx(6.0)  # 9 x 10/15: both parts shrink in proportion
    assert r["incident_internal_points"] == pytest.approx(4.0)
    assert r["overall_before_deductions"] == pytest.approx(92.0)
    assert r["overall"] == pytest.approx(82.0)


def test_corruption_deduction_of_2022_comes_off_the_overall_not_the_perceived_scores(m2022):
    ded = _deductions({"institution": "A", "kind": "incident", "category": "external", "points": 2.5})
    r = row(score(m2022, BODY, _full_marks(m2022), ded), "A")
    assert r["external_reported"] == pytest.approx(100.0) and r["internal_reported"] == pytest.approx(100.0)
    assert r["score_perceived"] == pytest.approx(100.0)
    assert r["overall"] == pytest.approx(0.6 * 100 + 0.4 * 80 - 2.5)


def test_2017_incident_points_still_come_off_the_survey_scores_too(m2017):
    assert m2017.incidents.deduct_from == "surveys" and m2017.incidents.cap == 1.0


def test_corruption_points_of_2022_are_the_2017_formula_on_the_100_point_scale(m2017, m2022):
    # senior 3.0 + 8,000,000 KRW (band >= 5,000,000: 1.0) + 2 more people x 0.3 = 4.6, x1.1 for 500 staff
    args = (["senior"], [8_000_000], [3], ["press"])
    points = formula_points(m2022.incidents, *args, staff=[500])
    assert points[0] == pytest.approx(4.6 * 1.1)
    assert points[0] == pytest.approx(10 * formula_points(m2017.incidents, *args, staff=[500])[0])


def test_political_appointee_case_of_2022_scores_in_the_incident_index(m2022):
    # 정무직 3.0, habitual x1.5, national ripple x1.5 = 6.75 (no size band in the incident index)
    ded = _deductions({"institution": "A", "kind": "incident", "category": "external", "position": "political",
                       "amount": 0, "people": 1, "detection": "press", "habitual": True, "ripple": "national",
                       "staff": 500})
    assert per_institution(m2022, ded)["incident_external_points"][0] == pytest.approx(6.75)


def test_a_deduction_cap_wider_than_the_scale_is_refused(m2017):
    import copy

    import yaml

    from integrity.model import ModelError, parse_model
    from integrity.model.loader import model_path

    raw = yaml.safe_load(model_path("2017").read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["incidents"]["cap"] = 20.0  # the 2017 scale is 0-10
    broken["incidents"]["deduct_from"] = "everything"
    with pytest.raises(ModelError) as info:
        parse_model(broken, source="broken.yaml")
    problems = " ".join(info.value.problems)
    assert "incidents.cap" in problems and "incidents.deduct_from" in problems
