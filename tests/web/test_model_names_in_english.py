"""Names from the measurement-model file follow the page's language: English pages read
the file's name_en (composites, inputs, types, surveys, areas, indicators, levels);
Korean pages read the Korean names as before."""

from datetime import date

import polars as pl
import pytest
from django.urls import reverse

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.effort import services
from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.apps.results.services import store_run
from integrity.generate import generate_year
from integrity.interchange import load_year, write_table
from integrity.scoring import score_year

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
KO = {"HTTP_ACCEPT_LANGUAGE": "ko"}


@pytest.fixture(scope="module")
def scored2022(m2022, tmp_path_factory):
    folder = tmp_path_factory.mktemp("names2022")
    generated = generate_year(m2022, seed=7, responses=6_000)
    files = {n: write_table(getattr(generated, n), folder / f"{n}.csv") for n in ("institutions", "responses", "deductions")}
    year = load_year(m2022, files["institutions"], [files["responses"]], files["deductions"])
    table = score_year(m2022, year.institutions, year.responses, year.deductions).institutions
    # 청렴노력도 by area, as a run scored from the effort evaluation stores it
    return table.with_columns(effort_area_infrastructure=pl.col("input_effort") * 0.15,
                              effort_area_culture=pl.col("input_effort") * 0.2)


@pytest.fixture
def report_url(m2022, scored2022):
    run = store_run(m2022, scored2022, fingerprint="2" * 64, parameters={}, publish=True)
    top = run.results.filter(type_code="central_1", status="scored").order_by("rank_in_type").first()
    return f"/results/{top.institution_code}/"


def test_the_result_page_in_english_reads_the_model_files_english(client, report_url):
    page = client.get(report_url, **EN).text
    for text in ("Perceived Integrity", "Integrity Effort", "Anti-corruption framework", "Integrity awareness and culture",
                 "Central government bodies, type I", "External integrity", "Perceived corruption",
                 "E06 Abuse of power (gapjil)"):
        assert text in page, text
    for korean in ("청렴체감도", "청렴노력도", "반부패 추진체계 구축", "청렴의식·문화 개선", "중앙행정기관 Ⅰ유형", "외부 체감도", "갑질"):
        assert korean not in page, korean


def test_the_result_page_in_korean_is_unchanged(client, report_url):
    page = client.get(report_url, **KO).text
    for text in ("청렴체감도", "청렴노력도", "반부패 추진체계 구축", "청렴의식·문화 개선", "중앙행정기관 Ⅰ유형", "외부 체감도", "E06 갑질"):
        assert text in page, text
    for english in ("Perceived Integrity", "Anti-corruption framework", "Central government bodies"):
        assert english not in page, english


def test_the_national_table_and_the_method_page_in_english(client, report_url):
    table = client.get("/results/?type=central_1", **EN).text
    assert "Perceived Integrity × 0.6 + Integrity Effort × 0.4" in table
    assert "Central government bodies, type I" in table and "중앙행정기관 Ⅰ유형" not in table
    method = client.get("/results/method/", **EN).text
    assert "Perceived Integrity" in method and "청렴체감도" not in method
    assert "청렴체감도 × 0.6 + 청렴노력도 × 0.4" in client.get("/results/?type=central_1", **KO).text


@pytest.fixture
def effort_year(db, django_user_model):
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    body = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_2", staff=900)
    admin = django_user_model.objects.create_user("admin", password="x-9-correct-horse", is_superuser=True)
    liaison = django_user_model.objects.create_user("liaison", password="x-9-correct-horse")
    Profile.objects.create(user=liaison, role=Role.LIAISON, institution=body)
    services.set_deadline(year, admin, date(2099, 12, 31))
    return {"year": year, "body": body, "admin": admin, "liaison": liaison}


def test_the_effort_pages_in_english_name_areas_indicators_levels_and_evidence(client, effort_year):
    client.force_login(effort_year["liaison"])
    mine = client.get(reverse("effort:mine"), **EN).text
    for text in ("Anti-corruption framework", "Implementation rate of corruption impact assessment recommendations",
                 "Documents due for original-text disclosure in the information disclosure system, and those disclosed",
                 "Excellent 8", "Integrity cluster activities"):
        assert text in mine, text
    for korean in ("반부패 추진체계 구축", "부패영향평가 개선권고 이행률", "정보공개시스템의 원문공개 대상 건수와 공개 건수", "탁월"):
        assert korean not in mine, korean
    client.force_login(effort_year["admin"])
    scoring = client.get(reverse("effort:institution", args=[effort_year["body"].pk]), **EN).text
    assert "Anti-corruption framework" in scoring and "Very poor" in scoring and "매우 미흡" not in scoring
    listing = client.get(reverse("effort:index"), **EN).text
    assert "Central government bodies, type II" in listing and "중앙행정기관 Ⅱ유형" not in listing


def test_the_effort_pages_in_korean_are_unchanged(client, effort_year):
    client.force_login(effort_year["liaison"])
    mine = client.get(reverse("effort:mine"), **KO).text
    for text in ("반부패 추진체계 구축", "부패영향평가 개선권고 이행률", "정보공개시스템의 원문공개 대상 건수와 공개 건수", "탁월 8"):
        assert text in mine, text
    assert "Anti-corruption framework" not in mine and "Excellent" not in mine
