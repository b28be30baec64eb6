"""Results of a 2022+ run: three grades side by side (종합, 체감도, 노력도) in the national
table, the institution report and the API; 청렴노력도 by area where the run has it; and
the year before the model change (10 points) beside it, never compared."""

import polars as pl
import pytest

from integrity.apps.results.change import changes
from integrity.apps.results.models import InstitutionResult, ScoringRun
from integrity.apps.results.services import score_files, store_run
from integrity.generate import generate_year
from integrity.interchange import load_year, write_table
from integrity.scoring import score_year

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files2022(tmp_path_factory, m2022):
    folder = tmp_path_factory.mktemp("y2022")
    year = generate_year(m2022, seed=11, responses=15_000)
    return {n: write_table(getattr(year, n), folder / f"{n}.csv") for n in ("institutions", "responses", "deductions")}


def _run(files, publish=True):
    return score_files("2022", files["institutions"], [files["responses"]], files["deductions"], publish=publish)


def _scored(run, type_code="central_1"):
    return run.results.filter(type_code=type_code, status="scored").order_by("rank_in_type", "institution_code").first()


def _year_2021(run, m2017):
    """A published 2021 run on the 2017 model (10 points) for the same bodies."""
    before = ScoringRun.objects.create(year=run.year - 1, model_version=m2017.version, input_fingerprint="0" * 64,
                                       model_text=m2017.text)
    InstitutionResult.objects.bulk_create([
        InstitutionResult(run=before, institution_code=r.institution_code, name=r.name, type_code=r.type_code,
                          type_name=r.type_name, status=r.status, overall=None if r.overall is None else r.overall / 10,
                          overall_published=None if r.overall_published is None else round(r.overall_published / 10, 2),
                          grade=r.grade, rank_in_type=r.rank_in_type,
                          scores={"score_external": 8.1, "score_internal": 7.9, "se_overall": 0.05})
        for r in run.results.all()])
    ScoringRun.objects.filter(pk=before.pk).update(published_at=run.published_at)
    return before


def test_stored_2022_run_keeps_the_three_grades_the_engine_computed(m2022, files2022):
    run = _run(files2022)
    year = load_year(m2022, files2022["institutions"], [files2022["responses"]], files2022["deductions"])
    expected = score_year(m2022, year.institutions, year.responses, year.deductions).institutions
    stored = pl.DataFrame([{"institution": r.institution_code, "grade": r.grade,
                            "grade_perceived": r.scores["grade_perceived"], "grade_effort": r.scores["grade_effort"]}
                           for r in run.results.order_by("institution_code")])
    assert stored.equals(expected.select(stored.columns).sort("institution"))


def test_national_table_shows_overall_perceived_and_effort_grades_for_a_2022_run(client, files2022):
    run = _run(files2022)
    page = client.get("/results/?type=central_1").text
    for text in ("종합 등급", "청렴체감도 등급", "청렴노력도 등급", "청렴체감도 × 0.6 + 청렴노력도 × 0.4"):
        assert text in page, text
    assert "정책고객평가" not in page  # the 2022 model has no policy-customer survey
    top = _scored(run)
    assert f'class="part-grade-perceived"><span class="grade g{top.scores["grade_perceived"]}">' in page
    assert f'class="part-grade-effort"><span class="grade g{top.scores["grade_effort"]}">' in page
    # filterable by each grade
    g = top.scores["grade_effort"]
    filtered = client.get(f"/results/?type=central_1&grade_effort={g}").text
    expected = run.results.filter(type_code="central_1", scores__grade_effort=g).count()
    assert filtered.count('class="status-') == expected


def test_2017_table_keeps_a_single_grade_column(client, m2017, tmp_path):
    year = generate_year(m2017, seed=3, responses=6_000)
    files = {n: write_table(getattr(year, n), tmp_path / f"{n}.csv") for n in ("institutions", "responses", "deductions")}
    score_files("2017", files["institutions"], [files["responses"]], files["deductions"], publish=True)
    page = client.get("/results/").text
    assert "청렴체감도 등급" not in page and "종합 등급" not in page and "척도가 달라" not in page
    assert "정책고객평가" in page


