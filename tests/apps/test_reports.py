"""Reports for people: the institution page and PDF, national tables, downloads."""

import io
from statistics import fmean

import polars as pl
import pypdf
import pytest

from integrity.apps.registry.models import AssessmentYear
from integrity.apps.results.report import type_averages
from integrity.apps.results.services import publish, run_from_database
from integrity.apps.results.year_loader import load_generated_year
from integrity.generate import generate_year


@pytest.fixture
def published(db, m2017):
    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=5, responses=12_000))
    return publish(run_from_database(year), None)


def _a_central_body(run):
    return run.results.filter(type_code="central_1", status="scored").order_by("institution_code").first()


def test_type_average_is_the_mean_of_the_scored_bodies_of_the_type(published):
    rows = published.results.filter(type_code="central_1", status="scored")
    expected = fmean(r.scores["score_external"] for r in rows)
    assert type_averages(published, "central_1")["score_external"] == pytest.approx(expected)


def test_report_page_explains_scores_weak_items_units_and_deductions(client, published):
    body = _a_central_body(published)
    page = client.get(f"/results/{body.institution_code}/").content.decode()
    for text in ("설문별 점수", "유형 평균", "부패지수", "청렴문화지수", "개선이 필요한 문항", "업무별·지방관서별 점수",
                 "감점 내역", "<svg", "PDF 보고서"):
        assert text in page, text


def test_pdf_report_embeds_a_korean_font(client, published):
    body = _a_central_body(published)
    response = client.get(f"/results/{body.institution_code}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    korean = [name for name in fonts if "CJK" in name or "Nanum" in name or "KR" in name]
    assert korean and all(fonts[name] for name in korean), fonts  # embedded, not merely named
    assert body.name in "".join(page.extract_text() for page in reader.pages)


def test_national_table_by_type_with_distribution(client, published):
    page = client.get("/results/?type=basic_city").content.decode()
    n = published.results.filter(type_code="basic_city").count()
    assert "종합청렴도 분포" in page and f"{n}건 (전체 {n}건)" in page
    second = client.get("/results/?type=basic_city&page=2").content.decode()
    assert page.count('class="status-') + second.count('class="status-') == n  # 50 a page
    assert "연도별 유형 평균" in page and "<th class=\"num\">2017</th>" in page


def test_long_lists_search_filter_sort_and_page_with_the_state_in_the_url(client, published):
    one = published.results.filter(status="scored").order_by("institution_code").first()
    found = client.get(f"/results/?q={one.name}").content.decode()
    assert f">{one.name}</a>" in found and "1건 (전체" in found
    best = client.get("/results/?sort=-overall").content.decode()
    top = published.results.filter(status="scored").order_by("-overall").first()
    assert best.index(f">{top.name}</a>") < best.index("</tbody>") and best.count('class="status-') == 50
    graded = client.get("/results/?grade=1").content.decode()
    assert graded.count('class="status-') == published.results.filter(grade=1).count() or "다음 쪽" in graded
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("lists-admin", password="lists-admin-password-1"))
    overview = client.get("/rosters/?status=none&sort=-staff&q=").content.decode()
    assert "미제출" in overview and "건 (전체" in overview


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_open_data_downloads(client, published, fmt):
    response = client.get(f"/results/download.{fmt}")
    data = io.BytesIO(b"".join(response.streaming_content))
    frame = {"csv": pl.read_csv, "xlsx": pl.read_excel, "parquet": pl.read_parquet}[fmt](data)
    expected = {"institution", "overall", "grade", "score_external"} if fmt == "parquet" else {
        "기관코드", "종합청렴도", "등급", "외부청렴도"}  # people read Korean headers; machines the codes
    assert frame.height == 572 and expected <= set(frame.columns)


def test_a_report_reads_the_model_the_run_was_scored_with(client, db, m2017, tmp_path):
    """A run scored with a modified model file keeps reading that model, even after the
    file is changed or gone; not the shipped model of its year. Page, PDF and open data."""
    from integrity.model.loader import model_path

    text = model_path("2017").read_text(encoding="utf-8").replace("name: 부패지수", "name: 부패지수개정안", 1)
    assert "부패지수개정안" in text
    custom = tmp_path / "2017-custom.yaml"
    custom.write_text(text, encoding="utf-8")
    year = AssessmentYear.objects.create(year=2017, model_name=str(custom))
    load_generated_year(year, generate_year(m2017, seed=5, responses=6_000))
    run = publish(run_from_database(year), None)
    custom.write_text(text.replace("부패지수개정안", "부패지수나중에바뀜"), encoding="utf-8")  # edited after the run
    body = _a_central_body(run)
    page = client.get(f"/results/{body.institution_code}/").content.decode()
    assert "부패지수개정안" in page and "나중에바뀜" not in page
    pdf = client.get(f"/results/{body.institution_code}/report.pdf")
    words = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).replace(" ", "")
    assert "부패지수개정안" in words and "나중에바뀜" not in words
    custom.unlink()  # the file is gone: the run still reads its own model
    table = pl.read_csv(io.BytesIO(b"".join(client.get("/results/download.csv").streaming_content)))
    assert "부패지수개정안" in table.columns and "부패지수" not in table.columns


def test_a_run_stores_the_model_text_it_was_scored_with_not_the_file_as_it_reads_later(db, m2017, tmp_path):
    """The file may change between loading the model and storing the run: the run keeps
    what the engine used, with weights that the shipped model does not have."""
    from integrity.apps.results.services import store_run, year_inputs
    from integrity.model import load_model
    from integrity.model.loader import model_path
    from integrity.scoring import score_year

    shipped = model_path("2017").read_text(encoding="utf-8")
    text = shipped.replace("weight: 0.638", "weight: 0.7", 1).replace("weight: 0.362", "weight: 0.3", 1)
    assert text != shipped
    custom = tmp_path / "weights.yaml"
    custom.write_text(text, encoding="utf-8")
    year = AssessmentYear.objects.create(year=2017, model_name=str(custom))
    load_generated_year(year, generate_year(m2017, seed=5, responses=6_000))
    model, institutions, responses, deductions = year_inputs(year)
    custom.write_text(shipped, encoding="utf-8")  # changed while the run was being scored
    result = score_year(model, institutions, responses, deductions)
    run = store_run(model, result.institutions, fingerprint="x", parameters={}, publish=False)
    assert run.model_text == text
    assert [n.weight for n in run.model.survey("external").root.children] == [0.7, 0.3]
    assert [n.weight for n in load_model("2017").survey("external").root.children] == [0.638, 0.362]
