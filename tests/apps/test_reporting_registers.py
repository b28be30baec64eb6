"""The institution's registers (issue 15, seed 004): 부정청탁, one-strike-out with the
dismissal flag, both into the incidents register; citizen auditors with findings."""

from __future__ import annotations

from django.urls import reverse

from integrity.apps.incidents.models import Case, Source
from integrity.apps.reporting import services
from integrity.apps.reporting.models import AuditorFinding, CitizenAuditor, OneStrikeEntry, SolicitationEntry


def _one_strike(client, amount, **extra):
    data = {"official_name": "김공무", "department": "건축과", "position": "6급", "acted_on": "2026-09-01",
            "description": "업체로부터 상품권 수수", "amount": amount, "outcome": "pending", **extra}
    return client.post(reverse("reporting:one_strike_new"), data)


def test_one_strike_out_flags_dismissal_from_one_million_won(client, registry, users):
    """원스트라이크 아웃 (seed 004): 100만 원 이상 -> 배제징계 대상; below, not."""
    client.force_login(users["team_a"])
    assert _one_strike(client, 1_000_000).status_code == 302
    assert _one_strike(client, 999_999).status_code == 302
    flagged = dict(OneStrikeEntry.objects.values_list("amount", "flagged"))
    assert flagged == {1_000_000: True, 999_999: False}
    entry = OneStrikeEntry.objects.get(amount=1_000_000)
    assert entry.institution == registry["a"] and "김공무".encode() not in bytes(entry.official_enc)


def test_the_threshold_is_a_setting(client, registry, users, settings):
    settings.INTEGRITY_ONE_STRIKE_THRESHOLD = 500_000
    client.force_login(users["team_a"])
    _one_strike(client, 600_000)
    assert OneStrikeEntry.objects.get().flagged


def test_a_lighter_outcome_on_a_flagged_case_is_shown_for_explanation(client, registry, users):
    client.force_login(users["team_a"])
    _one_strike(client, 3_000_000, outcome="suspension")
    html = client.get(reverse("reporting:one_strike") + "?gap=yes").content.decode()
    assert "배제징계 아님" in html and "김공무" in html
    entry = OneStrikeEntry.objects.get()
    page = client.get(reverse("reporting:one_strike_entry", args=[entry.pk])).content.decode()
    assert "배제징계가 아닌 사유" in page


def test_a_register_entry_becomes_an_incident_once(client, registry, users):
    client.force_login(users["team_a"])
    _one_strike(client, 2_000_000, outcome="dismissal_discharge", outcome_on="2026-10-15")
    entry = OneStrikeEntry.objects.get()
    client.post(reverse("reporting:one_strike_incident", args=[entry.pk]))
    case = Case.objects.get()
    assert case.source == Source.OWN_REGISTER and case.institution == registry["a"] and case.year == registry["year"]
    assert case.act_type == "금품·향응수수" and case.amount == 2_000_000 and case.disposition == "해임"
    assert case.detected_by == "self" and f"#{entry.pk}" in case.note
    client.post(reverse("reporting:one_strike_incident", args=[entry.pk]))
    assert Case.objects.count() == 1


def test_solicitation_register_follows_the_report_form(client, registry, users):
    """청탁금지법: who solicited (encrypted), whom, when, where, how, what, and the handling."""
    client.force_login(users["team_a"])
    data = {"solicitor_name": "박청탁", "solicitor_affiliation": "○○건설 대표", "solicitor_contact": "010-0000-1111",
            "solicited_on": "2026-08-03", "place": "민원실", "method": "in_person", "official": "건축과 7급",
            "field": "permits", "content": "건축 허가를 빨리 내 달라는 청탁", "refused": "on", "repeated": "on",
            "handling": "reported", "handling_note": "다시 청탁받아 신고함", "handled_on": "2026-08-05"}
    assert client.post(reverse("reporting:solicitation_new"), data).status_code == 302
    entry = SolicitationEntry.objects.get()
    assert "박청탁".encode() not in bytes(entry.solicitor_enc) and entry.repeated and entry.institution == registry["a"]
    listing = client.get(reverse("reporting:solicitations") + "?q=박청탁").content.decode()
    assert "박청탁" in listing and "○○건설" in listing
    bad = client.post(reverse("reporting:solicitation_new"), {**data, "method": "telepathy", "refused": ""})
    assert bad.status_code == 400 and SolicitationEntry.objects.count() == 1
    client.post(reverse("reporting:solicitation_incident", args=[entry.pk]))
    case = Case.objects.get()
    assert case.act_type == "부정청탁" and case.field == "permit"  # the early warning's code of 인·허가


def test_another_institutions_team_cannot_see_or_change_a_register(client, registry, users):
    client.force_login(users["team_a"])
    _one_strike(client, 1_500_000)
    entry = OneStrikeEntry.objects.get()
    client.force_login(users["team_b"])
    assert client.get(reverse("reporting:one_strike_entry", args=[entry.pk])).status_code == 403
    assert client.post(reverse("reporting:one_strike_incident", args=[entry.pk])).status_code == 403
    assert "김공무" not in client.get(reverse("reporting:one_strike")).content.decode()


