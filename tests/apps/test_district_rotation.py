"""District education offices (교육지원청) in the application: the year's rotation stored in
the registry (set by an administrator or ``manage.py set_rotation``), their responses in
their provincial office's score, their own scores as a breakdown of its report."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from integrity.apps.audit.models import AuditEntry
from integrity.apps.fieldwork.models import Response
from integrity.apps.registry.models import AssessmentYear, Institution, MeasurementRotation
from integrity.apps.registry.rotation import RotationProblem, set_rotation
from integrity.apps.results.services import publish, run_from_database, year_inputs
from integrity.apps.results.year_loader import load_generated_year
from integrity.generate import generate_year
from tests.helpers import best_answers, worst_answers


def _province(year, code, offices):
    province = Institution.objects.create(year=year, code=code, name=f"{code}교육청", type_code="provincial_education", staff=5000)
    for i in range(offices):
        Institution.objects.create(year=year, code=f"{code}-{i:02d}", name=f"{code}교육지원청{i}", type_code="district_education",
                                   staff=200, supervisor=province)
    return province


def _provinces(year):
    """2017 (2nd year of the cycle): a province of 12 offices, one of 7, one of 3."""
    return {"year": year, "big": _province(year, "P1", 12), "middle": _province(year, "P2", 7), "small": _province(year, "P3", 3)}


@pytest.fixture
def provinces(db):
    return _provinces(AssessmentYear.objects.create(year=2017, model_name="2017"))


@pytest.fixture
def in_registry(registry, users):
    """The same provinces in the shared registry's year (with its users)."""
    return _provinces(registry["year"])


def _measured(year, parent=None):
    rows = MeasurementRotation.objects.filter(institution__year=year, measured=True)
    if parent is not None:
        rows = rows.filter(parent=parent)
    return set(rows.values_list("institution__code", flat=True))


def test_province_with_ten_or_more_district_offices_measures_a_third_this_year(provinces):
    summary = set_rotation(provinces["year"])
    assert summary.bodies == 22 and summary.position == 1
    assert len(_measured(provinces["year"], provinces["big"])) == 4
    rows = MeasurementRotation.objects.filter(parent=provinces["big"])
    assert {r.rule for r in rows} == {"cycle"} and {r.cycle_group for r in rows} == {0, 1, 2}


def test_province_with_fewer_than_five_and_five_to_nine_offices_measures_all(provinces):
    set_rotation(provinces["year"])
    assert len(_measured(provinces["year"], provinces["small"])) == 3
    assert len(_measured(provinces["year"], provinces["middle"])) == 7
    assert set(MeasurementRotation.objects.filter(parent=provinces["small"]).values_list("rule", flat=True)) == {"all_below"}


def test_setting_the_rotation_again_gives_the_same_choice(provinces):
    set_rotation(provinces["year"])
    first = _measured(provinces["year"])
    set_rotation(provinces["year"])
    assert _measured(provinces["year"]) == first
    assert MeasurementRotation.objects.count() == 22  # replaced, not added


def test_the_next_year_measures_the_next_third_and_keeps_the_cycle(provinces):
    set_rotation(provinces["year"])
    seen = _measured(provinces["year"], provinces["big"])
    for later in (2018, 2019):
        year = AssessmentYear.objects.create(year=later, model_name="2017")
        _province(year, "P1", 12)
        set_rotation(year)
        now = _measured(year)
        assert len(now) == 4 and not now & seen
        seen |= now
    assert len(seen) == 12  # every office once in three consecutive years


def test_a_district_office_without_a_provincial_supervisor_is_refused_and_nothing_is_stored(provinces):
    set_rotation(provinces["year"])
    Institution.objects.create(year=provinces["year"], code="X-01", name="외톨이교육지원청", type_code="district_education", staff=100)
    with pytest.raises(RotationProblem, match="외톨이교육지원청\\(X-01\\)"):
        set_rotation(provinces["year"])
    assert MeasurementRotation.objects.count() == 22  # the earlier choice stands


def test_the_command_sets_the_rotation_and_reports_the_counts(provinces, capsys):
    call_command("set_rotation", "--year", "2017")
    assert "22곳 중 14곳 측정" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="registry.rotation_set").count() == 1
    with pytest.raises(CommandError, match="2030년"):
        call_command("set_rotation", "--year", "2030")


def test_district_office_rows_say_measured_this_year_or_left_out(client, in_registry, users):
    provinces = in_registry
    client.force_login(users["analyst"])
    page = client.get("/registry/rotation/").content.decode()
    assert "아직 정해지지 않았습니다" in page and "순환 측정 정하기" not in page  # analysts read only
    set_rotation(provinces["year"])
    page = client.get("/registry/rotation/").content.decode()
    assert page.count("올해 측정</td>") == 14 and page.count("측정 제외(순환)</td>") == 8
    skipped = client.get("/registry/rotation/?state=skipped&parent=P1").content.decode()
    assert skipped.count("측정 제외(순환)</td>") == 8 and "P2교육지원청" not in skipped
    assert "P1교육지원청1" in client.get("/registry/rotation/?q=P1교육지원청1").content.decode()


