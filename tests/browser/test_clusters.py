"""A cluster's secretariat in a browser (seed 000): an application approved by the members'
vote, an inquorate meeting refused, dues paid in kind, an event with its counts, and the
public page without signing in. axe-core finds nothing serious or critical."""

from datetime import date

import pytest

from integrity.apps.clusters import services
from integrity.apps.clusters.models import Cluster
from tests.browser.helpers import serious, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cluster(registry, users):
    c = Cluster.objects.create(name="경남 청렴 클러스터", region="경남")
    c.secretariat_users.add(users["secretariat"])
    services.add_member(c, None, kind="public", institution_code=registry["a"].code, joined_on=date(2017, 1, 1))
    for name in ("진주YMCA", "창원YMCA", "거창YMCA"):
        services.add_member(c, None, kind="civic", name=name, joined_on=date(2017, 1, 1))
    return c


def _meeting(page, live_server, cluster, title, present: list[str]):
    page.goto(f"{live_server.url}/clusters/{cluster.pk}/meetings/")
    page.fill("#held_on", "2017-07-11")
    page.fill("#title", title)
    page.click("button:has-text('회의 만들기')")
    page.wait_for_load_state()
    for name in present:
        page.check(f"label:has-text('{name}') input")
    page.click("button:has-text('출석·회의록 저장')")
    page.wait_for_load_state()


def test_secretariat_runs_a_cluster(live_server, browser, registry, cluster, screenshots):
    page = sign_in(browser, live_server, "secretariat")
    page.goto(f"{live_server.url}/clusters/")
    page.click("text=경남 청렴 클러스터")
    assert "회원" in page.inner_text("main") and "가람부" in page.inner_text("main")
    # an application on the seed's form
    page.click("text=가입신청서 접수")
    page.select_option("#kind", "public")
    page.fill("#institution_code", registry["b"].code)
    page.fill("#name", "누리시")
    page.fill("#staff", "800")
    page.fill("#founded_on", "1995-01-01")
    page.fill("#representative", "시장 홍길동")
    page.fill("#contact", "055-123-4567")
    page.click("button:has-text('접수')")
    page.wait_for_load_state()
    assert "가입신청을 접수했습니다" in page.inner_text("main")
    # an inquorate steering meeting: 1 of 4 present cannot decide
    _meeting(page, live_server, cluster, "운영위원회", ["진주YMCA"])
    assert "정족수 미달" in page.inner_text("section.cards")
    page.fill("#m_title", "예산 조정")
    page.fill("#in_favour", "1")
    page.click("button:has-text('의결 기록')")
    page.wait_for_load_state()
    assert "정족수 미달로 의결할 수 없습니다" in page.inner_text("main")
    assert "아직 의결이 없습니다" in page.inner_text("main")
    page.screenshot(path=screenshots / "c1-inquorate.png", full_page=True)
    assert serious(page) == []
    # a quorate meeting approves the application by vote
    _meeting(page, live_server, cluster, "1차 대표자회의", ["가람부", "진주YMCA", "창원YMCA"])
    page.select_option("#m_kind", "admission")
    page.select_option("#m_application", label="누리시")
    page.fill("#in_favour", "3")
    page.click("button:has-text('의결 기록')")
    page.wait_for_load_state()
    assert "가결" in page.inner_text("table.results")
    page.screenshot(path=screenshots / "c2-vote.png", full_page=True)
    page.goto(f"{live_server.url}/clusters/{cluster.pk}/")
    assert "누리시" in page.inner_text("table.results")
    page.screenshot(path=screenshots / "c3-cluster.png", full_page=True)
    assert serious(page) == []
    # dues in kind
    page.goto(f"{live_server.url}/clusters/{cluster.pk}/dues/?year=2017")
    page.select_option("#member", label="가람부")
    page.fill("#paid_on", "2017-03-02")
    page.fill("#in_kind", "청렴 홍보 에코가방 500개")
    page.fill("#in_kind_value", "1000000")
    page.click("form.stack button:has-text('납부 기록')")
    page.wait_for_load_state()
    row = page.locator("table.results tr", has_text="가람부").inner_text()
    assert "납부" in row and "에코가방" in row
    assert "면제" in page.locator("table.results tr", has_text="진주YMCA").inner_text()
    page.screenshot(path=screenshots / "c4-dues.png", full_page=True)
    assert serious(page) == []
    # an event with its counts
    page.goto(f"{live_server.url}/clusters/{cluster.pk}/events/")
    page.select_option("#kind", "campaign")
    page.fill("#title", "1차 합동캠페인")
    page.fill("#starts_on", "2017-05-26")
    page.fill("#place", "진주성")
    page.check("fieldset label:has-text('가람부') input")
    page.check("fieldset label:has-text('진주YMCA') input")
    page.fill("#participants", "350")
    page.fill("#bodies_taking_part", "10")
    page.click("form.stack button:has-text('행사 기록')")
    page.wait_for_load_state()
    row = page.locator("table.results tr", has_text="1차 합동캠페인").inner_text()
    assert "350" in row and "10" in row and "진주YMCA" in row
    page.screenshot(path=screenshots / "c5-events.png", full_page=True)
    # the public page, without signing in: members and events only
    anonymous = browser.new_page(locale="ko-KR")
    anonymous.goto(f"{live_server.url}/clusters/{cluster.pk}/public/")
    text = anonymous.inner_text("main")
    assert "누리시" in text and "1차 합동캠페인" in text and "055-123-4567" not in text
    assert "350" in anonymous.locator("table.results tr", has_text="1차 합동캠페인").inner_text()  # 참가 인원
    assert serious(anonymous) == []
    anonymous.screenshot(path=screenshots / "c6-public.png", full_page=True)
    anonymous.goto(f"{live_server.url}/clusters/calendar/")
    assert "1차 합동캠페인" in anonymous.inner_text("table.results")
    assert serious(anonymous) == []
    anonymous.screenshot(path=screenshots / "c7-calendar.png", full_page=True)
