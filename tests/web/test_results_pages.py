"""Results pages and the scoring service over the database."""

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from polars.testing import assert_frame_equal

from integrity.apps.results.models import InstitutionResult, ScoringRun
from integrity.apps.results.services import score_files
from integrity.generate import generate_year
from integrity.interchange import load_year, write_table
from integrity.scoring import score_year

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def year_files(tmp_path_factory, m2017):
    folder = tmp_path_factory.mktemp("demo")
    year = generate_year(m2017, seed=3, responses=20_000)
    return {name: write_table(getattr(year, name), folder / f"{name}.csv") for name in ("institutions", "responses", "deductions")}


def _run(year_files, publish=True):
    return score_files("2017", year_files["institutions"], [year_files["responses"]], year_files["deductions"], publish=publish)


def test_stored_run_holds_exactly_what_the_engine_computes(m2017, year_files):
    run = _run(year_files)
    year = load_year(m2017, year_files["institutions"], [year_files["responses"]], year_files["deductions"])
    expected = score_year(m2017, year.institutions, year.responses, year.deductions).institutions
    # district offices the rotation left out (no responses) have no stored result
    expected = expected.filter(pl.col("status") != "not_measured")
    stored = pl.DataFrame(
        [{"institution": r.institution_code, "overall": r.overall, "grade": r.grade, "rank_in_type": r.rank_in_type,
          "score_external": r.scores["score_external"]} for r in run.results.order_by("institution_code")]
    )
    assert_frame_equal(stored, expected.select(stored.columns).sort("institution"), check_dtypes=False, check_exact=True)
    assert len(run.input_fingerprint) == 64 and run.model_version == "2017.1"


def test_no_run_yet_shows_an_empty_page(client):
    response = client.get("/results/")
    assert response.status_code == 200 and "아직 공개된 채점 결과가 없습니다" in response.text


def test_published_results_are_public_and_listed_by_type(client, year_files):
    run = _run(year_files)
    response = client.get("/results/?type=central_1")
    assert response.status_code == 200
    body = response.text
    assert "2017년 청렴도 측정 결과" in body and "중앙행정기관 Ⅰ유형" in body
    first = run.results.filter(type_code="central_1", rank_in_type=1).first()
    assert first.name in body
    assert body.count('class="status-') == run.results.filter(type_code="central_1").count()


def test_unpublished_run_is_seen_only_by_an_administrator_who_switches_to_it(client, year_files):
    draft = _run(year_files, publish=False)
    assert "아직 공개된 채점 결과가 없습니다" in client.get("/results/").text
    assert client.post("/results/runs/view/", {"run": draft.pk}).status_code == 302  # to the sign-in page
    staff = get_user_model().objects.create_user("officer", password="x-long-password-1", is_staff=True)
    client.force_login(staff)  # staff without the administrator or analyst role
    assert client.post("/results/runs/view/", {"run": draft.pk}).status_code == 403
    assert "아직 공개된 채점 결과가 없습니다" in client.get("/results/").text
    admin = get_user_model().objects.create_superuser("admin", password="x-long-password-1")
    client.force_login(admin)
    page = client.get("/results/").text
    assert "아직 공개된 채점 결과가 없습니다" in page and "채점 실행" in page  # published by default, a way to drafts
    client.post("/results/runs/view/", {"run": draft.pk})
    page = client.get("/results/").text
    assert "미공표(관리자에게만 보임)" in page and f"직접 고른 채점 #{draft.pk}" in page
    client.post("/results/runs/view/", {"run": ""})
    assert "아직 공개된 채점 결과가 없습니다" in client.get("/results/").text


