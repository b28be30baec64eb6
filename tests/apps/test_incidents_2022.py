"""The incidents register of a 2022+ year becomes its 부패실태 deduction."""

from datetime import date

import polars as pl
import pytest
from django.core.exceptions import ValidationError

from integrity.apps.incidents.models import Case, Source
from integrity.apps.incidents.services import deductions_frame
from integrity.interchange.validate import check_deductions
from integrity.scoring import score_year
from tests.helpers import block, responses


@pytest.fixture
def year2022(registry):
    year = registry["year"]
    year.year, year.model_name = 2022, "2022"
    year.save()
    return registry


def _case(registry, **fields):
    base = dict(year=registry["year"], institution=registry["a"], source=Source.PRESS, act_type="금품·향응수수",
                disposed_on=date(2022, 3, 1), detected_by="press", position="senior")
    return Case.objects.create(**(base | fields))


def _score(registry):
    year = registry["year"]
    model = year.model
    institutions = pl.DataFrame({
        "institution": ["0100001", "0400001"], "name": ["가람부", "누리시"], "type": ["central_1", "basic_city"],
        "staff": [2500, 800], "supervisor": [None, "0100001"], "effort": [80.0, 80.0]},
        schema_overrides={"supervisor": pl.Utf8})
    rows = [r for code in ("0100001", "0400001") for s in ("external", "internal") for r in block(model, code, s, 2)]
    deductions = check_deductions(model, deductions_frame(year), institutions, "감점")  # as the results run does
    return score_year(model, institutions, responses(model, rows), deductions).institutions


def test_register_cases_in_the_2022_period_become_the_corruption_deduction(year2022):
    _case(year2022, amount=8_000_000, people=3)  # 3.0 + 1.0 + 0.6 = 4.6 (2,500 staff: size x1.0)
    _case(year2022, disposed_on=date(2021, 5, 1))  # disposed before the 2022 period: not counted
    _case(year2022, detected_by="self")  # self-detected: not counted
    result = _score(year2022)
    a = result.filter(pl.col("institution") == "0100001").row(0, named=True)
    assert a["corruption_points"] == pytest.approx(4.6)
    assert a["external_reported"] == pytest.approx(100.0)  # off the overall only
    assert a["overall"] == pytest.approx(92.0 - 4.6)


def test_corruption_deduction_of_2022_register_is_capped_at_10_points(year2022):
    for _ in range(4):
        _case(year2022, amount=60_000_000)  # 3.0 + 3.0 = 6.0 each: 24 before the cap
    a = _score(year2022).filter(pl.col("institution") == "0100001").row(0, named=True)
    assert a["corruption_points"] == pytest.approx(10.0)
    assert a["overall"] == pytest.approx(82.0)


def test_committee_points_of_a_2022_case_stay_within_the_cap(year2022):
    case = Case(year=year2022["year"], institution=year2022["a"], source=Source.PRESS, act_type="직권남용",
                detected_by="press", committee_points=12.0)
    with pytest.raises(ValidationError, match="상한 10점"):
        case.full_clean()
    case.committee_points = 7.5
    case.full_clean()


def test_a_political_appointees_case_of_2022_is_scored_in_the_incident_index(year2022):
    # 정무직 3.0 x 관행성 1.5 = 4.5, disposed within the 2022 index period (2021-11-01 to 2022-11-30)
    _case(year2022, position="political", habitual=True, disposed_on=date(2022, 10, 1))
    a = _score(year2022).filter(pl.col("institution") == "0100001").row(0, named=True)
    assert a["corruption_points"] == pytest.approx(4.5)
