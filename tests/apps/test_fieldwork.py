"""Fieldwork: invitations, the questionnaire, anonymity, quotas, phone interviews,
monitoring and the hand-off to scoring."""

import re
from datetime import timedelta

import numpy as np
import pytest
from django.core import mail
from django.db import models
from django.urls import reverse
from django.utils import timezone

from integrity.apps.fieldwork import services, sms
from integrity.apps.fieldwork.models import (
    CallAssignment, CallAttempt, Invitation, InvitationStatus, QuotaFill, Response,
)
from integrity.apps.fieldwork.monitoring import fieldwork_rows, quality_signals, responses_frame
from integrity.apps.fieldwork.sending import due_reminders, send
from integrity.interchange.validate import check_responses
from integrity.quality import careless_flags, chi2_critical, longstring, mahalanobis_squared
from integrity.scoring import score_year

from tests.registry_fixtures import LINK


@pytest.fixture(autouse=True)
def _release_each_completion(settings):
    """These tests read the stored response right after completing it: batches of one.
    How batches protect anonymity is tested in test_anonymity."""
    settings.INTEGRITY_RELEASE_BATCH = 1


def _answers_for(page_html: str, *, yes: bool = False) -> dict:
    """Pick an answer for every question on a rendered page (the first option, or
    'yes' to yes/no questions when asked)."""
    page = re.search(r'name="page" value="(-?\d+)"', page_html).group(1)
    answers = {"page": page}
    for name in dict.fromkeys(re.findall(r'type="radio" name="([^"]+)" value="', page_html)):
        values = re.findall(rf'name="{re.escape(name)}" value="(\d+)"', page_html)
        answers[name] = "1" if yes and values == ["1", "2"] else ("2" if values == ["1", "2"] else values[0])
    return answers


def _go(client, url, *, yes_on_first_gate=True, stop_after=None):
    """Answer pages until done (or ``stop_after`` pages). Returns the last response."""
    response = client.get(url)
    if "설문 시작하기" in response.content.decode():
        response = client.post(url, {"start": "1"}, follow=True)
    answered = 0
    while 'name="page"' in response.content.decode():
        html = response.content.decode()
        yes = yes_on_first_gate and "담당 직원에게 금품(현금" in html
        response = client.post(url, _answers_for(html, yes=yes), follow=True)
        answered += 1
        if stop_after and answered >= stop_after:
            break
    return response


def test_invitations_carry_single_unguessable_links(invited):
    assert len(invited) == 25 and len(set(invited)) == 25
    assert services.TOKEN_BYTES * 8 >= 128
    assert all(len(t) >= 22 for t in invited)
    stored = Invitation.objects.values_list("token_hash", flat=True)
    assert not set(invited) & set(stored)  # only hashes are kept in the clear
    assert Invitation.objects.filter(status=InvitationStatus.SENT).count() == 25


def test_sms_links_are_short(registry, invited):
    invitation = Invitation.objects.first()
    invitation.channel = "sms"
    invitation.save()
    sms.outbox.clear()
    send([Invitation.objects.select_related("member__entry", "institution", "task").get(pk=invitation.pk)])
    body = sms.outbox[0].body
    assert len(LINK.search(body).group(0)) < 60 and len(body) < 90


def test_respondent_answers_with_branching_leaves_returns_and_finishes(client, invited):
    url = f"/s/{invited[0]}/"
    intro = client.get(url).content.decode()
    assert "익명" in intro and "설문 시작하기" in intro
    page = _go(client, url, stop_after=2).content.decode()  # perception, then direct experience with "yes"
    assert "부패직접경험 (추가 질문)" in page  # the follow-up page after "yes"
    assert ">없음<" not in page  # after "yes", "none" is not offered for how often or how much
    client.cookies.clear()  # leaves: a new browser later
    again = client.get(url).content.decode()
    assert "부패직접경험 (추가 질문)" in again  # resumes where it stopped
    done = _go(client, url).content.decode()
    assert "응답해 주셔서 감사합니다" in done
    response = Response.objects.get()
    assert response.answers["E07"] == 1 and "E05" in response.answers  # gate yes -> frequency asked and kept
    assert response.mode == "web" and response.completed_on.weekday() == 0
    assert response.favour_requested is False  # the credibility check was answered "아니오"
    assert "이미 응답을 마치셨습니다" in client.get(url).content.decode()
    invitation = Invitation.objects.get(used=True)
    assert invitation.draft_enc is None and invitation.status == InvitationStatus.COMPLETED