def test_administrators_see_the_published_run_by_default_not_a_newer_draft(admin_client, year_files):
    published = _run(year_files)
    draft = _run(year_files, publish=False)
    assert draft.created_at >= published.created_at
    page = admin_client.get("/results/").text
    assert "미공표(관리자에게만 보임)" not in page and "공표 " in page
    admin_client.post("/results/runs/view/", {"run": draft.pk})
    assert "미공표(관리자에게만 보임)" in admin_client.get("/results/").text
    row = draft.results.filter(status="scored").first()
    assert admin_client.get(f"/results/{row.institution_code}/").status_code == 200  # the report follows the choice


def test_grade_filter_offers_the_grades_of_the_runs_model(client, year_files):
    run = _run(year_files)
    page = client.get("/results/").text
    grades = run.model.grades
    assert f'<option value="{grades}">{grades}등급</option>' in page
    assert f'<option value="{grades + 1}">' not in page


def test_unknown_type_and_institution_are_404(client, year_files):
    _run(year_files)
    assert client.get("/results/?type=nonsense").status_code == 404
    assert client.get("/results/9999999/").status_code == 404


def test_institution_page_shows_survey_and_index_scores(client, year_files):
    run = _run(year_files)
    result = run.results.filter(type_code="central_1", status="scored").first()
    body = client.get(f"/results/{result.institution_code}/").text
    for label in ("외부청렴도", "부패지수", "청렴문화지수", "정책고객평가", f"{result.grade}등급"):
        assert label in body


