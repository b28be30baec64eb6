"""The evaluation panel in a browser: an administrator forms a panel and runs the
assignment; two evaluators score the same qualitative indicator independently, further
apart than the reconciliation gap; the administrator reconciles it from the queue with a
reason; the decided score shows on the institution's page. axe-core finds nothing serious
or critical on the evaluator's screen or the queue."""

from datetime import date

import pytest

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.effort import services
from integrity.apps.effort.models import Assignment, Score
from integrity.apps.registry.models import AssessmentYear, Institution
from tests.browser.helpers import serious, sign_in
from tests.registry_fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _score(browser, live_server, username, body, level, reason, screenshots=None):
    page = sign_in(browser, live_server, username)
    page.goto(f"{live_server.url}/effort/assigned/")
    page.click("text=가람부")
    assert "다른 평가위원" not in page.inner_text("main")  # the other's score stays hidden until both scored
    page.select_option("[id='level_3.2']", level)
    page.fill("[id='reason_3.2']", reason)
    page.locator("form:has([id='level_3.2']) button").click()
    page.wait_for_load_state()
    assert "평가를 기록했습니다" in page.inner_text("main")
    if screenshots is not None:
        page.screenshot(path=screenshots / "effort-panel-1-evaluator.png", full_page=True)
        assert serious(page) == []
    return page


def test_two_evaluators_differ_beyond_the_gap_and_the_administrator_reconciles(live_server, browser, django_user_model,
                                                                                screenshots):
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    body = Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_2", staff=900)
    admin = django_user_model.objects.create_user("admin", password=PASSWORD, is_superuser=True, is_staff=True)
    for name in ("kim", "lee"):
        user = django_user_model.objects.create_user(name, password=PASSWORD)
        Profile.objects.create(user=user, role=Role.EVALUATOR)
    services.set_deadline(year, admin, date(2099, 12, 31))
    services.save_draft(body, admin, {i.code: ("90" if i.needs_figure else "", f"{i.name} 추진 실적")
                                      for i in year.model.effort.indicators})
    services.submit(body, admin)

    page = sign_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/effort/panels/?year=2022")
    page.fill("#panel_name", "중앙행정기관 평가단")
    page.check("input[value=central_2]")
    page.click("button:has-text('만들기')")
    page.wait_for_load_state()
    for name, kind in (("kim", "internal"), ("lee", "external")):
        page.select_option("#member_user", label=name)
        page.select_option("#member_kind", kind)
        page.click("button:has-text('넣기')")
        page.wait_for_load_state()
    page.click("button:has-text('배정 실행')")
    page.wait_for_load_state()
    assert sorted(Assignment.objects.filter(institution=body).values_list("user__username", flat=True)) == ["kim", "lee"]
    assert "가람부" in page.inner_text("table.results")
    assert serious(page) == []  # the panel page

    _score(browser, live_server, "kim", body, "A", "취약분야 진단과 개선 효과가 뚜렷함", screenshots)
    page_lee = _score(browser, live_server, "lee", body, "D", "개선과제의 효과 근거가 부족함")
    assert "조정 중" in page_lee.inner_text("main")  # 12 x 1.0 vs 12 x 0.4: beyond one step (2.4 points)
    assert not Score.objects.filter(institution=body, indicator="3.2").exists()

    page.goto(f"{live_server.url}/effort/reconciliation/?year=2022")
    queue = page.inner_text("main")
    assert "부패취약분야 발굴과 개선" in queue and "개선과제의 효과 근거가 부족함" in queue
    page.screenshot(path=screenshots / "effort-panel-2-reconciliation.png", full_page=True)
    assert serious(page) == []
    page.select_option("select[name=level]", "C")
    page.fill("input[name=reason]", "현장 확인 결과 개선 효과 일부 확인")
    page.click("button:has-text('조정 결정')")
    page.wait_for_load_state()
    assert "조정 결과를 기록했습니다" in page.inner_text("main")
    assert Score.objects.get(institution=body, indicator="3.2").level == "C"

    page.goto(f"{live_server.url}/effort/evaluation/{body.pk}/")
    main = page.inner_text("main")
    assert "7.20 / 12" in main  # the decided level C = 0.6 x 12 points
    assert "조정 보통" in main and "현장 확인 결과 개선 효과 일부 확인" in main
    page.screenshot(path=screenshots / "effort-panel-3-decided.png", full_page=True)