def test_no_to_the_gate_skips_the_follow_up_questions(client, invited):
    _go(client, f"/s/{invited[1]}/", yes_on_first_gate=False)
    answers = Response.objects.get().answers
    assert answers["E07"] == 2 and "E05" not in answers and "E06" not in answers


def test_unanswered_question_is_named_and_nothing_moves_on(client, invited):
    url = f"/s/{invited[2]}/"
    client.post(url, {"start": "1"})
    html = client.get(url).content.decode()
    answers = _answers_for(html)
    answers.pop("E01")
    response = client.post(url, answers)
    assert response.status_code == 400 and "이 문항에 답해 주세요" in response.content.decode()


def test_submitting_twice_stores_one_response(client, invited):
    url = f"/s/{invited[3]}/"
    response = _go(client, url, stop_after=6)
    last_page = response.content.decode()
    answers = _answers_for(last_page)
    first = client.post(url, answers, follow=True)
    second = client.post(url, answers, follow=True)  # double click / retry
    assert "응답해 주셔서 감사합니다" in first.content.decode()
    assert "응답해 주셔서 감사합니다" in second.content.decode()  # a repeated last submit is thanked again
    assert "이미 응답을 마치셨습니다" in client.get(url).content.decode()
    assert Response.objects.count() == 1 and QuotaFill.objects.get().completes == 1


def test_a_full_quota_never_overshoots(client, invited, registry):
    registry["task_a"].quota = 1
    registry["task_a"].save()
    _go(client, f"/s/{invited[4]}/")
    blocked = client.get(f"/s/{invited[5]}/").content.decode()
    assert "설문이 마감되었습니다" in blocked
    assert Response.objects.count() == 1


def test_quota_counted_in_the_completion_transaction(invited, registry):
    """Two respondents finishing the last place: the second is refused, not stored."""
    registry["task_a"].quota = 1
    registry["task_a"].save()
    done = []
    for token in invited[6:8]:
        invitation = services.find_invitation(token)
        flow = services.start(invitation)
        while flow.page is not None:
            posted = {i.code: str(min(i.answer.codes)) for i in flow.page.items}
            posted |= {f"check:{c}": "2" for c, _ in flow.page.checks}
            flow, _ = services.submit_page(invitation, flow.page_index, posted)
        done.append(invitation.pk)
    services.complete(done[0], "web")
    with pytest.raises(services.QuotaFull):
        services.complete(done[1], "web")
    assert Response.objects.count() == 1 and QuotaFill.objects.get().completes == 1