def test_an_administrator_sets_the_rotation_from_the_page(client, in_registry, users):
    client.force_login(users["admin"])
    response = client.post("/registry/rotation/set/?year=2017")
    assert response.status_code == 302 and MeasurementRotation.objects.count() == 22
    assert AuditEntry.objects.get(action="registry.rotation_set").actor == users["admin"]
    assert "14곳을 올해 측정으로 정했습니다" in client.get(response.url).content.decode()


def _answers(model, survey, worst=False):
    return (worst_answers if worst else best_answers)(model, survey)


def test_only_measured_district_offices_count_in_the_provincial_score(provinces, m2017):
    year = provinces["year"]
    set_rotation(year)
    rows = []
    for survey in ("external", "internal", "policy"):
        rows += [Response(institution=provinces["big"], survey=survey, mode="web", answers=_answers(m2017, survey),
                          completed_on=date(2017, 9, 1)) for _ in range(5)]
    measured = Institution.objects.get(code=sorted(_measured(year, provinces["big"]))[0])
    skipped = Institution.objects.filter(rotation__measured=False, rotation__parent=provinces["big"]).first()
    for body in (measured, skipped):
        rows += [Response(institution=body, survey=s, mode="web", answers=_answers(m2017, s, worst=True),
                          completed_on=date(2017, 9, 1)) for s in ("external", "internal") for _ in range(5)]
    Response.objects.bulk_create(rows)
    _, _, responses, _ = year_inputs(year)
    assert skipped.code not in set(responses["institution"])
    run = run_from_database(year)
    big = run.results.get(institution_code="P1")
    assert big.scores["n_external"] == 10 and big.status == "scored"
    part = run.results.get(institution_code=measured.code)
    assert part.status == "in_parent" and part.grade is None and part.scores["parent_body"] == "P1"
    assert not run.results.filter(institution_code=skipped.code).exists()  # no result when not measured


@pytest.fixture
def published(db, m2017):
    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=5, responses=12_000))
    return publish(run_from_database(year), None)


def test_the_demo_year_measures_73_district_offices_inside_17_provinces(published):
    year = AssessmentYear.objects.get(year=2017)
    assert MeasurementRotation.objects.filter(institution__year=year).count() == 176
    assert len(_measured(year)) == 73
    assert published.results.filter(status="in_parent").count() == 73
    assert published.results.count() == 572  # the plan's bodies: 499 graded + 73 measured within


def test_the_provincial_report_shows_its_district_offices_as_a_breakdown(client, published):
    province = published.results.filter(type_code="provincial_education", status="scored").order_by("institution_code")[8]
    parts = published.results.filter(scores__parent_body=province.institution_code, status="in_parent")
    assert parts.exists()
    page = client.get(f"/results/{province.institution_code}/").content.decode()
    assert "교육지원청별 점수" in page
    for part in parts:
        assert part.name in page
    assert province.scores["n_external"] > sum(p.scores["n_external"] for p in parts)  # its own + its offices'
    pdf = client.get(f"/results/{province.institution_code}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    own = client.get(f"/results/{parts[0].institution_code}/").content.decode()
    assert f"{province.name} 평가에 포함하여 측정했습니다" in own


def test_the_results_list_no_longer_lists_district_offices_as_a_type(client, published):
    page = client.get("/results/").content.decode()
    assert 'value="district_education"' not in page and 'value="provincial_education"' in page
    assert client.get("/results/?type=district_education").status_code == 404
    assert "시·도교육청에 포함된 교육지원청" in page


def test_a_district_office_left_out_this_year_is_sent_no_roster(in_registry, users):
    """Seed 002, I.5: a district office outside this year's third is not measured, so its
    rosters are refused (in Korean, naming the office and its provincial office) and nothing
    is stored; an office measured this year goes on to the file check as before."""
    from integrity.apps.rosters.models import RosterUpload
    from integrity.apps.rosters.services import UploadRefused, forms_for, start_upload

    set_rotation(in_registry["year"])
    rotations = MeasurementRotation.objects.filter(parent=in_registry["big"]).select_related("institution")
    left_out = next(r.institution for r in rotations if not r.measured)
    measured = next(r.institution for r in rotations if r.measured)
    form_code = next(code for code in forms_for(left_out))
    with pytest.raises(UploadRefused, match=f"{left_out.name}.*순환 측정.*{in_registry['big'].name}"):
        start_upload(users["admin"], left_out, form_code, None, b"PK not a workbook", "a.xlsx", None, enqueue=False)
    assert not RosterUpload.objects.filter(institution=left_out).exists()
    upload = start_upload(users["admin"], measured, form_code, None, b"PK not a workbook", "a.xlsx", None, enqueue=False)
    assert upload.pk is not None and upload.institution == measured
