"""The demo year runs every part of the 2017 plan (issue 12, "Done when"): transferred-in
staff invited to rate their former body, and the commission's records cross-checked
against the disciplinary lists institutions submitted."""

import pytest

from integrity.apps.fieldwork.models import Invitation
from integrity.apps.incidents.demo import demo_crosscheck
from integrity.apps.incidents.models import Finding
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.results.year_loader import load_generated_year
from integrity.apps.rosters.demo import demo_transferees
from integrity.apps.rosters.models import RosterUpload
from integrity.generate import generate_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(m2017):
    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=7, responses=8_000))
    return year


def test_demo_transferees_pass_the_roster_check_and_are_invited_by_their_former_body(year, m2017):
    made = demo_transferees(year, bodies=3, per_body=4)
    assert made == {"uploads": 3, "people": 12, "invited": 12}
    rule = m2017.fieldwork.transferred_in
    uploads = RosterUpload.objects.filter(form_code="transferred_3_3", status="accepted")
    assert {u.institution.type_code for u in uploads} <= set(rule.basic_types)
    invited = Invitation.objects.filter(member__entry__upload__in=uploads).select_related("institution")
    assert invited.count() == 12
    assert all(i.survey == "policy" and i.group == rule.group for i in invited)
    assert {i.institution.type_code for i in invited} <= set(rule.former_types)  # the former body, not the new one


def test_demo_records_cross_check_shows_omissions_and_a_mismatch(year):
    made = demo_crosscheck(year, bodies=10)
    assert made["submitted"] == 10
    kinds = sorted(Finding.objects.filter(year=year).values_list("kind", flat=True))
    assert kinds.count("mismatch") == 1 and kinds.count("omission") == 2 and "extra" not in kinds
