"""Survey modes the 2017 plan names: the respondent's choice of channel (e-mail, text
or both) and field visits to policy customers keyed by an interviewer."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from integrity.apps.fieldwork import services, sms
from integrity.apps.fieldwork.channels import MAX_MESSAGES
from integrity.apps.fieldwork.models import CallAssignment, Invitation, Response
from integrity.apps.fieldwork.monitoring import fieldwork_rows
from integrity.apps.fieldwork.sending import send
from integrity.apps.rosters.models import RosterUpload
from integrity.apps.sampling.services import draw_sample
from integrity.rosters import RosterContext, check_upload, get_form
from tests.apps.test_fieldwork import _go
from tests.registry_fixtures import LINK
from tests.rosters.helpers import filled


@pytest.fixture(autouse=True)
def _release_each_completion(settings):
    settings.INTEGRITY_RELEASE_BATCH = 1


def _experts(n, **overrides):
    return [{"name": f"전문가{i}", "category": "자문위원", "organisation": "한국대학교", "phone": f"010-7000-{i:04d}",
             "email": f"e{i}@example.ac.kr", **overrides} for i in range(n)]


def _invite_experts(client, registry, users, rows):
    """Upload 서식 3-1 for 가람부, draw, invite and send; the invitations by row order."""
    client.force_login(users["liaison_a"])
    data = io.BytesIO(filled("experts_3_1", rows))
    data.name = "전문가.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": "experts_3_1", "file": data, "password": ""})
    client.logout()
    upload = RosterUpload.objects.get(form_code="experts_3_1", status="accepted")
    services.invite_draw(draw_sample(upload, users["admin"]))
    mail.outbox.clear()
    sms.outbox.clear()
    send(list(Invitation.objects.select_related("member__entry", "institution", "task")))
    return list(Invitation.objects.order_by("member__entry__row_number"))


# --- the channel ---------------------------------------------------------------------

def test_first_message_goes_by_the_rosters_preferred_channel_and_by_both_without_one(client, registry, users):
    rows = _experts(4)
    rows[0]["preferred_mode"] = "문자"
    rows[1]["preferred_mode"] = "전자우편"
    rows[2]["preferred_mode"] = "둘 다"
    invitations = _invite_experts(client, registry, users, rows)
    assert [i.channel for i in invitations] == ["sms", "email", "both", "both"]
    assert len(mail.outbox) == 3 and len(sms.outbox) == 3
    assert all(i.sent_count == 1 for i in invitations)


def test_preferred_channel_needs_its_contact_on_the_row(m2017):
    rows = _experts(3)
    rows[0] |= {"preferred_mode": "문자", "phone": None}
    rows[1] |= {"preferred_mode": "전자우편", "email": None}
    rows[2] |= {"preferred_mode": "둘 다", "email": None}
    ctx = RosterContext(fieldwork=m2017.fieldwork, family="central", type_code="central_1", staff=500)
    result = check_upload(get_form("experts_3_1"), filled("experts_3_1", rows), None, ctx)
    assert [str(p) for p in result.problems] == [
        "2행 '선호 응답방식' 열: 선호 응답방식이 '문자'인데 휴대전화가 비어 있습니다",
        "3행 '선호 응답방식' 열: 선호 응답방식이 '전자우편'인데 전자우편이 비어 있습니다",
        "4행 '선호 응답방식' 열: 선호 응답방식이 '둘 다'이면 휴대전화와 전자우편을 모두 적어야 합니다",
    ]


def test_respondent_switches_to_text_from_the_first_page_and_reminders_follow(client, registry, users):
    rows = _experts(1, preferred_mode="전자우편")
    [invitation] = _invite_experts(client, registry, users, rows)
    token = LINK.search(mail.outbox[0].body).group(1)
    intro = client.get(f"/s/{token}/").content.decode()
    assert "문자로 받기" in intro and f"/s/{token}/resend/" in intro
    sms.outbox.clear()
    page = client.post(f"/s/{token}/resend/", {"to": "sms"})
    assert page.status_code == 200 and "링크를 문자로 보냈습니다" in page.content.decode()
    assert len(sms.outbox) == 1 and token in sms.outbox[0].body and sms.outbox[0].to == "+821070000000"
    invitation.refresh_from_db()
    assert invitation.channel == "sms" and invitation.sent_count == 2
    mail.outbox.clear()
    send([Invitation.objects.select_related("member__entry", "institution", "task").get()], reminder=True)
    assert len(mail.outbox) == 0 and len(sms.outbox) == 2


def test_switching_channel_needs_the_contact_on_the_roster_and_is_limited(client, registry, users):
    rows = _experts(1, phone=None)
    [invitation] = _invite_experts(client, registry, users, rows)
    token = LINK.search(mail.outbox[0].body).group(1)
    page = client.post(f"/s/{token}/resend/", {"to": "sms"})
    assert page.status_code == 400 and "휴대전화 번호가 없어 문자로 보낼 수 없습니다" in page.content.decode()
    Invitation.objects.update(sent_count=MAX_MESSAGES)
    page = client.post(f"/s/{token}/resend/", {"to": "email"})
    assert page.status_code == 400 and "더 보내 드릴 수 없습니다" in page.content.decode()
    assert client.get(f"/s/{token}/resend/").status_code == 405


def test_the_channel_never_reaches_the_response(client, registry, users):
    rows = _experts(2)
    rows[0]["preferred_mode"] = "문자"
    _invite_experts(client, registry, users, rows)
    by_text = {LINK.search(m.body).group(1) for m in sms.outbox}
    by_email = {LINK.search(m.body).group(1) for m in mail.outbox}
    assert len(by_text) == 2 and len(by_email) == 1  # row 1 both ways, row 0 by text only
    for token in (by_text - by_email) | by_email:
        _go(client, f"/s/{token}/")
    assert sorted(Response.objects.values_list("mode", flat=True)) == ["web", "web"]


# --- field visits --------------------------------------------------------------------

def test_a_policy_customer_visit_is_keyed_as_mode_visit_and_counted(client, registry, users):
    _invite_experts(client, registry, users, _experts(3))
    call_command("assign_calls", "--interviewer", "interviewer", "--year", "2017", "--visits", "--limit", "1")
    assignment = CallAssignment.objects.get()
    assert assignment.kind == "visit"
    client.force_login(users["interviewer"])
    listing = client.get(reverse("fieldwork:calls")).content.decode()
    assert "방문 기록" in listing
    page = client.get(reverse("fieldwork:call", kwargs={"assignment_id": assignment.pk})).content.decode()
    assert "방문 면접 대상입니다" in page
    client.post(reverse("fieldwork:record_attempt", kwargs={"assignment_id": assignment.pk}), {"disposition": "complete"})
    keying = client.get(reverse("fieldwork:call_survey", kwargs={"assignment_id": assignment.pk})).content.decode()
    assert "방문조사: 면접에서 받은 답을 그대로 입력합니다" in keying
    _go(client, reverse("fieldwork:call_survey", kwargs={"assignment_id": assignment.pk}))
    response = Response.objects.get()
    assert (response.mode, response.survey, response.group) == ("visit", "policy", "expert")
    row = next(r for r in fieldwork_rows(registry["year"]) if r["survey"] == "policy")
    assert row["modes"] == {"visit": 1}
    client.force_login(users["analyst"])
    assert "0/0/1" in client.get(reverse("monitoring:index")).content.decode()


def test_only_policy_customers_are_assigned_for_visits(client, registry, users, invited):
    call_command("assign_calls", "--interviewer", "interviewer", "--year", "2017", "--visits")
    assert not CallAssignment.objects.exists()  # the invited are citizens (external survey)


def test_a_visit_assignment_outside_the_policy_survey_keys_a_phone_interview(client, registry, users, invited):
    assignment = CallAssignment.objects.create(invitation=Invitation.objects.first(), interviewer=users["interviewer"],
                                               kind="visit")
    client.force_login(users["interviewer"])
    services.start(assignment.invitation)
    _go(client, reverse("fieldwork:call_survey", kwargs={"assignment_id": assignment.pk}))
    assert Response.objects.get().mode == "phone"


def test_transferred_in_example_date_is_in_the_period(m2017):
    assert m2017.fieldwork.transfer_start <= date(2016, 2, 1) <= m2017.fieldwork.transfer_end