def test_report_shows_the_three_grades_and_the_effort_total_when_the_run_has_no_areas(client, files2022):
    top = _scored(_run(files2022))
    page = client.get(f"/results/{top.institution_code}/").text
    assert "종합 등급" in page and "청렴체감도 등급" in page and "청렴노력도 등급" in page
    assert f"{top.scores['grade_perceived']}등급" in page
    assert f"총점 {top.scores['input_effort']:.2f}점. 이 채점에는 영역별 점수가 없어 총점만 표시합니다." in page


def test_report_and_api_show_effort_by_area_where_the_run_has_it(client, m2022, files2022):
    year = load_year(m2022, files2022["institutions"], [files2022["responses"]], files2022["deductions"])
    table = score_year(m2022, year.institutions, year.responses, year.deductions).institutions
    table = table.with_columns(effort_area_infrastructure=pl.col("input_effort") * 0.3,
                               effort_area_prevention=pl.col("input_effort") * 0.7)
    run = store_run(m2022, table, fingerprint="1" * 64, parameters={}, publish=True)
    top = _scored(run)
    assert top.scores["effort_area_prevention"] == pytest.approx(top.scores["input_effort"] * 0.7)
    page = client.get(f"/results/{top.institution_code}/").text
    assert 'class="results effort-areas"' in page and "prevention" in page and "영역별 점수가 없어" not in page
    row = next(r for r in client.get("/api/v1/results/2022").json() if r["institution"] == top.institution_code)
    assert row["effort"]["areas"]["prevention"] == pytest.approx(top.scores["input_effort"] * 0.7)


def test_api_gives_the_three_grades_and_the_scale_for_a_2022_run(client, files2022):
    run = _run(files2022)
    top = _scored(run)
    rows = client.get("/api/v1/results/2022").json()
    row = next(r for r in rows if r["institution"] == top.institution_code)
    assert row["scale_max"] == 100
    assert row["grades"] == {"overall": top.grade, "perceived": top.scores["grade_perceived"],
                             "effort": top.scores["grade_effort"]}
    assert row["effort"] == {"total": top.scores["input_effort"], "areas": {}, "indicators": {}, "objections": []}


def test_no_change_is_computed_between_a_10_point_2021_score_and_a_100_point_2022_score(client, m2017, files2022):
    run = _run(files2022)
    _year_2021(run, m2017)
    assert changes(run, 0.95) == {}  # never a difference of 10-point and 100-point scores
    table = client.get("/results/").text
    assert "2021년 대비" not in table
    assert "2021년 결과는 10점 만점(이전 측정모형)이고 올해는 100점 만점입니다" in table
    assert "(10점 만점)" in table and "(100점 만점)" in table  # the yearly type averages say their scale
    api = client.get("/api/v1/results/2022").json()
    assert all(r["change"] is None for r in api)


def test_report_shows_2021_and_2022_side_by_side_labelled_with_their_scales(client, m2017, files2022):
    run = _run(files2022)
    _year_2021(run, m2017)
    top = _scored(run)
    page = client.get(f"/results/{top.institution_code}/").text
    assert "작년 결과 (다른 척도)" in page and "직접 비교하거나 차이를 계산하지 않습니다" in page
    assert "<td>10점 만점</td>" in page and "<td>100점 만점</td>" in page
    assert f"{round(top.overall_published / 10, 2):.2f}" in page
    assert "작년</small>" not in page and "의미 있는 변화" not in page.split("작년 결과 (다른 척도)")[0]


