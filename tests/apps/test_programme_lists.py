"""The programme's long lists (targets, the plan's sub-tasks, a sub-task's progress
reports) are searched, filtered and paged by the shared helper, and the dashboard shows
the first rows of its lists with a link to the whole."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from integrity.apps.programme.models import CoreTask, ProgressReport, Strategy, SubTask, Target
from integrity.model import load_model
from integrity.programme.targets import measures
from integrity.web.listing import PER_PAGE

from .listing_checks import get, rows_shown

A = "0100001"


def _url(name, **kw):
    return reverse(f"programme:{name}", kwargs={"code": A, "year": 2017} | kw)


@pytest.fixture
def team(client, users):
    client.force_login(users["team_a"])
    return client


def test_targets_are_searched_filtered_and_paged(team, registry):
    for m in measures(load_model("2017"))[:PER_PAGE + 5]:
        Target.objects.create(institution_code=A, year=2017, measure=m.code, kind="score", value=5, note="분기 점검")
    Target.objects.create(institution_code=A, year=2017, measure="overall", kind="grade", value=1, note="연말 목표")
    page = get(team, _url("targets"))
    assert rows_shown(page) == PER_PAGE and "page=2" in page and "다음 쪽" in page and "1 / 2쪽" in page
    assert "56건 (전체 56건)" in page
    assert "1건 (전체 56건)" in get(team, _url("targets") + "?kind=grade")
    assert "1건 (전체 56건)" in get(team, _url("targets") + "?q=연말")
    assert "56건" in get(team, _url("targets") + "?achieved=pending")  # no published run: every one before results
    both = get(team, _url("targets") + "?q=분기&kind=score")
    assert "55건 (전체 56건)" in both and "?q=%EB%B6%84%EA%B8%B0&amp;kind=score&amp;page=2" in both
    assert "1 / 2쪽" in get(team, _url("targets") + "?page=x")
    assert "2 / 2쪽" in get(team, _url("targets") + "?page=99999999999999999999")


def _big_plan():
    """60 sub-tasks: 35 under 청렴 교육 (감사실), 25 under 인사 쇄신 (인사과), 3 of them done."""
    made = {}
    for order, (title, owner, n) in enumerate([("청렴 교육", "감사실", 35), ("인사 쇄신", "인사과", 25)], 1):
        strategy = Strategy.objects.create(institution_code=A, year=2017, order=order, title=title)
        core = CoreTask.objects.create(strategy=strategy, order=1, title=f"{title} 핵심")
        for i in range(n):
            SubTask.objects.create(core_task=core, order=i, title=f"과제 {order}-{i}", owner=owner,
                                   status="done" if (order, i) in {(1, 0), (1, 1), (2, 0)} else "planned")
        made[title] = strategy
    return made


def test_the_plan_tree_is_searched_filtered_and_paged(team, registry):
    made = _big_plan()
    page = get(team, _url("plan"))
    assert rows_shown(page) == PER_PAGE and "다음 쪽" in page and "page=2" in page and "60건 (전체 60건)" in page
    assert "전략 1" in page and "청렴 교육 핵심" in page
    second = get(team, _url("plan") + "?page=2")
    assert rows_shown(second) == 10 and "전략 2" in second and "과제 2-24" in second and "과제 1-0<" not in second
    assert "25건 (전체 60건)" in get(team, _url("plan") + "?q=인사과")
    assert "3건 (전체 60건)" in get(team, _url("plan") + "?status=done")
    one = get(team, _url("plan") + f"?strategy={made['인사 쇄신'].pk}")
    assert "25건 (전체 60건)" in one and "전략 2" in one and "전략 1" not in one
    both = get(team, _url("plan") + "?q=과제&status=planned")
    assert "57건 (전체 60건)" in both and "q=%EA%B3%BC%EC%A0%9C&amp;status=planned&amp;page=2" in both
    assert "조건에 맞는 세부과제가 없습니다" in get(team, _url("plan") + "?q=없는말")
    assert "2 / 2쪽" in get(team, _url("plan") + "?page=-3")  # out of range: the last page, like the helper
    assert "1 / 2쪽" in get(team, _url("plan") + "?page=1.5")
    assert "2 / 2쪽" in get(team, _url("plan") + "?page=999")
    # the forms below still offer the whole plan, not the page's part of it
    assert f'<option value="{made["청렴 교육"].pk}">청렴 교육</option>' in second


def test_a_strategy_without_core_tasks_is_a_row_of_the_plan(team, registry):
    Strategy.objects.create(institution_code=A, year=2017, order=1, title="빈 전략")
    page = get(team, _url("plan"))
    assert "빈 전략" in page and "핵심과제가 없습니다" in page and "1건 (전체 1건)" in page


def test_progress_reports_are_searched_filtered_and_paged(team, registry):
    sub = _big_plan()["청렴 교육"].core_tasks.get().sub_tasks.first()
    start = date(2017, 1, 1)
    for i in range(52):
        ProgressReport.objects.create(sub_task=sub, reported_on=start + timedelta(days=i), progress=min(i, 100),
                                      narrative=f"월간 점검 {i}")
    for i in range(7):
        ProgressReport.objects.create(sub_task=sub, reported_on=date(2016, 12, 1 + i), progress=5, narrative=f"준비 점검 {i}")
    ProgressReport.objects.create(sub_task=sub, reported_on=date(2016, 11, 1), progress=1, narrative="특별 감사")
    url = _url("task", task_id=sub.pk)
    page = get(team, url)
    assert rows_shown(page) == PER_PAGE and "다음 쪽" in page and "60건 (전체 60건)" in page
    assert page.index("월간 점검 51") < page.index("월간 점검 50")  # newest first
    assert "8건 (전체 60건)" in get(team, url + "?year=2016")
    assert "1건 (전체 60건)" in get(team, url + "?q=특별")
    assert "0건 (전체 60건)" in get(team, url + "?evidence=yes")
    both = get(team, url + "?q=점검&year=2017")
    assert "52건 (전체 60건)" in both and "q=%EC%A0%90%EA%B2%80&amp;sort=-reported_on&amp;year=2017&amp;page=2" in both
    assert "1 / 2쪽" in get(team, url + "?page=abc")
    assert "2 / 2쪽" in get(team, url + "?page=3")


def test_the_dashboard_shows_the_first_rows_and_links_to_the_whole_lists(team, registry):
    strategy = Strategy.objects.create(institution_code=A, year=2017, order=1, title="전략")
    core = CoreTask.objects.create(strategy=strategy, order=1, title="핵심")
    for i in range(12):
        SubTask.objects.create(core_task=core, order=i, title=f"늦은 과제 {i}", deadline=date.today() - timedelta(days=1 + i))
    for m in measures(load_model("2017"))[:12]:
        Target.objects.create(institution_code=A, year=2017, measure=m.code, kind="score", value=5)
    page = get(team, _url("dashboard"))
    assert page.count("늦은 과제") == 10 and "기한이 지난 과제 12개 모두 보기" in page
    assert f'href="{_url("tasks")}?overdue=yes"' in page
    assert "목표 12개 모두 보기" in page and f'href="{_url("targets")}"' in page
