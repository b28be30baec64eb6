"""Clusters in the application (seed 000): members, applications approved by vote, the
quorum refusing an inquorate meeting, terms, dues, events, the online space, the public
page and the shared calendar, and the cluster bonus in the 2022 effort evaluation."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from integrity.apps.audit.models import AuditEntry
from integrity.apps.clusters import services
from integrity.apps.clusters.models import Application, Cluster, Member, Motion
from integrity.apps.clusters.services import ClusterError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cluster(registry, users):
    c = Cluster.objects.create(name="경남 청렴 클러스터", region="경남")
    c.secretariat_users.add(users["secretariat"])
    services.add_member(c, None, kind="public", institution_code=registry["a"].code, joined_on=date(2017, 1, 1))
    for n in range(3):
        services.add_member(c, None, kind="civic", name=f"시민단체{n}", joined_on=date(2017, 1, 1))
    return c


def _meeting(cluster, present: int, body="representatives"):
    meeting = services.add_meeting(cluster, None, body=body, held_on=date(2017, 6, 1), title="대표자회의")
    ids = list(cluster.members.order_by("pk").values_list("pk", flat=True))[:present]
    services.record_attendance(meeting, None, ids)
    return meeting


def test_a_public_member_must_be_in_the_registry_and_the_name_comes_from_it(cluster):
    with pytest.raises(ClusterError) as err:
        services.add_member(cluster, None, kind="public", institution_code="9999999", joined_on=date(2017, 1, 1))
    assert "등록부에 없는 기관코드" in err.value.problems[0]
    assert cluster.members.get(kind="public").name == "가람부"


def test_application_contact_is_encrypted_and_approved_by_the_members_vote(cluster, registry):
    """가입신청서(회칙 제4조)는 회원의 의결로 승인되어야 회원이 된다."""
    form = services.ApplicationForm(kind="public", institution_code=registry["b"].code, name="누리시", staff="800",
                                    founded_on="1995-01-01", representative="시장 홍길동", contact="010-1234-5678")
    application = services.receive_application(cluster, None, form, date(2017, 5, 1))
    assert b"010-1234-5678" not in bytes(application.contact_enc)
    assert services.application_contact(application) == "010-1234-5678"
    meeting = _meeting(cluster, 3)
    motion = services.record_motion(meeting, None, kind="admission", title="", in_favour="2", against="0",
                                    abstaining="1", application=application)
    application.refresh_from_db()
    assert motion.result == "passed" and application.status == "approved"
    assert application.member.institution_code == registry["b"].code and application.member.joined_on == date(2017, 6, 1)


def test_application_with_bad_fields_names_each_and_saves_nothing(cluster):
    form = services.ApplicationForm(kind="civic", name="", staff="많음", founded_on="2017-13-01", representative="",
                                    contact="")
    with pytest.raises(ClusterError) as err:
        services.receive_application(cluster, None, form, date(2017, 5, 1))
    text = " ".join(err.value.problems)
    for field in ("기관명", "회원수", "창립년월일", "대표자", "연락처"):
        assert field in text
    assert not Application.objects.exists()


def test_inquorate_meeting_cannot_decide_and_stores_nothing(cluster):
    """재적 과반수 출석이 아니면 개회하지 못한다: 4명 중 2명(정확히 절반)."""
    meeting = _meeting(cluster, 2)
    with pytest.raises(ClusterError) as err:
        services.record_motion(meeting, None, kind="ordinary", title="사업계획", in_favour="2", against="0", abstaining="0")
    assert "정족수 미달" in err.value.problems[0] and "3명 이상" in err.value.problems[0]
    assert not Motion.objects.exists()


def test_expulsion_needs_two_thirds_and_the_member_leaves_when_passed(cluster):
    subject = cluster.members.get(name="시민단체2")
    meeting = _meeting(cluster, 3)  # 3 of 4 >= 2/3
    motion = services.record_motion(meeting, None, kind="expulsion", title="", in_favour="2", against="1",
                                    abstaining="0", subject=subject)
    subject.refresh_from_db()
    assert motion.result == "passed" and subject.left_on == date(2017, 6, 1)


def test_the_outcome_is_computed_not_typed_and_attendance_is_frozen_after_a_vote(cluster):
    meeting = _meeting(cluster, 4)
    motion = services.record_motion(meeting, None, kind="ordinary", title="예산", in_favour="2", against="1",
                                    abstaining="1")
    assert motion.result == "rejected"  # 2 of 4 present is not a majority
    with pytest.raises(ClusterError):
        services.record_attendance(meeting, None, [])


def test_a_second_renewal_is_refused(cluster):
    """임기 1년, 1회에 한하여 연임."""
    chair = cluster.members.first()
    services.appoint(cluster, None, role="chair", member=chair, person="", starts_on=date(2017, 1, 1))
    services.appoint(cluster, None, role="chair", member=chair, person="", starts_on=date(2018, 1, 1))
    with pytest.raises(ClusterError) as err:
        services.appoint(cluster, None, role="chair", member=chair, person="", starts_on=date(2019, 1, 1))
    assert "연임" in err.value.problems[0]
    rows = services.current_offices(cluster, date(2018, 12, 15))
    assert rows[0]["warning"] == "ending_soon"


def test_dues_in_kind_civic_exempt_and_reminders_are_mailed_and_logged(cluster, registry, users):
    users["liaison_a"].email = "a@example.com"
    users["liaison_a"].save()
    public = cluster.members.get(kind="public")
    with pytest.raises(ClusterError):  # in kind without saying what
        services.record_payment(public, None, year="2017", paid_on="2017-03-01", in_kind_value="500000")
    rows = {r["member"].name: r for r in services.dues_rows(cluster, 2017)}
    assert rows["가람부"]["status"] == "unpaid" and rows["시민단체0"]["status"] == "exempt"
    sent = services.remind_dues(cluster, users["secretariat"], 2017)
    assert sent["members"] == 1 and mail.outbox[0].to == ["a@example.com"]
    assert AuditEntry.objects.filter(action="clusters.dues_reminded").count() == 1
    services.record_payment(public, None, year="2017", paid_on="2017-03-01", in_kind="에코가방 500개",
                            in_kind_value="1,000,000")
    assert services.dues_rows(cluster, 2017)[0]["status"] == "paid"
    with pytest.raises(ClusterError) as err:
        services.record_payment(cluster.members.get(name="시민단체0"), None, year="2017", paid_on="2017-03-01", cash="1")
    assert "면제" in err.value.problems[0]


def test_event_needs_an_organising_member_and_keeps_its_counts(cluster):
    with pytest.raises(ClusterError):
        services.add_event(cluster, None, kind="campaign", title="캠페인", starts_on="2017-05-26", organiser_ids=[])
    event = services.add_event(cluster, None, kind="campaign", title="합동 캠페인", starts_on="2017-05-26",
                               organiser_ids=[cluster.members.first().pk], participants="350", bodies_taking_part="10")
    assert (event.participants, event.bodies_taking_part, event.ends_on) == (350, 10, date(2017, 5, 26))


def test_space_is_for_members_staff_and_files_are_stored_encrypted(client, cluster, users, settings, tmp_path):
    settings.INTEGRITY_CLUSTER_FILES_DIR = tmp_path
    item = services.add_material(cluster, users["secretariat"], kind="minutes", title="회의록", name="회의록.pdf", data=PDF)
    assert PDF not in (tmp_path / item.stored_name).read_bytes()
    for who, status in (("liaison_a", 200), ("team_a", 200), ("secretariat", 200), ("liaison_b", 403), ("team_b", 403)):
        client.force_login(users[who])
        assert client.get(reverse("clusters:material", args=[item.pk])).status_code == status, who
    client.force_login(users["team_a"])
    assert client.get(reverse("clusters:material", args=[item.pk])).content == PDF


def test_secretariat_manages_only_its_own_clusters(client, cluster, users):
    other = Cluster.objects.create(name="다른 클러스터", region="전남")
    client.force_login(users["secretariat"])
    assert client.get(reverse("clusters:detail", args=[cluster.pk])).status_code == 200
    assert client.get(reverse("clusters:detail", args=[other.pk])).status_code == 403


def test_public_page_shows_members_and_events_but_no_contacts(client, cluster):
    services.add_member(cluster, None, kind="civic", name="진주YMCA", joined_on=date(2017, 1, 1), contact="secret@example.com")
    services.add_event(cluster, None, kind="concert", title="청렴 음악회", starts_on="2017-12-26",
                       organiser_ids=[cluster.members.first().pk], participants="800")
    page = client.get(reverse("clusters:public", args=[cluster.pk])).content.decode()
    assert "진주YMCA" in page and "청렴 음악회" in page and '<td class="num">800</td>' in page and "secret@" not in page
    ics = client.get(reverse("clusters:calendar_ics")).content.decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART;VALUE=DATE:20171226" in ics
    assert "청렴 음악회" in client.get(reverse("clusters:calendar")).content.decode()


def test_cluster_activity_is_the_effort_bonus_figure_with_its_evidence(db, registry):
    """7.1 청렴 클러스터 활동: 평가 기간에 주관한 행사와 참석한 회의 1건당 2점, 10점 한도."""
    from integrity.apps.effort import services as effort
    from integrity.apps.effort.models import Report
    from integrity.apps.registry.models import AssessmentYear, Institution

    year = AssessmentYear.objects.create(year=2022, model_name="2022")
    body = Institution.objects.create(year=year, code=registry["a"].code, name="가람부", type_code="central_2", staff=900)
    c = Cluster.objects.create(name="빛가람", region="전남")
    member = services.add_member(c, None, kind="public", institution_code=body.code, joined_on=date(2021, 1, 1))
    services.add_member(c, None, kind="civic", name="시민단체", joined_on=date(2021, 1, 1))
    for n, day in enumerate((date(2021, 8, 1), date(2021, 9, 1), date(2022, 8, 1))):  # the last is after the period
        services.add_event(c, None, kind="quiz", title=f"퀴즈 {n}", starts_on=str(day), organiser_ids=[member.pk])
    meeting = services.add_meeting(c, None, body="representatives", held_on=date(2022, 2, 1), title="대표자회의")
    services.record_attendance(meeting, None, [member.pk])
    Report.objects.create(institution=body, indicator="7.1", figure=99)  # typed by the body: ignored
    assert effort.score_of(body).indicators["7.1"] == 6  # 3 activities x 2 points
    assert effort.year_scores(year)[body.code].indicators["7.1"] == 6
    evidence = effort.sourced_evidence(body)["7.1"]
    assert [e["title"] for e in evidence] == ["퀴즈 0", "퀴즈 1", "대표자회의"]
    assert Member.objects.count() == 2


def test_demo_makes_two_clusters_with_an_inquorate_meeting_dues_in_kind_and_events(registry, users, settings, tmp_path):
    from integrity.apps.clusters.demo import demo_clusters
    from integrity.apps.clusters.models import DuesPayment, Event
    from integrity.apps.registry.models import Institution

    settings.INTEGRITY_CLUSTER_FILES_DIR = tmp_path
    Institution.objects.bulk_create([Institution(year=registry["year"], code=f"09{n:05d}", name=f"공단{n}", type_code="pso_5",
                                                 staff=300) for n in range(12)])
    made = demo_clusters(registry["year"], users["secretariat"])
    assert made["clusters"] == 2 and made["events"] == 8
    assert Application.objects.filter(status="approved").count() == 2
    steering = [m for m in Cluster.objects.first().meetings.all() if m.body == "steering"][0]
    assert not steering.motions.exists() and not services.quorum_state(steering)["quorate"]
    assert DuesPayment.objects.filter(in_kind_value__gt=0).exists()
    assert all(e.participants for e in Event.objects.all())
    assert set(users["secretariat"].clusters_run.all()) == set(Cluster.objects.all())


def test_pages_refuse_an_inquorate_decision_and_take_a_members_upload(client, cluster, users, settings, tmp_path):
    settings.INTEGRITY_CLUSTER_FILES_DIR = tmp_path
    meeting = _meeting(cluster, 1)
    client.force_login(users["secretariat"])
    response = client.post(reverse("clusters:meeting", args=[meeting.pk]),
                           {"action": "motion", "kind": "ordinary", "title": "예산", "in_favour": "1", "against": "0",
                            "abstaining": "0"}, follow=True)
    assert "정족수 미달로 의결할 수 없습니다" in response.content.decode() and not Motion.objects.exists()
    client.force_login(users["team_a"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("clusters:space", args=[cluster.pk]),
                           {"kind": "practice", "title": "우수사례", "file": SimpleUploadedFile("사례.pdf", PDF)}, follow=True)
    assert "자료를 올렸습니다" in response.content.decode()
    response = client.post(reverse("clusters:space", args=[cluster.pk]),
                           {"kind": "practice", "title": "가짜", "file": SimpleUploadedFile("a.pdf", b"<html>")}, follow=True)
    assert response.status_code == 200 and cluster.materials.count() == 1


def test_auditor_apart_from_the_chair_and_the_secretariat_run_by_a_civic_group(cluster):
    """회칙 제11조 ⑤ 감사는 의장이 속한 단체 밖에서, 제16조 사무국은 민간단체가 맡는다."""
    public = cluster.members.get(kind="public")
    services.appoint(cluster, None, role="chair", member=public, person="", starts_on=date(2017, 1, 1))
    with pytest.raises(ClusterError) as err:
        services.appoint(cluster, None, role="auditor", member=public, person="", starts_on=date(2017, 3, 1))
    assert "감사" in err.value.problems[0]
    with pytest.raises(ClusterError) as err:
        services.appoint(cluster, None, role="secretary_general", member=public, person="", starts_on=date(2017, 1, 1))
    assert "민간" in err.value.problems[0] or "시민사회단체" in err.value.problems[0]
    services.appoint(cluster, None, role="secretary_general", member=cluster.members.get(name="시민단체0"), person="",
                     starts_on=date(2017, 1, 1))


@pytest.mark.parametrize("typed", ["²", "٣٣", "9" * 25, "99999999999"])
def test_counts_outside_plain_digits_or_the_column_are_refused_not_a_server_error(client, cluster, users, typed):
    """Bad input never reaches a 500: a count or an amount must be plain ASCII digits that
    fit the column; otherwise a Korean message names the field and nothing is stored."""
    public = cluster.members.get(kind="public")
    with pytest.raises(ClusterError):
        services.add_event(cluster, None, kind="campaign", title="캠페인", starts_on="2017-05-26",
                           organiser_ids=[public.pk], participants=typed)
    client.force_login(users["secretariat"])
    response = client.post(reverse("clusters:events", args=[cluster.pk]),
                           {"kind": "campaign", "title": "캠페인", "starts_on": "2017-05-26",
                            "organisers": [public.pk], "participants": typed})
    assert response.status_code == 302 and not cluster.events.exists()


@pytest.mark.parametrize("typed", ["²", "٣٣", "9" * 25])
def test_dues_amounts_outside_plain_digits_or_the_column_are_refused_not_a_server_error(client, cluster, users, typed):
    """Bad input never reaches a 500: a dues amount is plain ASCII digits within the column."""
    public = cluster.members.get(kind="public")
    with pytest.raises(ClusterError) as err:
        services.record_payment(public, None, year="2017", paid_on="2017-03-01", cash=typed)
    assert "현금" in err.value.problems[0]
    client.force_login(users["secretariat"])
    response = client.post(reverse("clusters:dues", args=[cluster.pk]),
                           {"year": "2017", "member": public.pk, "paid_on": "2017-03-01", "cash": typed})
    assert response.status_code == 302 and not public.dues_payments.exists()


def test_a_member_or_applicant_name_longer_than_the_column_is_refused_by_name_not_a_server_error(client, cluster, users):
    """Bad input never reaches a 500 (PostgreSQL refuses an over-long varchar): the name is
    checked against the column and the page says so; nothing is stored."""
    client.force_login(users["secretariat"])
    before = cluster.members.count()
    response = client.post(reverse("clusters:detail", args=[cluster.pk]),
                           {"action": "add_member", "kind": "civic", "name": "가" * 300, "joined_on": "2017-01-01"})
    assert response.status_code == 302 and cluster.members.count() == before
    response = client.post(reverse("clusters:application", args=[cluster.pk]),
                           {"kind": "civic", "name": "가" * 300, "staff": "10", "founded_on": "2010-01-01",
                            "representative": "대표 홍길동", "contact": "055-000-0000"})
    assert response.status_code == 400 and "기관" in response.content.decode() and not cluster.applications.exists()


def test_a_term_starting_in_year_9999_is_refused_not_a_server_error(client, cluster, users):
    """Bad input never reaches a 500: a term whose end (a year later) has no date is refused."""
    client.force_login(users["secretariat"])
    member = cluster.members.get(kind="public")
    response = client.post(reverse("clusters:detail", args=[cluster.pk]),
                           {"action": "appoint", "role": "chair", "member": member.pk, "starts_on": "9999-06-01"})
    assert response.status_code == 302 and not cluster.offices.exists()


def test_a_nul_in_a_posted_field_is_a_korean_400_and_nothing_is_stored(client, cluster, users, settings):
    """PostgreSQL refuses NUL in any text it stores (a 500 from the clusters' and the
    programme's forms, which read POST values directly): refused before a view sees it."""
    settings.DEBUG = False
    client.force_login(users["secretariat"])
    response = client.post(reverse("clusters:meetings", args=[cluster.pk]),
                           {"body": "representatives", "held_on": "2017-06-01", "title": "대표자\x00회의"})
    assert response.status_code == 400 and "쓸 수 없는 문자(NUL)" in response.content.decode()
    assert not cluster.meetings.exists()
    client.force_login(users["team_a"])
    response = client.post(reverse("programme:plan", kwargs={"code": cluster.members.get(kind="public").institution_code,
                                                            "year": 2017}), {"level": "strategy", "title": "전략\x00"})
    assert response.status_code == 400

def test_a_threshold_reads_as_more_than_or_at_least():
    """Quorum rules: a strict share reads 초과 (more than), otherwise 이상 (at least); shown through gettext."""
    from fractions import Fraction

    from django.utils import translation

    from integrity.apps.clusters.presentation import threshold_text
    from integrity.clusters.rules import Threshold

    with translation.override("ko"):
        assert threshold_text(Threshold(Fraction(1, 2), strict=True)) == "1/2 초과"
        assert threshold_text(Threshold(Fraction(2, 3), strict=False)) == "2/3 이상"


def test_a_clusters_public_events_are_searched_filtered_and_paged(client, cluster):
    """All of them, not the latest hundred: newest first, by kind and month, paged."""
    from integrity.apps.clusters.models import Event
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    Event.objects.bulk_create([Event(cluster=cluster, kind="concert" if i < 3 else "campaign", title=f"청렴 캠페인 {i}",
                                     starts_on=date(2017, 1 + i % 12, 1 + i // 12), ends_on=date(2017, 1 + i % 12, 1 + i // 12),
                                     place="창원" if i % 2 else "진주") for i in range(PER_PAGE + 10)])
    total = PER_PAGE + 10
    url = reverse("clusters:public", args=[cluster.pk])
    page = assert_paged(client, url, total)
    assert "<td>2017-12-05</td>" in page and "<td>2017-01-01</td>" not in page  # newest first
    assert count_line(3, total) in get(client, url + "?kind=concert")
    assert count_line(5, total) in get(client, url + "?month=2017-03")
    assert count_line(1, total) in get(client, url + "?q=캠페인 7")
    both = get(client, url + "?q=청렴&kind=campaign")
    assert count_line(total - 3, total) in both and "?q=%EC%B2%AD%EB%A0%B4&amp;sort=-starts_on&amp;kind=campaign&amp;page=2" in both


def test_every_application_is_on_the_application_page_and_the_pending_ones_on_the_cluster_page(client, users, cluster):
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    Application.objects.bulk_create([
        Application(cluster=cluster, kind="civic" if i % 2 else "business", name=f"단체{i}", staff=10, founded_on=date(2000, 1, 1),
                    representative="대표", contact_enc=b"", received_on=date(2017, 1, 1),
                    status="pending" if i < 2 else "approved" if i % 3 else "rejected") for i in range(PER_PAGE + 4)])
    total = PER_PAGE + 4
    client.force_login(users["secretariat"])
    url = reverse("clusters:application", args=[cluster.pk])
    assert_paged(client, url, total)
    assert count_line(2, total) in get(client, url + "?status=pending")
    assert count_line(1, total) in get(client, url + "?q=단체17")
    assert count_line(total // 2, total) in get(client, url + "?kind=civic")
    both = get(client, url + "?q=단체&status=approved")
    approved = Application.objects.filter(status="approved").count()
    assert count_line(approved, total) in both
    detail = get(client, reverse("clusters:detail", args=[cluster.pk]))
    assert "<strong>단체0</strong>" in detail and "<strong>단체1</strong>" in detail and "<strong>단체2</strong>" not in detail and f"가입신청 {total}건 모두 보기" in detail


def test_every_meetings_minutes_are_on_the_minutes_page_searched_filtered_and_paged(client, users, cluster):
    """The space shows the latest five minutes, the minutes page all of them (not the latest twenty)."""
    from integrity.apps.clusters.models import Meeting
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    Meeting.objects.bulk_create([
        Meeting(cluster=cluster, body="steering" if i < 7 else "representatives", held_on=date(2016 + i // 40, 1 + i % 12, 1),
                title=f"정기회의 {i}", minutes=f"청렴 캠페인 논의 {i}") for i in range(PER_PAGE + 9)])
    Meeting.objects.create(cluster=cluster, body="representatives", held_on=date(2017, 1, 2), title="회의록 없는 회의")
    total = PER_PAGE + 9
    client.force_login(users["liaison_a"])
    space = get(client, reverse("clusters:space", args=[cluster.pk]))
    assert space.count("정기회의") == 5 and f"회의록 {total}건 모두 보기" in space
    url = reverse("clusters:minutes", args=[cluster.pk])
    assert_paged(client, url, total)
    assert count_line(7, total) in get(client, url + "?body=steering")
    assert count_line(total - 40, total) in get(client, url + "?year=2017")
    assert count_line(1, total) in get(client, url + "?q=논의 23")
    both = get(client, url + "?q=캠페인&body=representatives")
    assert count_line(total - 7, total) in both and "?q=%EC%BA%A0%ED%8E%98%EC%9D%B8&amp;sort=-held_on&amp;body=representatives&amp;page=2" in both
    client.force_login(users["team_b"])
    assert client.get(url).status_code == 403
