"""Cases carry the incident-index facts to the deductions the engine scores."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from integrity.apps.incidents.models import Case, Source
from integrity.apps.incidents.services import deductions_frame, position_of


def _case(registry, **fields):
    base = dict(year=registry["year"], institution=registry["a"], source=Source.PRESS, act_type="금품·향응수수",
                disposed_on=date(2017, 3, 1), detected_by="press", position="senior")
    return Case.objects.create(**(base | fields))


def test_seconded_case_is_sized_by_each_attributed_institution(registry):
    _case(registry, seconded_from=registry["b"])
    frame = deductions_frame(registry["year"])
    assert dict(zip(frame["institution"], frame["staff"])) == {"0100001": 2500, "0400001": 800}
    assert set(frame["index_kind"]) == {"disciplinary"}


def test_political_appointee_case_goes_to_the_incident_index_with_its_terms(registry):
    _case(registry, position="political", habitual=True, ripple="national", disposed_on=date(2017, 10, 1))
    row = deductions_frame(registry["year"]).row(0, named=True)
    assert (row["index_kind"], row["habitual"], row["ripple"]) == ("incident", True, "national")


def test_prior_year_case_with_new_facts_counts_again_in_the_register(registry):
    case = _case(registry, disposed_on=date(2016, 2, 1), prior_year=True)
    assert deductions_frame(registry["year"]).height == 0
    case.new_facts, case.new_facts_on = "공범 2명 추가 기소", date(2017, 4, 1)
    case.save()
    row = deductions_frame(registry["year"]).row(0, named=True)
    assert row["recount"] is True


def test_prior_year_case_needs_its_new_facts_written_down(registry):
    case = Case(year=registry["year"], institution=registry["a"], source=Source.PRESS, act_type="직권남용",
                detected_by="press", prior_year=True)
    with pytest.raises(ValidationError, match="새로 드러난"):
        case.full_clean()


def test_ripple_level_must_be_one_of_the_models(registry):
    case = Case(year=registry["year"], institution=registry["a"], source=Source.PRESS, act_type="직권남용",
                detected_by="press", ripple="cosmic")
    with pytest.raises(ValidationError, match="파급력"):
        case.full_clean()


def test_political_appointees_are_recognised_from_the_grade():
    assert position_of("정무직(차관)") == "political"
