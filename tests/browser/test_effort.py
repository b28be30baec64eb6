"""청렴노력도 in a browser: a liaison on a phone fills in the report and submits it (a
receipt), an administrator scores a qualitative indicator with a reason. axe-core finds
nothing serious or critical on either page."""

from datetime import date

import pytest

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.effort import services
from integrity.apps.effort.models import Score, Status
from integrity.apps.registry.models import AssessmentYear, Institution
from tests.browser.helpers import serious, sign_in
from tests.registry_fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_liaison_submits_the_report_on_a_phone_and_an_administrator_scores_it(live_server, browser, django_user_model,
                                                                               screenshots):
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    body = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_2", staff=900)
    admin = django_user_model.objects.create_user("admin", password=PASSWORD, is_superuser=True, is_staff=True)
    liaison = django_user_model.objects.create_user("liaison", password=PASSWORD)
    Profile.objects.create(user=liaison, role=Role.LIAISON, institution=body)
    services.set_deadline(year, admin, date(2099, 12, 31))

    page = sign_in(browser, live_server, "liaison", {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/effort/")
    for ind in year.model.effort.indicators:
        if ind.needs_figure and not ind.source:  # a computed figure (cluster activity) has no field
            page.fill(f"[id='figure_{ind.code}']", "90")
        if ind.kind != "survey":
            page.fill(f"[id='narrative_{ind.code}']", f"{ind.name} 추진 실적")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling on a phone
    page.screenshot(path=screenshots / "effort-1-liaison-form.png", full_page=True)
    assert serious(page) == []
    page.click("button[value=submit]")
    page.wait_for_load_state()
    receipt = services.submission_of(body).receipt
    assert services.submission_of(body).status == Status.SUBMITTED and receipt in page.inner_text("main")

    page = sign_in(browser, live_server, "admin", {"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/effort/evaluation/")
    assert receipt in page.inner_text("table.results")
    page.click("text=가람부")
    page.select_option("[id='level_3.2']", "B")
    page.fill("[id='reason_3.2']", "개선과제 3건과 효과 확인")
    page.locator("form:has([id='level_3.2']) button").click()
    page.wait_for_load_state()
    assert Score.objects.get(institution=body, indicator="3.2").reason == "개선과제 3건과 효과 확인"
    assert "평가를 기록했습니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "effort-2-scoring.png", full_page=True)
    assert serious(page) == []
