"""A liaison logs in, downloads a template, uploads an encrypted file with two bad
rows, sees the errors, fixes them, uploads again and sees it accepted."""

from datetime import date

import openpyxl
import pytest

from integrity.apps.rosters.models import RosterUpload, UploadStatus
from tests.registry_fixtures import PASSWORD
from tests.rosters.helpers import encrypt

pytestmark = pytest.mark.django_db(transaction=True)
FILE_PASSWORD = "명부암호2017"


def _fill(template_path, out_path, *, broken: bool):
    book = openpyxl.load_workbook(template_path)
    sheet = book["명부"]
    sheet.delete_rows(2)  # the grey example row
    for i in range(60):
        phone = f"010-5{i:03d}-{i:04d}"
        when = date(2017, 2, 1 + i % 27)
        if broken and i == 3:
            phone = "010-12"
        if broken and i == 7:
            when = date(2017, 9, 1)
        sheet.append([f"민원인{i}", phone, None, when, "보조금 신청", None, "아니오"])
    book.save(out_path)
    out_path.write_bytes(encrypt(out_path.read_bytes(), FILE_PASSWORD))


def _upload(page, path, task_name):
    page.select_option("#id_form_code", label="외부청렴도 측정대상자 명부")
    page.select_option("#id_task", label=task_name)
    page.set_input_files("#id_file", str(path))
    page.fill("#id_password", FILE_PASSWORD)
    page.click("text=올리고 점검하기")
    page.wait_for_selector("section.card.success, section.card.failure", timeout=20_000)


def test_liaison_uploads_fixes_and_is_accepted(transactional_db, live_server, browser, registry, users, screenshots, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR", accept_downloads=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "liaison_a")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('로그인')")
    page.wait_for_selector("h1:has-text('가람부')")
    page.screenshot(path=screenshots / "1-dashboard.png", full_page=True)

    with page.expect_download() as download:
        page.click("table >> text=서식 받기 >> nth=0")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename.endswith(".xlsx")

    broken = tmp_path / "broken.xlsx"
    _fill(template, broken, broken=True)
    _upload(page, broken, "보조금 지원")
    body = page.inner_text("main")
    assert "오류 2건" in body
    assert "5\t휴대전화\t전화번호 형식이 맞지 않습니다" in body  # row 5: the 4th person after the header
    assert "9\t업무처리일\t측정대상기간(2016-07-01~2017-06-30) 밖의 날짜입니다 (값: 2017-09-01)" in body
    page.screenshot(path=screenshots / "2-errors.png", full_page=True)
    assert RosterUpload.objects.get().status == UploadStatus.REJECTED

    page.click("text=다시 올리기")
    fixed = tmp_path / "fixed.xlsx"
    _fill(template, fixed, broken=False)
    _upload(page, fixed, "보조금 지원")
    assert "접수되었습니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "3-accepted.png", full_page=True)
    assert RosterUpload.objects.filter(status=UploadStatus.ACCEPTED).get().row_count == 60
