"""On-site checks (현지점검): registered in the admin, listed (searched, filtered, paged) for
administrators and analysts; an outcome opens a credibility case after confirmation, audited."""

from datetime import date

import pytest
from django.urls import reverse

from integrity.apps.audit.models import AuditEntry
from integrity.apps.incidents.models import CredibilityCase, OnsiteCheck


def _check(registry, institution="a", **fields):
    base = dict(year=registry["year"], institution=registry[institution], checked_on=date(2017, 9, 12),
                checker="청렴도평가과 사무관", subject="incidents", findings="징계대장의 정직 1건이 서식 4-1에 없음",
                outcome="violation")
    return OnsiteCheck.objects.create(**(base | fields))


def test_onsite_check_is_registered_in_the_admin_and_audited(admin_client, registry):
    response = admin_client.post(reverse("admin:incidents_onsitecheck_add"), {
        "year": registry["year"].pk, "institution": registry["a"].pk, "checked_on": "2017-09-12",
        "checker": "청렴도평가과 사무관", "subject": "rosters", "findings": "명부 3명 누락", "outcome": "warning"})
    assert response.status_code == 302, response.content.decode()[:1500]
    check = OnsiteCheck.objects.get()
    assert check.created_by.username == "admin"
    assert AuditEntry.objects.filter(action="onsitecheck.added", target_id=str(check.pk)).exists()


def test_onsite_checks_list_is_searchable_filterable_and_paged(client, registry, users):
    for i in range(55):
        _check(registry, "a" if i % 2 else "b", outcome="confirmed" if i % 5 else "violation", findings=f"점검 {i}")
    client.force_login(users["analyst"])
    page = client.get(reverse("incidents:onsite")).content.decode()
    assert "55건" in page and "2쪽" in page
    page = client.get(reverse("incidents:onsite"), {"q": "누리시"}).content.decode()
    assert "28건" in page
    page = client.get(reverse("incidents:onsite"), {"outcome": "violation"}).content.decode()
    assert "11건" in page
    assert "사건 열기" not in page  # analysts read only


def test_onsite_checks_are_not_for_liaisons(client, registry, users):
    client.force_login(users["liaison_a"])
    assert client.get(reverse("incidents:onsite")).status_code == 403
    check = _check(registry)
    assert client.post(reverse("incidents:onsite_open_case", args=[check.pk]), {}).status_code == 403


def test_onsite_outcome_opens_a_credibility_case_after_confirmation(client, registry, users):
    check = _check(registry)
    client.force_login(users["admin"])
    page = client.get(reverse("incidents:onsite_open_case", args=[check.pk])).content.decode()
    assert "확인하고 사건 열기" in page and 'value="incident_record_forgery" selected' in page
    assert CredibilityCase.objects.count() == 0  # the confirmation page opens nothing
    response = client.post(reverse("incidents:onsite_open_case", args=[check.pk]), {
        "violation": "incident_record_forgery", "grade_down": "1", "note": "징계 처분 고의 누락"})
    assert response.status_code == 302
    case = CredibilityCase.objects.get()
    check.refresh_from_db()
    assert check.credibility_case == case and (case.grade_down, case.void) == (1, False)
    assert AuditEntry.objects.filter(action="credibility.opened_from_onsite_check", target_id=str(case.pk)).exists()
    # a second attempt opens nothing more
    client.post(reverse("incidents:onsite_open_case", args=[check.pk]), {"violation": "incident_record_forgery",
                                                                         "note": "again"})
    assert CredibilityCase.objects.count() == 1


def test_credibility_case_from_onsite_check_keeps_to_the_sanction_table(client, registry, users):
    check = _check(registry)
    client.force_login(users["admin"])
    response = client.post(reverse("incidents:onsite_open_case", args=[check.pk]), {
        "violation": "incident_record_forgery", "points": "0.3", "note": "누락"})
    assert response.status_code == 400 and "감점을 줄 수 없거나" in response.content.decode()
    assert CredibilityCase.objects.count() == 0


@pytest.mark.parametrize("outcome", ["confirmed", "supplement"])
def test_onsite_outcomes_without_a_finding_open_no_case(client, registry, users, outcome):
    check = _check(registry, outcome=outcome)
    client.force_login(users["admin"])
    client.post(reverse("incidents:onsite_open_case", args=[check.pk]), {"violation": "incident_record_forgery",
                                                                         "grade_down": "1", "note": "x"})
    assert CredibilityCase.objects.count() == 0


def test_admin_action_leads_to_the_confirmation_page(admin_client, registry):
    check = _check(registry)
    response = admin_client.post(reverse("admin:incidents_onsitecheck_changelist"), {
        "action": "open_credibility_case", "_selected_action": [check.pk]})
    assert response.status_code == 302 and response["Location"] == reverse("incidents:onsite_open_case", args=[check.pk])


def test_incident_admin_pages_load_for_administrators(admin_client, registry):
    _check(registry)
    for name in ("onsitecheck", "case", "credibilitycase", "evidence", "finding", "recordimport"):
        assert admin_client.get(f"/admin/incidents/{name}/").status_code == 200, name