def test_citizen_auditors_roster_activity_and_findings_hook(client, registry, users):
    client.force_login(users["team_a"])
    response = client.post(reverse("reporting:auditor_new"), {
        "name": "이시민", "phone": "010-2222-3333", "kind": "secret_inspector", "term_start": "2026-01-01",
        "term_end": "2027-12-31", "active": "on", "assigned_fields": ["permits", "contracts"]})
    assert response.status_code == 302
    auditor = CitizenAuditor.objects.get()
    assert auditor.fields == ["permits", "contracts"] and "이시민".encode() not in bytes(auditor.name_enc)
    client.post(reverse("reporting:auditor", args=[auditor.pk]), {
        "part": "activity", "held_on": "2026-03-02", "field": "permits", "summary": "민원실 현장 점검",
        "finding": "인허가 처리기한 안내 누락", "recommendation": "안내문 게시"})
    finding = AuditorFinding.objects.get()
    assert list(services.findings_without_task(registry["a"].code)) == [finding]
    services.link_finding_to_task(finding, "task-17", users["team_a"])
    assert not services.findings_without_task(registry["a"].code).exists()
    assert "task-17" in client.get(reverse("reporting:auditor", args=[auditor.pk])).content.decode()
    bad = client.post(reverse("reporting:auditor_new"), {"name": "x", "kind": "citizen_auditor", "term_start": "2026-01-01",
                                                         "term_end": "2025-01-01"})
    assert bad.status_code == 400 and CitizenAuditor.objects.count() == 1


def test_an_administrator_chooses_the_institution(client, registry, users):
    client.force_login(users["admin"])
    response = client.post(reverse("reporting:one_strike_new"), {
        "institution": registry["b"].pk, "official_name": "최", "department": "세무과", "acted_on": "2026-05-05",
        "description": "향응", "amount": 1_200_000, "outcome": "pending"})
    assert response.status_code == 302 and OneStrikeEntry.objects.get().institution == registry["b"]


def test_demo_has_three_reports_and_the_printed_code_opens_the_two_way_exchange(client, registry, users):
    from integrity.apps.reporting.demo import demo_reporting
    from integrity.apps.reporting.models import Report

    made = demo_reporting(registry["a"], users["team_a"])
    made = demo_reporting(registry["a"], users["team_a"])  # again: starts over
    assert Report.objects.count() == 3 and made["flagged"]
    assert {r.status for r in Report.objects.all()} == {"investigating", "received", "closed"}
    assert Report.objects.filter(named=True).count() == 1
    page = client.post(reverse("reporting:follow"), {"code": made["code"], "passphrase": made["passphrase"]}).content.decode()
    assert "계약이 나뉜 공사의 이름" in page and "청사 방수공사와 주차장 보수공사" in page


def test_a_citizen_auditors_finding_becomes_a_plan_task_once(client, registry, users):
    """Findings that become plan tasks (issue 15): into the programme's plan of the year."""
    from datetime import date

    from integrity.apps.programme.models import SubTask
    from integrity.apps.rosters.services import cipher

    auditor = CitizenAuditor.objects.create(institution=registry["a"], kind="citizen_auditor", name_enc=cipher().encrypt("이"),
                                            term_start=date(2017, 1, 1), term_end=date(2018, 12, 31))
    from integrity.apps.reporting.models import AuditorActivity

    activity = AuditorActivity.objects.create(auditor=auditor, held_on=date(2017, 5, 2), field="permits", summary="점검")
    finding = AuditorFinding.objects.create(activity=activity, field="permits", finding="처리기한 안내 누락",
                                            recommendation="안내문 게시")
    client.force_login(users["team_b"])
    assert client.post(reverse("reporting:finding_to_task", args=[finding.pk])).status_code == 403
    client.force_login(users["team_a"])
    client.post(reverse("reporting:finding_to_task", args=[finding.pk]))
    client.post(reverse("reporting:finding_to_task", args=[finding.pk]))
    task = SubTask.objects.get()
    finding.refresh_from_db()
    assert finding.plan_task_ref == str(task.pk) and task.title == "처리기한 안내 누락"
    page = client.get(reverse("reporting:auditor", args=[auditor.pk])).content.decode()
    assert f"/programme/{registry['a'].code}/2017/tasks/{task.pk}/" in page


def test_a_citizen_auditors_activities_are_searched_filtered_and_paged(client, registry, users):
    from datetime import date

    from integrity.apps.reporting.models import AuditorActivity
    from integrity.apps.rosters.services import cipher
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    auditor = CitizenAuditor.objects.create(institution=registry["a"], kind="citizen_auditor", name_enc=cipher().encrypt("이"),
                                            term_start=date(2016, 1, 1), term_end=date(2018, 12, 31))
    made = AuditorActivity.objects.bulk_create([
        AuditorActivity(auditor=auditor, held_on=date(2016 if i < 6 else 2017, 1 + i % 12, 1), field="permits" if i % 2 else "contracts",
                        summary=f"현장 점검 {i}") for i in range(PER_PAGE + 8)])
    AuditorFinding.objects.create(activity=made[9], field="permits", finding="처리기한 안내 누락")
    total = PER_PAGE + 8
    client.force_login(users["team_a"])
    url = reverse("reporting:auditor", args=[auditor.pk])
    assert_paged(client, url, total)
    assert count_line(6, total) in get(client, url + "?year=2016")
    assert count_line(total // 2, total) in get(client, url + "?field=permits")
    assert count_line(1, total) in get(client, url + "?q=안내 누락")
    assert count_line(1, total) in get(client, url + "?findings=yes")
    both = get(client, url + "?q=점검&year=2017")
    assert count_line(total - 6, total) in both and "?q=%EC%A0%90%EA%B2%80&amp;sort=-held_on&amp;year=2017&amp;page=2" in both
