"""청렴주의보 in a browser: the administrator issues January's alerts from the list, finds
the gifts alert by its filters, opens its evidence and sends it to the liaisons; an
analyst reads the same pages without the buttons. axe-core finds nothing serious."""

import pytest

from integrity.apps.earlywarning.models import Alert, Delivery
from tests.apps.test_earlywarning import make_world
from tests.browser.helpers import serious, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_alert_is_issued_listed_and_shown_with_its_evidence(live_server, browser, registry, users, screenshots):
    make_world(registry, users)
    page = sign_in(browser, live_server, "admin")
    page.click("nav >> text=청렴주의보")
    page.fill("#issue-month", "2017-01")
    page.click("button:has-text('경보 발령')")
    page.wait_for_url("**month=2017-01**")
    assert "청렴주의보" in page.inner_text("p.card.success") and "month=2017-01" in page.url
    page.select_option("#f-field", "gifts")
    page.click("form[role=search] button.primary")
    page.wait_for_url("**field=gifts**")
    rows = page.locator("table.results tbody tr")
    assert rows.count() >= 1 and "금품·향응" in rows.first.inner_text() and "2017 설" in rows.first.inner_text()
    assert serious(page) == []
    page.screenshot(path=screenshots / "w1-warnings.png", full_page=True)
    rows.first.locator("a").click()
    page.wait_for_url("**/warnings/*/")
    main = page.inner_text("main")
    assert "근거 사건" in main and "권하는 활동" in main and "청탁금지법" in main
    assert page.locator("svg.chart").count() == 1
    alert = Alert.objects.get(month="2017-01-01", region="서울", family="local_government", field="gifts")
    assert alert.evidence[0]["label"] in main
    with page.expect_navigation():
        page.click("button:has-text('담당자에게 보내기')")
    assert "전자우편 1통" in page.inner_text("p.card.success")
    assert "누리시" in page.inner_text("main")
    assert Delivery.objects.filter(alert=alert).count() == 1
    assert serious(page) == []
    page.screenshot(path=screenshots / "w2-warning-detail.png", full_page=True)

    analyst = sign_in(browser, live_server, "analyst")
    analyst.goto(f"{live_server.url}/warnings/{alert.pk}/")
    assert "근거 사건" in analyst.inner_text("main") and analyst.locator("button:has-text('담당자에게 보내기')").count() == 0
    analyst.goto(f"{live_server.url}/warnings/calendar/?kind=holiday&year=2017")
    assert "2017 설" in analyst.inner_text("main") and "2017 추석" in analyst.inner_text("main")
    assert serious(analyst) == []
    analyst.screenshot(path=screenshots / "w3-calendar.png", full_page=True)