def test_guessing_links_is_rate_limited_but_a_valid_link_always_opens(client, invited, settings):
    settings.INTEGRITY_LINK_FAILURES = 5
    for i in range(5):
        assert client.get(f"/s/wrong-token-{i}-xxxxxxxxxxxxxx/").status_code == 404
    refused = client.get("/s/wrong-token-6-xxxxxxxxxxxxxx/")
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert "잠시 후 다시 시도해 주세요" in refused.content.decode()
    assert client.get(f"/s/{invited[0]}/").status_code == 200  # a respondent behind the same address
    other = client.get("/s/wrong-token-7-xxxxxxxxxxxxxx/", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 404  # counted per address


def test_opt_out_and_phone_request(client, invited):
    client.post(f"/s/{invited[8]}/opt-out/")
    assert "더 이상 연락드리지 않겠습니다" in client.get(f"/s/{invited[8]}/").content.decode()
    client.post(f"/s/{invited[9]}/phone/")
    assert Invitation.objects.filter(status=InvitationStatus.PHONE).count() == 1
    assert due_reminders(Invitation.objects.first().institution.year, after_days=0).filter(
        status=InvitationStatus.OPTED_OUT).count() == 0


def test_reminders_go_to_non_respondents_only(client, invited, registry):
    _go(client, f"/s/{invited[10]}/")
    Invitation.objects.update(last_sent_at=timezone.now() - timedelta(days=4))
    due = due_reminders(registry["year"])
    assert due.count() == 24
    mail.outbox.clear()
    send(list(due), reminder=True)
    assert len(mail.outbox) == 24 and "다시 부탁드립니다" in mail.outbox[0].subject


# --- anonymity -----------------------------------------------------------------------

def test_response_schema_cannot_link_an_answer_to_a_person():
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert set(fields) == {"id", "institution", "survey", "task", "office", "group", "mode", "answers",
                           "favour_requested", "completed_on"}
    assert isinstance(fields["id"], models.UUIDField)  # no sequence mirrors completion order
    related = {f.related_model._meta.label for f in fields.values() if f.is_relation}
    assert related == {"registry.Institution", "registry.TargetTask"}
    assert not any(isinstance(f, (models.DateTimeField, models.TimeField)) for f in fields.values())
    invitation_fields = {f.name for f in Invitation._meta.get_fields()}
    assert not invitation_fields & {"response", "completed_at", "used_at", "answered_at"}
    assert not any(f.is_relation and f.related_model is Response for f in Invitation._meta.get_fields())


# --- phone interviews ----------------------------------------------------------------

def test_interviewer_works_a_call(client, invited, users):
    invitation = Invitation.objects.first()
    assignment = CallAssignment.objects.create(invitation=invitation, interviewer=users["interviewer"])
    client.force_login(users["interviewer"])
    page = client.get(reverse("fieldwork:call", kwargs={"assignment_id": assignment.pk})).content.decode()
    assert "민원인" in page and re.search(r"010-2000-\d{4}", page) and "+82" not in page
    client.post(reverse("fieldwork:record_attempt", kwargs={"assignment_id": assignment.pk}), {"disposition": "no_answer"})
    client.post(reverse("fieldwork:record_attempt", kwargs={"assignment_id": assignment.pk}), {"disposition": "complete"})
    done = _go(client, reverse("fieldwork:call_survey", kwargs={"assignment_id": assignment.pk}))
    assert "응답을 저장했습니다" in done.content.decode()
    assert Response.objects.get().mode == "phone"
    assert list(CallAttempt.objects.values_list("disposition", flat=True).order_by("pk")) == ["no_answer", "complete"]
    assert CallAssignment.objects.get().closed


def test_interviewers_see_only_their_own_calls(client, invited, users):
    other = CallAssignment.objects.create(invitation=Invitation.objects.first(), interviewer=users["admin"])
    client.force_login(users["interviewer"])
    assert client.get(reverse("fieldwork:call", kwargs={"assignment_id": other.pk})).status_code == 403


# --- monitoring, signals, hand-off ---------------------------------------------------------

def test_monitoring_counts_rates_and_exports(client, invited, users, registry):
    _go(client, f"/s/{invited[0]}/")
    client.post(f"/s/{invited[1]}/opt-out/")
    row = next(r for r in fieldwork_rows(registry["year"]) if r["task_id"] == registry["task_a"].pk)
    assert (row["invited"], row["completed"], row["refused"]) == (25, 1, 1)
    assert row["rr1"] == pytest.approx(1 / 25) and row["ref1"] == pytest.approx(1 / 25)
    assert row["fill"] == pytest.approx(1 / 5) and row["modes"] == {"web": 1}
    client.force_login(users["analyst"])
    page = client.get(reverse("monitoring:index")).content.decode()
    assert "현장조사 현황" in page
    # by day (from the completion tallies: one completion today) and by institution type
    assert "날짜별 응답 완료" in page and "누적 1건 · 응답률" in page
    assert "기관유형별 현황" in page and registry["a"].type_name in page
    export = client.get(reverse("monitoring:export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_monitoring_by_type_counts_rr1_on_the_eligible_base(invited, registry, client):
    from integrity.apps.fieldwork.progress import by_type

    for token in invited[:2]:
        _go(client, f"/s/{token}/")
    rows = fieldwork_rows(registry["year"])
    types = {t["code"]: t for t in by_type(registry["year"], rows)}
    own = types[registry["a"].type_code]
    assert own["completed"] == sum(r["completed"] for r in rows if r["institution__code"] == registry["a"].code)
    assert own["rr1"] == pytest.approx(own["completed"] / (own["invited"] - own["ineligible"]))


def test_completed_responses_feed_the_engine(client, invited, registry):
    for token in invited[:3]:
        _go(client, f"/s/{token}/")
    frame = responses_frame(registry["year"])
    model = registry["year"].model
    institutions = __import__("polars").DataFrame({
        "institution": [registry["a"].code], "name": ["가람부"], "type": ["central_1"], "staff": [2500], "supervisor": [None]},
        schema_overrides={"supervisor": __import__("polars").Utf8})
    checked = check_responses(model, frame, institutions, "db")
    result = score_year(model, institutions, checked).institutions
    assert result["n_external"][0] == 3 and result["status"][0] == "not_scored"  # no internal survey yet


def test_favour_reports_raise_a_signal_for_review(client, invited, registry):
    for token in invited[:3]:
        _go(client, f"/s/{token}/")
    Response.objects.update(favour_requested=True)
    signals = quality_signals(registry["year"])
    assert [(s.institution, s.kind) for s in signals] == [("0100001", "favour")]


def test_the_signals_page_reads_stored_signals_computed_in_the_background(client, invited, registry, users, monkeypatch):
    """The page never reads every response while it waits: a stale snapshot is
    refreshed by a background task; a fresh one is only read."""
    from django.test import TestCase

    from integrity.apps.fieldwork import signal_store

    for token in invited[:3]:
        _go(client, f"/s/{token}/")
    Response.objects.update(favour_requested=True)
    client.force_login(users["admin"])
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        first = client.get(reverse("monitoring:signals")).content.decode()
    assert "아직 계산하지 않았습니다" in first and len(queued) == 1  # computed after the page, not during
    monkeypatch.setattr(signal_store, "quality_signals", lambda year: pytest.fail("computed while the page waits"))
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        page = client.get(reverse("monitoring:signals")).content.decode()
    assert "호의적 응답 요청 신고" in page and "응답 3건으로 계산했습니다" in page and not queued


def test_careless_measures():
    matrix = np.array([[4, 4, 4, 4, 4, 4], [1, 2, 3, 4, 5, 6], [2, 2, 3, 3, 3, 1]], dtype=float)
    assert longstring(matrix).tolist() == [6, 1, 3]
    flags = careless_flags(matrix)
    assert flags.tolist()[:2] == [True, False]
    rng = np.random.default_rng(1)
    normal = rng.normal(4, 1, size=(400, 5))
    normal[0] = [1, 7, 1, 7, 1]
    assert mahalanobis_squared(normal)[0] > chi2_critical(5)
    assert chi2_critical(10) == pytest.approx(29.59, abs=0.2)


def test_the_questionnaire_is_available_in_english(client, invited):
    url = f"/s/{invited[11]}/"
    intro = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This survey is anonymous" in intro and "Start the survey" in intro
    page = client.post(url, {"start": "1"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Perceived corruption" in page and "gave special favours" in page and "Strongly agree" in page
    assert "Step 1 of" in page


def test_a_respondent_needs_no_cookie_and_gets_none(invited):
    """The link is the credential: a browser that refuses cookies (and a client that
    enforces CSRF checks) still answers to the end, and no response sets a cookie."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    url = f"/s/{invited[12]}/"
    responses = [browser.get(url)]
    responses.append(browser.post(url, {"start": "1"}))
    while 'name="page"' in responses[-1].content.decode():
        responses.append(browser.post(url, _answers_for(responses[-1].content.decode())))
        browser.cookies.clear()
    assert "응답해 주셔서 감사합니다" in responses[-1].content.decode()
    assert all(not r.cookies for r in responses)
    assert all("csrfmiddlewaretoken" not in r.content.decode() for r in responses)


def test_the_language_link_switches_the_questionnaire(client, invited):
    url = f"/s/{invited[13]}/"
    intro = client.get(url).content.decode()
    switch = reverse("fieldwork:language", kwargs={"token": invited[13], "code": "en"})
    assert f'href="{switch}"' in intro
    response = client.get(switch)
    assert response.status_code == 302 and response["Location"] == url
    assert "Start the survey" in client.get(url).content.decode()
    assert client.get(reverse("fieldwork:language", kwargs={"token": invited[13], "code": "xx"})).cookies.get(
        "django_language") is None  # an unknown language changes nothing


def test_the_interviewers_questionnaire_keeps_its_form_token(client, invited, users):
    from integrity.apps.fieldwork.models import CallAssignment

    invitation = services.find_invitation(invited[14])
    services.ask_for_phone(invitation)
    assignment = CallAssignment.objects.create(invitation_id=invitation.pk, interviewer=users["interviewer"])
    client.force_login(users["interviewer"])
    page = client.get(reverse("fieldwork:call_survey", kwargs={"assignment_id": assignment.pk})).content.decode()
    assert 'name="page"' in page and "csrfmiddlewaretoken" in page


def test_a_renamed_institution_shows_its_new_name_once_context_is_reloaded(client, invited, registry):
    url = f"/s/{invited[15]}/"
    assert "가람부" in client.get(url).content.decode()
    registry["a"].name = "가람청"
    registry["a"].save()
    services.forget_cached()  # what the minute-long context cache does by itself
    assert "가람청" in client.get(url).content.decode()


def test_a_wrong_link_is_not_echoed_into_the_page(client, invited):
    response = client.get("/s/%3Cscript%3Ealert(1)%22%27x/")  # the token: <script>alert(1)"'x
    html = response.content.decode()
    assert response.status_code == 404 and "설문 링크를 찾을 수 없습니다" in html
    assert "<script>alert" not in html and "\"'x" not in html


def test_the_thanks_page_is_the_same_for_every_link(client, invited):
    """It must not tell whether a link exists or has been answered."""
    _go(client, f"/s/{invited[0]}/")
    statuses = {client.get(f"/s/{t}/thanks/").status_code for t in (invited[0], invited[1], "no-such-link-0000000000")}
    assert statuses == {200}
    bodies = [client.get(f"/s/{t}/thanks/").content.decode().replace(t, "LINK")
              for t in (invited[0], invited[1], "no-such-link-0000000000")]
    assert bodies[0] == bodies[1] == bodies[2]


def test_release_command_releases_ripe_batches_and_all_at_the_close(client, invited, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.INTEGRITY_RELEASE_BATCH = 3
    for token in invited[:2]:
        _go(client, f"/s/{token}/")
    out = StringIO()
    call_command("release_responses", "--year", "2017", stdout=out)
    assert Response.objects.count() == 0 and "기다리는 응답: 2건" in out.getvalue()
    call_command("release_responses", "--year", "2017", "--final", stdout=out)
    assert Response.objects.count() == 2


# --- a redraw withdraws the replaced draw ------------------------------------------------

def test_a_redraw_withdraws_the_replaced_draws_open_links(client, invited, users, registry):
    """Redraw during fieldwork: the replaced draw's open links answer 'withdrawn', its
    unsent invitations are never sent, its calls leave the lists, monitoring counts the
    current draw, and completed answers are kept (and not asked again)."""
    from django.core.management import call_command

    from integrity.apps.rosters.models import RosterUpload
    from integrity.apps.sampling.models import Draw

    _go(client, f"/s/{invited[0]}/")  # answered on the first draw
    half = f"/s/{invited[1]}/"
    client.post(half, {"start": "1"})  # in the middle of the questionnaire
    call = CallAssignment.objects.create(invitation=Invitation.objects.get(token_hash=services.token_hash(invited[2])),
                                         interviewer=users["interviewer"])
    first = Draw.objects.get()
    client.force_login(users["admin"])
    confirm = client.post(reverse("sampling:draw", args=[first.upload_id]), {"reason": "명부 오류 정정"}).content.decode()
    assert "이미 받은 응답 1건은 그대로 유지됩니다" in confirm and "아직 응답하지 않은 초대 24건은 철회됩니다" in confirm
    assert Draw.objects.count() == 1  # nothing happens before the confirmation
    client.post(reverse("sampling:draw", args=[first.upload_id]), {"reason": "명부 오류 정정", "confirm": "1"})
    client.logout()
    assert Draw.objects.filter(superseded_at__isnull=True).count() == 1 and Draw.objects.count() == 2

    assert "이 설문 안내는 철회되었습니다" in client.get(half).content.decode()
    assert "이 설문 안내는 철회되었습니다" in client.post(half, {"page": "0"}).content.decode()
    assert "이미 응답을 마치셨습니다" in client.get(f"/s/{invited[0]}/").content.decode()
    call.refresh_from_db()
    assert call.closed
    client.force_login(users["interviewer"])
    assert client.get(reverse("fieldwork:call_survey", args=[call.pk])).status_code == 302
    client.logout()

    mail.outbox.clear()
    call_command("invite", "--year", "2017", stdout=__import__("io").StringIO())
    old = Invitation.objects.filter(member__draw=first)
    assert not old.filter(status=InvitationStatus.CREATED).exists()
    new = Invitation.objects.exclude(member__draw=first)
    answered_entry = old.get(used=True).member.entry_id
    assert not new.filter(member__entry_id=answered_entry).exists()  # not asked twice
    current = Draw.objects.get(superseded_at__isnull=True).members.exclude(entry_id=answered_entry).count()
    assert len(mail.outbox) == new.count() == current
    row = next(r for r in fieldwork_rows(registry["year"]) if r["task_id"] == registry["task_a"].pk)
    assert row["invited"] == current + 1 and row["completed"] == 1  # the current draw, plus the answer kept
    assert RosterUpload.objects.get(pk=first.upload_id).status == "accepted"


# --- the respondent's and the interviewer's last details ----------------------------------

def test_the_back_button_returns_to_the_previous_page_with_its_answers(client, invited):
    url = f"/s/{invited[0]}/"
    first = client.post(url, {"start": "1"}).content.decode()
    answers = _answers_for(first)
    second = client.post(url, answers).content.decode()
    assert 'name="back"' in second and f'name="page" value="{int(answers["page"]) + 1}"' in second
    back = client.post(url, {"page": str(int(answers["page"]) + 1), "back": "1"}).content.decode()
    assert f'name="page" value="{answers["page"]}"' in back
    chosen = dict(re.findall(r'name="([^"]+)" value="(\d+)" required checked', back))
    assert chosen == {k: v for k, v in answers.items() if k != "page"}  # the answers given are shown chosen
    assert 'name="back"' not in first  # nothing before the first page
    again = client.post(url, answers).content.decode()
    assert f'name="page" value="{int(answers["page"]) + 1}"' in again


def test_the_step_count_does_not_jump_after_a_follow_up(client, invited):
    url = f"/s/{invited[0]}/"
    page = client.post(url, {"start": "1"}).content.decode()
    steps = set()
    while 'name="page"' in page:
        steps.add(re.search(r"(\d+) / (\d+)단계", page).group(2))
        page = client.post(url, _answers_for(page, yes="담당 직원에게 금품(현금" in page)).content.decode()
    assert len(steps) == 1  # the total never changes, "yes" or not


def test_the_first_page_gives_the_time_and_whom_to_ask(client, invited, settings):
    intro = client.get(f"/s/{invited[0]}/").content.decode()
    assert re.search(r"약 \d+분 걸립니다", intro) and settings.INTEGRITY_SURVEY_CONTACT in intro


def test_an_opt_out_can_be_undone_from_the_same_link(client, invited):
    url = f"/s/{invited[0]}/"
    done = client.post(f"{url}opt-out/").content.decode()
    assert "더 이상 연락드리지 않겠습니다" in done and f"/s/{invited[0]}/opt-in/" in done
    assert client.post(f"{url}opt-in/").status_code == 302
    assert Invitation.objects.get(token_hash=services.token_hash(invited[0])).status == InvitationStatus.OPENED
    assert "설문 시작하기" in client.get(url).content.decode()
    assert client.get(f"{url}opt-in/").status_code == 405  # a link preview cannot undo it


def test_a_phone_request_takes_a_number_and_a_time_window(client, invited, users):
    from integrity.apps.rosters.services import cipher

    url = f"/s/{invited[0]}/phone/"
    wrong = client.post(url, {"phone": "12345", "window": "evening"})
    assert wrong.status_code == 400 and "전화번호를 확인해 주세요" in wrong.content.decode()
    assert "전화로 연락드리겠습니다" in client.post(url, {"phone": "０１０-７０００-７００１", "window": "evening"}).content.decode()
    invitation = Invitation.objects.get(token_hash=services.token_hash(invited[0]))
    assert invitation.status == InvitationStatus.PHONE and invitation.callback_window == "evening"
    assert b"7000" not in bytes(invitation.callback_phone_enc) and cipher().decrypt(invitation.callback_phone_enc) == "+821070007001"
    assignment = CallAssignment.objects.create(invitation=invitation, interviewer=users["interviewer"])
    client.force_login(users["interviewer"])
    call = client.get(reverse("fieldwork:call", args=[assignment.pk])).content.decode()
    assert "010-7000-7001" in call and "저녁 (18–21시)" in call and "응답자가 알려 준 번호입니다" in call


def test_the_interviewers_keying_screen_keeps_the_menu_and_a_stop(client, invited, users):
    invitation = Invitation.objects.first()
    assignment = CallAssignment.objects.create(invitation=invitation, interviewer=users["interviewer"])
    client.force_login(users["interviewer"])
    call = client.get(reverse("fieldwork:call", args=[assignment.pk])).content.decode()
    options = re.findall(r'<option value="([a-z_]+)">', call)
    assert options[-1] == "complete"  # it only opens the questionnaire: last
    page = client.get(reverse("fieldwork:call_survey", args=[assignment.pk])).content.decode()
    assert "공공기관 청렴도 측정" in page and reverse("fieldwork:calls") in page  # the site's menu
    stop = reverse("fieldwork:call", args=[assignment.pk]) + "?suspended=1"
    assert stop in page and "같은 링크로 이어서" not in page and "통화가 끊기면" in page
    assert "지금까지 입력한 답은 저장되어" in client.get(stop).content.decode()


def test_an_administrator_sees_every_interviewers_calls_and_filters_by_interviewer(client, invited, users):
    first, second = Invitation.objects.order_by("pk")[:2]
    CallAssignment.objects.create(invitation=first, interviewer=users["interviewer"])
    CallAssignment.objects.create(invitation=second, interviewer=users["admin"])
    client.force_login(users["admin"])
    page = client.get(reverse("fieldwork:calls")).content.decode()
    assert page.count("<td>interviewer</td>") == 1 and page.count("<td>admin</td>") == 1
    only = client.get(reverse("fieldwork:calls") + f"?interviewer={users['interviewer'].pk}").content.decode()
    assert "<td>interviewer</td>" in only and "<td>admin</td>" not in only
    client.force_login(users["interviewer"])
    own = client.get(reverse("fieldwork:calls")).content.decode()
    assert own.count("통화하기") == 1 and "조사원</label>" not in own


def test_the_demo_roster_agrees_with_the_roster_rule_it_shows(registry, users):
    from integrity.apps.fieldwork.demo import demo_fieldwork
    from integrity.apps.rosters.models import RosterUpload

    task = registry["task_a"]
    task.quota = 67
    task.save()
    demo_fieldwork(registry["a"], users["interviewer"])
    needed = task.quota * registry["year"].model.fieldwork.roster_multiple
    assert RosterUpload.objects.get(task=task).row_count >= needed == 670


@pytest.mark.parametrize("posted", [{}, {"page": "3"}, {"back": "1"}, {"page": "-1", "back": "1"}])
def test_a_post_to_a_link_not_yet_started_shows_the_introduction(client, invited, posted):
    """A form posted to the introduction without its start button (a stale tab, a bot)
    is not a finished questionnaire: the link stays open and nothing is stored (was a 500)."""
    url = f"/s/{invited[0]}/"
    response = client.post(url, posted)
    assert response.status_code == 200 and "설문 시작하기" in response.content.decode()
    assert "설문 시작하기" in client.get(url).content.decode()


def test_the_signals_are_searched_filtered_and_paged(client, registry, users):
    from django.utils import timezone

    from integrity.apps.fieldwork.models import SignalSnapshot
    from integrity.web.listing import PER_PAGE

    from .listing_checks import assert_paged, count_line, get

    signals = [{"institution": f"04{i:05d}", "kind": "burst" if i % 2 else "careless", "evidence": f"근거 {i}"}
               for i in range(PER_PAGE + 6)] + [{"institution": "0100001", "kind": "favour", "evidence": "호의적 응답 요청 3건"}]
    SignalSnapshot.objects.create(year=registry["year"], computed_at=timezone.now(), responses=0, signals=signals)
    total = len(signals)
    client.force_login(users["admin"])
    url = reverse("monitoring:signals")
    assert_paged(client, url, total)
    assert count_line(1, total) in get(client, url + "?kind=favour")
    assert count_line(1, total) in get(client, url + "?q=0400017")
    both = get(client, url + "?q=근거&kind=burst")
    assert count_line((PER_PAGE + 6) // 2, total) in both
    assert "?q=%EA%B7%BC%EA%B1%B0&amp;page=2" in get(client, url + "?q=근거")
