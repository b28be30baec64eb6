"""On a phone: a respondent opens the link, answers with branching, leaves,
returns, finishes, and the link then refuses politely; the questionnaire passes
axe-core with no serious violation. An interviewer works a call."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from integrity.apps.fieldwork import release
from integrity.apps.fieldwork.models import CallAssignment, Invitation, Response
from tests.registry_fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "ko-KR"}


def _answer_page(page, *, gate_yes: bool):
    for fieldset in page.locator("fieldset.question").all():
        options = fieldset.locator("label.option")
        labels = [t.strip() for t in options.all_inner_texts()]
        choice = 0 if (gate_yes and labels == ["예", "아니오"]) else (1 if labels == ["예", "아니오"] else 0)
        options.nth(choice).click()
    page.click("button.primary")
    page.wait_for_load_state()


def _serious(results) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_respondent_on_a_phone(transactional_db, live_server, browser, invited, screenshots):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    url = f"{live_server.url}/s/{invited[0]}/"
    page.goto(url)
    assert "익명" in page.inner_text("main")
    assert _serious(Axe().run(page)) == []
    page.screenshot(path=screenshots / "r1-intro.png", full_page=True)
    page.click("text=설문 시작하기")
    assert _serious(Axe().run(page)) == []
    page.screenshot(path=screenshots / "r2-likert.png", full_page=True)
    first_title = page.inner_text("h1")
    _answer_page(page, gate_yes=False)  # perception
    page.click("text=이전")  # back: the first page again, with its answers chosen
    assert page.inner_text("h1") == first_title and page.locator("input:checked").count() > 0
    assert "1 / " in page.inner_text("p.step")
    page.click("button.primary")
    page.wait_for_load_state()
    _answer_page(page, gate_yes=True)  # direct experience: "yes" -> follow-up page
    assert "추가 질문" in page.inner_text("h1")
    page.screenshot(path=screenshots / "r3-branch.png", full_page=True)
    context.close()  # leaves

    context = browser.new_context(**PHONE)  # returns later, on another browser session
    page = context.new_page()
    page.goto(url)
    assert "추가 질문" in page.inner_text("h1")
    page.click("text=English")  # the language link, on a page in the middle
    assert "follow-up" in page.inner_text("h1")
    page.click("text=한국어")
    assert "추가 질문" in page.inner_text("h1")
    page.click("button.primary")  # nothing chosen: told which question is missing
    assert "답하지 않은 문항이 있습니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "r4-missing.png", full_page=True)
    marked = page.locator("fieldset.question.invalid").count()
    page.locator("fieldset.question.invalid").first.locator("label.option").first.click()
    assert page.locator("fieldset.question.invalid").count() == marked - 1  # cleared as soon as answered
    while page.locator("fieldset.question").count():
        _answer_page(page, gate_yes=False)
    assert "응답해 주셔서 감사합니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "r5-thanks.png", full_page=True)
    page.goto(url)
    assert "이미 응답을 마치셨습니다" in page.inner_text("main")
    assert Response.objects.count() == 0  # waits, encrypted, for a batch of its kind
    assert release.release_all() == 1 and Response.objects.count() == 1
    context.close()


def test_interviewer_works_a_call(transactional_db, live_server, browser, invited, users, screenshots):
    invitation = Invitation.objects.order_by("pk").first()
    CallAssignment.objects.create(invitation=invitation, interviewer=users["interviewer"])
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "interviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('로그인')")
    page.wait_for_selector("h1:has-text('통화 목록')")
    page.click("text=통화하기")
    assert re.search(r"010-\d{4}-\d{4}", page.inner_text("h1"))
    page.select_option("#disposition", "no_answer")
    page.click("button.primary")
    page.click("text=통화하기")
    page.select_option("#disposition", "complete")
    page.click("button.primary")
    page.screenshot(path=screenshots / "i1-cati.png", full_page=True)
    assert page.locator("header.site nav").count() == 1  # the site's menu stays
    _answer_page(page, gate_yes=False)
    page.click("text=중단하고 통화 결과 기록")  # the respondent has to go: back to the call
    assert "지금까지 입력한 답은 저장되어" in page.inner_text("main")
    page.select_option("#disposition", "complete")  # called back: continues where it stopped
    page.click("button.primary")
    while page.locator("fieldset.question").count():
        _answer_page(page, gate_yes=False)
    assert "응답을 저장했습니다" in page.inner_text("main")
    release.release_all()
    assert Response.objects.get().mode == "phone"
