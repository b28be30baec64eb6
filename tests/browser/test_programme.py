"""The institution's programme in a browser: its integrity team sets a target, builds the
plan down to a sub-task, reports progress with an evidence file, and reads the dashboard
and the briefing PDF. axe-core finds nothing serious or critical on the pages."""

import io

import pypdf
import pytest

from integrity.apps.programme.models import ProgressReport, SubTask, Target
from tests.apps.test_programme import A, _publish
from tests.browser.helpers import serious, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_team_sets_a_target_plans_reports_progress_and_reads_the_dashboard(live_server, browser, users, screenshots,
                                                                            settings, tmp_path):
    settings.INTEGRITY_EVIDENCE_DIR = tmp_path / "evidence"
    _publish(se_a=0.05)
    base = f"{live_server.url}/programme/{A}/2017"
    page = sign_in(browser, live_server, "team_a")
    page.goto(f"{live_server.url}/programme/")
    assert page.url == f"{base}/"

    page.goto(f"{base}/targets/")
    page.select_option("#measure", "overall")
    page.select_option("#kind", "grade")
    page.fill("#value", "1")
    page.click("form.card button.primary")
    page.wait_for_load_state()
    assert Target.objects.get(institution_code=A).value == 1
    assert "미달성" in page.inner_text("main")  # published grade 2 against a grade 1 target
    assert serious(page) == []

    page.goto(f"{base}/plan/")
    page.fill("#s-title", "부패 취약 분야 집중 개선 및 청렴 역량 강화")
    page.locator("form:has(#s-title) button").click()
    page.wait_for_load_state()
    page.fill("#c-title", "부패 취약 분야 자체감사·내부통제 확충")
    page.locator("form:has(#c-title) button").click()
    page.wait_for_load_state()
    page.fill("#n-title", "계약·공사 분야 자체감사")
    page.fill("#n-owner", "감사실")
    page.fill("#n-field", "계약·공사")
    page.fill("#n-deadline", "2099-09-30")
    page.fill("#n-kpi_name", "감사 건수")
    page.fill("#n-kpi_target", "12")
    page.fill("#n-kpi_unit", "건")
    page.locator("form:has(#n-title) button.primary").click()
    page.wait_for_load_state()
    assert "계약·공사 분야 자체감사" in page.inner_text("main")
    page.screenshot(path=screenshots / "programme-1-plan.png", full_page=True)
    assert serious(page) == []

    page.click("text=계약·공사 분야 자체감사")
    page.wait_for_load_state()
    page.fill("#progress", "40")
    page.fill("#narrative", "1분기 계약 30건 점검")
    page.set_input_files("#evidence", files=[{"name": "점검결과.pdf", "mimeType": "application/pdf",
                                               "buffer": b"%PDF-1.4 demo evidence"}])
    page.locator("form:has(#narrative) button").click()
    page.wait_for_load_state()
    assert "추진 실적을 등록했습니다" in page.inner_text("main") and "점검결과.pdf" in page.inner_text("main")
    assert SubTask.objects.get().progress == 40 and ProgressReport.objects.get().evidence_stored
    page.screenshot(path=screenshots / "programme-2-task.png", full_page=True)
    assert serious(page) == []

    page.goto(f"{base}/")
    text = page.inner_text("main")
    assert "부패 취약 분야 집중 개선 및 청렴 역량 강화" in text and "40%" in text and "종합청렴도" in text
    page.screenshot(path=screenshots / "programme-3-dashboard.png", full_page=True)
    assert serious(page) == []

    page.goto(f"{base}/diagnosis/")
    assert "이 항목으로 과제 만들기" in page.inner_text("main")
    page.screenshot(path=screenshots / "programme-4-diagnosis.png", full_page=True)
    assert serious(page) == []

    pdf = page.request.get(f"{base}/briefing.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.body()))
    assert len(reader.pages) == 1 and "계약·공사 분야 자체감사" not in reader.pages[0].extract_text()  # not overdue
    (screenshots / "programme-briefing.pdf").write_bytes(pdf.body())