def test_api_history_labels_each_year_with_its_scale_and_flags_the_model_change(client, m2017, files2022):
    run = _run(files2022)
    _year_2021(run, m2017)
    top = _scored(run)
    history = client.get(f"/api/v1/institutions/{top.institution_code}/history").json()
    assert [(h["year"], h["scale_max"], h["scale"]) for h in history] == [(2021, 10, "10점 만점"), (2022, 100, "100점 만점")]
    assert history[0]["comparable_with_previous"] is None and history[1]["comparable_with_previous"] is False
    assert history[0]["grades"] is None
    assert history[1]["grades"]["perceived"] == top.scores["grade_perceived"]


def test_same_scale_years_still_compare(client, files2022):
    run = _run(files2022)
    before = ScoringRun.objects.create(year=2021, model_version=run.model_version, input_fingerprint="0" * 64,
                                       model_text=run.model_text)
    InstitutionResult.objects.bulk_create([
        InstitutionResult(run=before, institution_code=r.institution_code, name=r.name, type_code=r.type_code,
                          type_name=r.type_name, status=r.status, overall=r.overall, overall_published=r.overall_published,
                          grade=r.grade, rank_in_type=r.rank_in_type, scores=r.scores) for r in run.results.all()])
    ScoringRun.objects.filter(pk=before.pk).update(published_at=run.published_at)
    moved = changes(run, 0.95)
    assert moved and all(c.difference in (0, None) for c in moved.values())
    assert "2021년 대비" in client.get("/results/").text


def test_pdf_report_of_a_2022_run_carries_the_three_grades(client, files2022):
    import io

    import pypdf

    top = _scored(_run(files2022))
    response = client.get(f"/results/{top.institution_code}/report.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "청렴체감도 등급" in text.replace("\n", " ") and "청렴노력도 등급" in text.replace("\n", " ")


def test_open_data_of_a_2022_run_has_the_three_grades_and_no_change_across_scales(client, m2017, files2022):
    run = _run(files2022)
    _year_2021(run, m2017)
    csv = b"".join(client.get("/results/download.csv").streaming_content).decode("utf-8-sig")
    header = csv.splitlines()[0]
    assert "청렴체감도 등급" in header and "청렴노력도 등급" in header and "청렴노력도" in header
    assert "작년 대비" not in header


def test_publication_preview_across_the_model_change_labels_each_score_with_its_scale(admin_client, m2017, files2022):
    run = _run(files2022, publish=False)
    published = ScoringRun.objects.create(year=2021, model_version=m2017.version, input_fingerprint="0" * 64,
                                          model_text=m2017.text)
    top = _scored(run)
    InstitutionResult.objects.create(run=published, institution_code=top.institution_code, name=top.name,
                                     type_code=top.type_code, type_name=top.type_name, status="scored", overall=7.5,
                                     overall_published=7.5, grade=top.grade, rank_in_type=1, scores={})
    ScoringRun.objects.filter(pk=published.pk).update(published_at="2021-12-01T00:00:00Z")
    from integrity.apps.results.services import compare

    diff = compare(ScoringRun.objects.get(pk=published.pk), run)
    assert diff["scales"] == ("10점 만점", "100점 만점")
    line = next(c for c in diff["changes"] if c["institution"] == top.institution_code)["lines"]
    assert ("종합청렴도", "7.5000 (10점 만점)", f"{top.overall:.4f} (100점 만점)") in line
    page = admin_client.get(f"/results/runs/{run.pk}/publish/").text
    assert "두 실행은 척도가 다릅니다(10점 만점 → 100점 만점, 측정모형 변경)" in page


def test_2022_report_shows_the_corruption_deduction_off_the_overall_score(client, files2022, m2022):
    run = _run(files2022)
    hit = next((r for r in run.results.filter(status="scored") if (r.scores.get("corruption_points") or 0) > 0), None)
    r = hit or _scored(run)
    page = client.get(f"/results/{r.institution_code}/").content.decode()
    assert f"부패실태 (종합청렴도에서 감점, 상한 {m2022.incidents.cap}점)" in page
    assert "외부청렴도에서 감점" not in page  # the 2017 wording is for 2017 runs only