def test_english_is_available(client, year_files):
    _run(year_files)
    body = client.get("/results/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "2017 integrity assessment results" in body and "Comprehensive Integrity" in body


def test_the_lists_filters_speak_english_too(client, year_files):
    """The filter labels are the screen's own words, not data: English mode shows them in English."""
    _run(year_files)
    body = client.get("/results/", HTTP_ACCEPT_LANGUAGE="en").text
    assert '<label for="f-type">Institution type</label>' in body
    assert '<label for="f-region">Region</label>' in body
    assert ">Grade 1</option>" in body


def test_results_cannot_be_edited_in_the_admin(admin_client, year_files):
    run = _run(year_files)
    row = run.results.first()
    assert admin_client.get(f"/admin/results/institutionresult/{row.pk}/change/").status_code in (200, 403)
    response = admin_client.post(f"/admin/results/institutionresult/{row.pk}/change/", {"overall": "10"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.overall != 10


def test_admin_requires_login(client):
    response = client.get("/admin/results/scoringrun/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_score_command_rejects_bad_input_and_stores_nothing(tmp_path, year_files):
    bad = tmp_path / "responses.csv"
    frame = pl.read_csv(year_files["responses"], infer_schema=False)
    frame.with_columns(pl.lit("9").alias("E01")).head(5).write_csv(bad)
    with pytest.raises(CommandError, match="2행 'E01' 열: 응답 코드 9는 허용되지 않습니다"):
        call_command("score", "--institutions", str(year_files["institutions"]), "--responses", str(bad))
    assert ScoringRun.objects.count() == 0 and InstitutionResult.objects.count() == 0


def test_stored_run_carries_standard_errors_intervals_and_grade_stability(year_files):
    run = _run(year_files)
    scored = run.results.filter(status="scored")
    assert scored.exists()
    for r in scored:
        s = r.scores
        assert s["se_overall"] > 0 and s["ci_low_overall"] <= r.overall <= s["ci_high_overall"]
        assert 0.0 <= s["grade_change_probability"] <= 1.0 and isinstance(s["near_cut"], bool)
        assert s["se_external"] > 0
    # a body near a grade cut is more likely to change grade than the average body
    near = [r.scores["grade_change_probability"] for r in scored if r.scores["near_cut"]]
    far = [r.scores["grade_change_probability"] for r in scored if not r.scores["near_cut"]]
    assert near and far and sum(near) / len(near) > sum(far) / len(far)


def test_report_shows_the_interval_and_the_grade_stability_in_words(client, year_files):
    run = _run(year_files)
    r = run.results.filter(status="scored").order_by("institution_code").first()
    page = client.get(f"/results/{r.institution_code}/").text
    assert f"등급이 바뀔 확률 {round(r.scores['grade_change_probability'] * 100)}%" in page
    assert f"95% 구간 {r.scores['ci_low_overall']:.2f} ~ {r.scores['ci_high_overall']:.2f}" in page
    assert "<title>95% 구간" in page  # the chart's error bar
    table = client.get("/results/").text
    assert "등급 변동 확률" in table


def _previous_year(run, shift):
    """A published copy of ``run`` as the year before, every overall score moved by ``shift``."""
    before = ScoringRun.objects.create(year=run.year - 1, model_version=run.model_version, input_fingerprint="0" * 64,
                                       model_text=run.model_text)
    InstitutionResult.objects.bulk_create([
        InstitutionResult(run=before, institution_code=r.institution_code, name=r.name, type_code=r.type_code,
                          type_name=r.type_name, status=r.status, overall=None if r.overall is None else r.overall - shift,
                          overall_published=r.overall_published, grade=r.grade, rank_in_type=r.rank_in_type, scores=r.scores)
        for r in run.results.all()])
    ScoringRun.objects.filter(pk=before.pk).update(published_at=run.published_at)
    return before


def test_change_from_last_year_is_marked_only_beyond_the_combined_uncertainty(client, year_files):
    run = _run(year_files)
    _previous_year(run, shift=0.0)  # nothing moved: never significant
    table = client.get("/results/").text
    assert "2016년 대비" in table and "의미 있는 변화</span>" not in table
    api = client.get("/api/v1/results/2017").json()
    scored = [row for row in api if row["status"] == "scored"]
    assert all(row["change"]["significant"] is False and row["change"]["difference"] == 0 for row in scored)
    assert all(row["uncertainty"]["se"] > 0 for row in scored)


def test_a_large_move_is_significant_in_the_api_and_open_data(client, year_files):
    from integrity.scoring.change import significant_change

    run = _run(year_files)
    _previous_year(run, shift=3.0)  # every body three points better than last year: beyond any body's uncertainty here
    api = client.get("/api/v1/results/2017").json()
    scored = [row for row in api if row["status"] == "scored"]
    assert all(row["change"]["difference"] == pytest.approx(3.0) for row in scored)
    for row in scored:  # the verdict is the rule's, with both years' standard errors (equal here)
        se = row["uncertainty"]["se"]
        assert row["change"]["significant"] is significant_change(3.0, se, 0.0, se, 0.95) is True
    csv = b"".join(client.get("/results/download.csv").streaming_content).decode("utf-8-sig")
    header = csv.splitlines()[0]
    assert "종합청렴도 표준오차" in header and "등급 변동 확률" in header and "작년 대비 의미 있는 변화" in header
    assert ",예" in csv
    import io

    frame = pl.read_parquet(io.BytesIO(b"".join(client.get("/results/download.parquet").streaming_content)))
    assert frame.schema["change_significant"] == pl.Boolean and frame.schema["near_cut"] == pl.Boolean
    assert frame.filter(pl.col("status") == "scored")["change_significant"].all()


def test_methodology_page_explains_the_model_and_the_uncertainty_in_korean(client, year_files, m2017):
    _run(year_files)
    page = client.get("/results/method/").text
    assert m2017.title in page and "층화 부트스트랩" in page and "등급이 바뀔 확률" in page
    assert f"{m2017.uncertainty.replicates}번" in page and "1.96배" in page
    for sv in m2017.surveys:
        assert sv.name in page
    assert page.count("등급</li>") == 0 and f"{m2017.grades}등급:" in page


def test_methodology_page_says_district_offices_are_measured_within_provincial_offices(client, year_files):
    _run(year_files)
    page = client.get("/results/method/").text
    assert "교육지원청은 시·도교육청 평가에 포함하여 측정합니다" in page and "10곳 이상이면 3년 주기로" in page
    weights = page.split('<ul class="weights">')[1].split("</ul>")[0]
    assert "교육지원청" not in weights and "시·도교육청" in weights
