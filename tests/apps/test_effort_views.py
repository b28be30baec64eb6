"""청렴노력도 screens: the liaison's report form, the administrators' list and scoring page."""

from datetime import date

import pytest
from django.urls import reverse

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.audit.models import AuditEntry
from integrity.apps.effort import services
from integrity.apps.effort.models import Report, Score, Status
from integrity.apps.registry.models import AssessmentYear, Institution


@pytest.fixture
def year(db):
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_2", staff=900)
    Institution.objects.create(year=year, code="0200001", name="누리공단", type_code="pso_5", staff=150)
    return year


@pytest.fixture
def people(year, django_user_model):
    admin = django_user_model.objects.create_user("admin", password="x-9-correct-horse", is_superuser=True)
    liaison = django_user_model.objects.create_user("liaison", password="x-9-correct-horse")
    Profile.objects.create(user=liaison, role=Role.LIAISON, institution=year.institutions.get(code="0100001"))
    analyst = django_user_model.objects.create_user("analyst", password="x-9-correct-horse")
    Profile.objects.create(user=analyst, role=Role.ANALYST)
    services.set_deadline(year, admin, date(2099, 12, 31))  # the model file's 2022-10-31 is long past
    return {"admin": admin, "liaison": liaison, "analyst": analyst}


def _form(year, figure="90"):
    data = {}
    for ind in year.model.effort.indicators:
        if ind.needs_figure:
            data[f"figure_{ind.code}"] = figure
        data[f"narrative_{ind.code}"] = f"{ind.name}: 추진 실적과 증빙 문서 번호"
    return data


def _submit(body, actor):
    entries = {i.code: ("90" if i.needs_figure else "", "실적") for i in body.year.model.effort.indicators}
    services.save_draft(body, actor, entries)
    services.submit(body, actor)


def test_liaison_sees_every_indicator_with_its_evidence_and_rule(client, year, people):
    client.force_login(people["liaison"])
    page = client.get(reverse("effort:mine")).content.decode()
    assert "반부패 추진체계 구축" in page and "부패영향평가 개선권고 이행률" in page
    assert "정보공개시스템의 원문공개 대상 건수와 공개 건수" in page  # the evidence asked for
    assert "50% 이하 0점, 95% 이상 8점" in page  # the rule, from the model file
    assert "제출 기한 2099-12-31" in page


def test_liaison_saves_a_draft_then_submits_and_gets_a_receipt(client, year, people):
    client.force_login(people["liaison"])
    body = year.institutions.get(code="0100001")
    assert client.post(reverse("effort:mine"), {**_form(year), "action": "draft"}).status_code == 302
    assert Report.objects.get(institution=body, indicator="2.1").figure == 90
    assert services.submission_of(body).status == Status.DRAFT
    response = client.post(reverse("effort:mine"), {**_form(year), "action": "submit"}, follow=True)
    submission = services.submission_of(body)
    assert submission.status == Status.SUBMITTED and submission.receipt in response.content.decode()
    assert "제출 완료" in response.content.decode()
    client.post(reverse("effort:mine"), {**_form(year, figure="10"), "action": "draft"})
    assert Report.objects.get(institution=body, indicator="2.1").figure == 90  # submitted: no more changes


def test_a_bad_figure_keeps_what_was_typed_and_saves_nothing(client, year, people):
    client.force_login(people["liaison"])
    data = {**_form(year), "figure_4.1": "약 80", "action": "draft"}
    response = client.post(reverse("effort:mine"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "4.1 청렴교육 이수율: 실적 수치가 수가 아닙니다 (값: 약 80)" in page and 'value="약 80"' in page
    assert not Report.objects.exists()


def test_administrator_lists_institutions_by_status_and_scores_one_with_a_reason(client, year, people):
    body = year.institutions.get(code="0100001")
    _submit(body, people["liaison"])
    client.force_login(people["admin"])
    listing = client.get(reverse("effort:index"), {"status": "submitted"}).content.decode()
    assert "가람부" in listing and "누리공단" not in listing and services.submission_of(body).receipt in listing
    assert "누리공단" in client.get(reverse("effort:index"), {"q": "누리"}).content.decode()
    url = reverse("effort:score", kwargs={"institution_id": body.pk})
    assert client.post(url, {"indicator": "3.2", "level": "B", "reason": "개선과제 3건, 효과 확인"}).status_code == 302
    assert Score.objects.get(institution=body, indicator="3.2").level == "B"
    page = client.get(reverse("effort:institution", kwargs={"institution_id": body.pk})).content.decode()
    assert "개선과제 3건, 효과 확인" in page and "9.6" in page  # the reason and the points (우수 = 0.8 × 12)
    assert AuditEntry.objects.filter(action="effort.scored", actor=people["admin"]).count() == 1


def test_a_score_without_a_reason_is_not_recorded(client, year, people):
    body = year.institutions.get(code="0100001")
    _submit(body, people["liaison"])
    client.force_login(people["admin"])
    response = client.post(reverse("effort:score", kwargs={"institution_id": body.pk}),
                           {"indicator": "3.2", "level": "B", "reason": ""}, follow=True)
    assert "평가 사유를 적어 주세요" in response.content.decode()
    assert not Score.objects.exists()


def test_analyst_reads_the_scoring_page_without_the_forms(client, year, people):
    body = year.institutions.get(code="0100001")
    client.force_login(people["analyst"])
    page = client.get(reverse("effort:institution", kwargs={"institution_id": body.pk})).content.decode()
    assert "반부패 추진체계 구축" in page and "effort/evaluation" not in page.split("기관 목록으로")[1]
    assert client.post(reverse("effort:score", kwargs={"institution_id": body.pk}),
                       {"indicator": "3.2", "level": "B", "reason": "x"}).status_code == 403


def test_an_institutions_change_history_is_searched_filtered_and_paged(client, year, people):
    """The whole effort history, not the latest fifty."""
    from integrity.apps.audit.services import record
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    body = year.institutions.get(code="0100001")
    for i in range(PER_PAGE + 5):
        record(people["admin"] if i % 5 else people["liaison"], "effort.scored", body, f"가람부 3.{i} 점수", reason=f"사유 {i}")
    record(people["admin"], "effort.scored", year.institutions.get(code="0200001"), "누리공단 3.2 점수")  # another body's
    total = PER_PAGE + 5
    client.force_login(people["analyst"])
    url = reverse("effort:institution", kwargs={"institution_id": body.pk})
    in_history = lambda page: page[page.index('id="history"'):].count("<li>")  # noqa: E731
    assert_paged(client, url, total, rows=in_history)
    assert count_line(11, total) in get(client, url + "?actor=liaison")
    assert count_line(1, total) in get(client, url + "?q=사유 17")
    both = get(client, url + "?q=점수&actor=admin")
    assert count_line(total - 11, total) in both
    assert "?q=%EC%A0%90%EC%88%98&amp;page=2" in get(client, url + "?q=점수")
    assert "누리공단 3.2" not in get(client, url)
