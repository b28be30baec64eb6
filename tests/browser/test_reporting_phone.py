"""청렴신문고 on a phone with JavaScript off (issue 15, "Done when"): report with a
photo, keep the receipt code and passphrase, follow the case and answer the handler's
question. axe-core finds nothing serious or critical on any of the public pages."""

import re

import pytest

from integrity.apps.reporting import release, services
from integrity.apps.reporting.models import Report
from tests.browser.helpers import serious, sign_in
from tests.reporting.samples import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}


def axe_findings(browser, live_server, page) -> list[str]:
    """axe-core needs JavaScript, which the phone page has off: the very HTML the phone
    got (POST answers included) is checked in a page of the same address with it on."""
    checker = browser.new_page(viewport=PHONE)
    try:
        checker.goto(f"{live_server.url}/report/follow/")
        checker.set_content(page.content())
        return serious(checker)
    finally:
        checker.close()


def test_report_and_follow_on_a_phone_without_javascript(live_server, browser, registry, users, screenshots, tmp_path):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="ko-KR", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/report/?institution={registry['a'].code}")
    assert axe_findings(browser, live_server, page) == []
    page.select_option("#id_kind", "gapjil")
    page.select_option("#id_field", "personnel")
    page.fill("#id_title", "부서장의 폭언")
    page.fill("#id_what", "회의 때마다 특정 직원에게 폭언을 합니다.")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.set_input_files("#attachments", str(photo))
    page.screenshot(path=screenshots / "reporting-form-phone.png", full_page=True)
    page.click("button:has-text('신고 보내기')")
    text = page.inner_text("main")
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){6}", text).group(0)
    passphrase = re.search(r"\d{4}-\d{4}-\d{4}", text).group(0)
    assert axe_findings(browser, live_server, page) == []
    assert "다음 일괄 접수" in text  # the reporter is told when the report becomes visible
    page.screenshot(path=screenshots / "reporting-receipt-phone.png", full_page=True)
    assert not Report.objects.exists()  # it waits, sealed, for the release
    release.release()
    report = Report.objects.get()
    assert report.institution == registry["a"] and report.attachments.count() == 1
    services.ask(report, users["team_a"], "언제부터 그랬나요?")

    page.click("a.button:has-text('내 신고 확인')")
    page.fill("#id_code", code.lower())
    page.fill("#id_passphrase", passphrase)
    page.click("button:has-text('확인')")
    assert "언제부터 그랬나요?" in page.inner_text("main")
    assert axe_findings(browser, live_server, page) == []
    page.fill("#id_body", "올해 3월부터입니다.")
    page.click("button:has-text('보내기')")
    assert "올해 3월부터입니다." in page.inner_text("main")  # shown as sent, waiting for the release
    assert axe_findings(browser, live_server, page) == []
    page.screenshot(path=screenshots / "reporting-follow-phone.png", full_page=True)
    release.release()

    staff = sign_in(browser, live_server, "team_a")
    staff.goto(f"{live_server.url}/report/cases/")
    assert "신고자 답변" in staff.inner_text("table.results")
    staff.click("table.results tbody a")
    assert "올해 3월부터입니다." in staff.inner_text("main")
    assert serious(staff) == []
    for path in ("statistics/", "solicitations/", "solicitations/new/", "one-strike/", "one-strike/new/", "auditors/",
                 "auditors/new/"):
        staff.goto(f"{live_server.url}/report/{path}")
        assert serious(staff) == [], path
    context.close()
