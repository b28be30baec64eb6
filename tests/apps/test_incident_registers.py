"""Incident and credibility registers: import from the submitted lists, the
sanction table, decisions logged, deductions for the engine."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from integrity.apps.audit.models import AuditEntry
from integrity.apps.incidents.models import Case, CredibilityCase, Rebuttal, Source
from integrity.apps.incidents.services import deductions_frame, import_from_rosters, position_of
from tests.rosters.helpers import filled


def _upload(client, registry, users, form_code, rows):
    client.force_login(users["liaison_a"])
    data = io.BytesIO(filled(form_code, rows))
    data.name = "list.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": form_code, "file": data, "password": ""})


def test_submitted_disciplinary_lists_become_cases_with_the_scope_rules(client, registry, users):
    rows = [
        {"name": "정하늘", "grade": "5급", "act_type": "금품·향응수수", "disposition": "정직", "amount": 3_000_000,
         "disposed_on": date(2017, 1, 5), "detected_by": "검찰·경찰"},
        {"name": "김바다", "grade": "7급", "act_type": "공금횡령·유용", "disposition": "견책",
         "disposed_on": date(2017, 2, 5), "detected_by": "자체적발"},
    ]
    _upload(client, registry, users, "disciplinary_4_1", rows)
    assert import_from_rosters(registry["year"], users["admin"]) == 2
    frame = deductions_frame(registry["year"])
    assert frame.height == 1  # the self-detected case does not count (rows stay visible in the register)
    row = frame.row(0, named=True)
    assert (row["institution"], row["category"], row["position"], row["detection"], row["amount"]) == (
        "0100001", "external", "middle", "prosecution_police", 3_000_000)
    assert Case.objects.count() == 2 and AuditEntry.objects.filter(action="incidents.imported").exists()


def test_position_classes_from_grades():
    assert [position_of(g) for g in ("고위공무원 나급", "4급", "5급", "6급", "7급", "9급", "퇴직자")] == [
        "senior", "senior", "middle", "middle", "junior", "junior", "private"]


def test_credibility_sanctions_follow_the_model_table(registry):
    case = CredibilityCase(year=registry["year"], institution=registry["a"], violation="favourable_answer_request",
                           points=0.3, note="사전 접촉")
    case.full_clean()
    case.points = 0.9
    with pytest.raises(ValidationError, match="0.1~0.5"):
        case.full_clean()
    case = CredibilityCase(year=registry["year"], institution=registry["a"], violation="critic_blacklisting",
                           void=True, note="비판적 응답자 배제")
    with pytest.raises(ValidationError, match="무효"):
        case.full_clean()


def test_rebuttal_decisions_are_logged_and_remove_the_case(admin_client, registry):
    case = Case.objects.create(year=registry["year"], institution=registry["a"], source=Source.PRESS,
                               act_type="금품·향응수수", disposed_on=date(2017, 3, 1), detected_by="press",
                               rebuttal=Rebuttal.SUBMITTED, rebuttal_text="보도 정정 자료")
    assert deductions_frame(registry["year"]).height == 1
    admin_client.post("/admin/incidents/case/", {"action": "accept_rebuttal", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert case.rebuttal == Rebuttal.ACCEPTED
    assert deductions_frame(registry["year"]).height == 0
    assert AuditEntry.objects.filter(action="case.rebuttal_accepted", target_id=str(case.pk)).exists()


def test_cases_entered_in_the_admin_are_logged(admin_client, registry):
    response = admin_client.post("/admin/incidents/case/add/", {
        "year": registry["year"].pk, "institution": registry["a"].pk, "source": "press", "act_type": "직권남용",
        "disposed_on": "2017-03-01", "people": 2, "detected_by": "press", "rebuttal": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    entry = AuditEntry.objects.get(action="case.added", target_id=str(case.pk))
    assert "직권남용" in entry.summary


def test_a_liaison_rebuts_a_press_case_and_the_administrator_decides(client, registry, users):
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(users["admin"])
    case = Case.objects.create(year=registry["year"], institution=registry["a"], source=Source.PRESS,
                               act_type="금품·향응수수", disposed_on=date(2017, 3, 1), detected_by="press")
    other = Case.objects.create(year=registry["year"], institution=registry["b"], source=Source.PRESS,
                                act_type="금품·향응수수", disposed_on=date(2017, 3, 1), detected_by="press")
    client.force_login(users["liaison_a"])
    page = client.get(reverse("incidents:mine")).content.decode()
    assert "금품·향응수수" in page and page.count('class="card"') == 1  # only its own institution's cases
    client.post(reverse("incidents:rebut", kwargs={"case_id": case.pk}), {"rebuttal_text": "정정보도 2017-05-02 첨부"})
    case.refresh_from_db()
    assert case.rebuttal == Rebuttal.SUBMITTED and "정정보도" in case.rebuttal_text
    assert client.post(reverse("incidents:rebut", kwargs={"case_id": other.pk}), {"rebuttal_text": "x"}).status_code == 403
    admin_client.post("/admin/incidents/case/", {"action": "accept_rebuttal", "_selected_action": [case.pk]})
    assert [e.action for e in AuditEntry.objects.filter(target_id=str(case.pk)).order_by("pk")] == [
        "case.rebuttal_submitted", "case.rebuttal_accepted"]


def test_a_liaisons_cases_are_searched_filtered_and_paged(client, users, registry):
    from datetime import date

    from django.urls import reverse

    from integrity.apps.incidents.models import Case
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    Case.objects.bulk_create([
        Case(year=registry["year"], institution=registry["a"], source="press" if i < 4 else "disciplinary",
             act_type="금품·향응수수" if i % 2 else "직권남용", detected_by="press", disposition=f"처분 {i}",
             disposed_on=date(2016, 1 + i % 12, 1), rebuttal="submitted" if i < 3 else "")
        for i in range(PER_PAGE + 6)])
    total = PER_PAGE + 6
    client.force_login(users["liaison_a"])
    url = reverse("incidents:mine")
    assert_paged(client, url, total, rows=lambda page: page.count('<section class="card">'))
    assert count_line(4, total) in get(client, url + "?source=press")
    assert count_line(3, total) in get(client, url + "?rebuttal=submitted")
    assert count_line(total - 3, total) in get(client, url + "?rebuttal=none")
    assert count_line(1, total) in get(client, url + "?q=처분 17")
    both = get(client, url + "?q=처분&source=disciplinary")
    assert count_line(total - 4, total) in both and "?q=%EC%B2%98%EB%B6%84&amp;sort=-disposed&amp;source=disciplinary&amp;page=2" in both
