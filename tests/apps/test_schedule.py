"""The year's schedule in the application: phases shown to every role, due dates
enforced at the roster upload, extensions, the deadline view, reminders."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from integrity.apps.audit.models import AuditEntry
from integrity.apps.fieldwork import sms
from integrity.apps.registry.models import Officer
from integrity.apps.rosters.models import RosterUpload, UploadStatus
from integrity.apps.rosters.services import UploadRefused, forms_for, start_upload
from integrity.apps.schedule.models import Extension, FormDeadline, Phase, Reminder
from integrity.apps.schedule.plan import create_schedule, grant_extension
from integrity.apps.schedule.reminders import remind, send_due_reminders, set_liaison_phone
from integrity.apps.schedule.status import deadline_rows, owed_forms
from tests.registry_fixtures import _user

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _set_due(year, due):
    FormDeadline.objects.filter(year=year).update(due=due)
    Phase.objects.filter(year=year, kind="rosters").update(ends=due, starts=min(due, TODAY) - 30 * DAY)


@pytest.fixture
def schedule(registry):
    """The registry's year with its default schedule, every form due in three days."""
    create_schedule(registry["year"])
    _set_due(registry["year"], TODAY + 3 * DAY)
    return registry["year"]


@pytest.fixture
def past_due(schedule):
    _set_due(schedule, TODAY - DAY)
    return schedule


@pytest.fixture
def contacts(users):
    users["liaison_a"].email = "a@example.invalid"
    users["liaison_a"].save()
    users["liaison_b"].email = "b@example.invalid"
    users["liaison_b"].save()
    set_liaison_phone(users["liaison_a"], "+821011112222")
    mail.outbox.clear()
    sms.outbox.clear()


def _upload(user, institution, form_code="staff_2_1"):
    with TestCase.captureOnCommitCallbacks(execute=False):
        return start_upload(user, institution, form_code, None, b"not a workbook", "명부.xlsx", None, enqueue=False)


def _rows(year, today=TODAY):
    return {(r.institution.code, r.form_code): r for r in deadline_rows(year, year.institutions.all(), today)}


# --- the schedule -----------------------------------------------------------------

def test_a_new_years_schedule_comes_from_the_seed_with_rosters_due_as_the_model_says(registry):
    create_schedule(registry["year"])
    phases = {p.kind: p for p in Phase.objects.filter(year=registry["year"])}
    assert set(phases) == {"rosters", "fieldwork", "onsite", "incidents", "scoring", "publication"}
    assert phases["rosters"].ends == dt.date(2017, 7, 25) == registry["year"].model.fieldwork.roster_due
    assert (phases["fieldwork"].starts, phases["fieldwork"].ends) == (dt.date(2017, 7, 1), dt.date(2017, 11, 30))
    assert phases["onsite"].starts == dt.date(2017, 8, 1)
    assert FormDeadline.objects.get(year=registry["year"], form_code="staff_2_1").due == dt.date(2017, 7, 25)
    assert not FormDeadline.objects.filter(form_code__startswith="registry_").exists()
    assert AuditEntry.objects.filter(action="schedule.created").exists()


def test_creating_the_schedule_again_keeps_the_administrators_edits(registry):
    create_schedule(registry["year"])
    Phase.objects.filter(kind="scoring").update(ends=dt.date(2017, 12, 12))
    create_schedule(registry["year"])
    assert Phase.objects.get(kind="scoring").ends == dt.date(2017, 12, 12)
    assert Phase.objects.filter(year=registry["year"]).count() == 6


def test_the_schedule_page_is_shown_to_every_role_with_the_phases(client, schedule, users):
    for name in ("admin", "analyst", "interviewer", "liaison_a"):
        client.force_login(users[name])
        page = client.get(reverse("schedule:index")).content.decode()
        assert "명부 등 자료 제출" in page and "현장실사·점검" in page and "결과 발표" in page, name
        assert reverse("schedule:index") in page  # linked from the navigation


def test_a_liaison_sees_their_own_deadlines_on_the_schedule_page_and_their_dashboard(client, schedule, users, registry):
    client.force_login(users["liaison_a"])
    page = client.get(reverse("schedule:index")).content.decode()
    assert "우리 기관의 제출 기한" in page and "서식 2-1 직원명부" in page
    dashboard = client.get(reverse("rosters:dashboard", args=[registry["a"].pk])).content.decode()
    assert "다음 제출 기한" in dashboard and (TODAY + 3 * DAY).isoformat() in dashboard and "(D-3)" in dashboard


def test_the_current_phase_is_shown_on_each_roles_first_page(client, schedule, users):
    Phase.objects.filter(year=schedule, kind="fieldwork").update(starts=TODAY - DAY, ends=TODAY + DAY)
    client.force_login(users["admin"])
    assert "청렴도 측정(설문조사)" in client.get(reverse("rosters:index")).content.decode()
    client.force_login(users["interviewer"])
    assert "청렴도 측정(설문조사)" in client.get(reverse("fieldwork:calls")).content.decode()


def test_an_administrator_edits_the_dates_and_the_change_is_logged(client, schedule, users):
    client.force_login(users["admin"])
    page = client.get(reverse("schedule:edit"))
    assert page.status_code == 200
    phases = list(Phase.objects.filter(year=schedule).order_by("starts", "ends"))
    dues = list(FormDeadline.objects.filter(year=schedule).order_by("form_code"))
    data = {"phase-TOTAL_FORMS": len(phases), "phase-INITIAL_FORMS": len(phases),
            "due-TOTAL_FORMS": len(dues), "due-INITIAL_FORMS": len(dues)}
    for i, p in enumerate(phases):
        data |= {f"phase-{i}-id": p.pk, f"phase-{i}-starts": p.starts.isoformat(), f"phase-{i}-ends": p.ends.isoformat(),
                 f"phase-{i}-note": ""}
    for i, d in enumerate(dues):
        data |= {f"due-{i}-id": d.pk, f"due-{i}-due": d.due.isoformat()}
    staff = next(i for i, d in enumerate(dues) if d.form_code == "staff_2_1")
    data[f"due-{staff}-due"] = (TODAY + 10 * DAY).isoformat()
    assert client.post(reverse("schedule:edit"), data).status_code == 302
    assert FormDeadline.objects.get(year=schedule, form_code="staff_2_1").due == TODAY + 10 * DAY
    assert AuditEntry.objects.filter(action="schedule.edited", summary__contains="staff_2_1").exists()


def test_a_phase_that_ends_before_it_starts_is_refused_in_korean(client, schedule, users):
    client.force_login(users["admin"])
    phases = list(Phase.objects.filter(year=schedule).order_by("starts", "ends"))
    data = {"phase-TOTAL_FORMS": len(phases), "phase-INITIAL_FORMS": len(phases), "due-TOTAL_FORMS": 0, "due-INITIAL_FORMS": 0}
    for i, p in enumerate(phases):
        data |= {f"phase-{i}-id": p.pk, f"phase-{i}-starts": p.starts.isoformat(), f"phase-{i}-ends": p.ends.isoformat()}
    data["phase-0-ends"] = (phases[0].starts - DAY).isoformat()
    page = client.post(reverse("schedule:edit"), data).content.decode()
    assert "종료일이 시작일보다 빠릅니다" in page
    assert Phase.objects.get(pk=phases[0].pk).ends == phases[0].ends


# --- deadlines enforced at the upload -------------------------------------------------

def test_a_liaison_may_submit_until_the_end_of_the_due_date(schedule, registry, users):
    _set_due(schedule, TODAY)
    upload = _upload(users["liaison_a"], registry["a"])  # not refused (the junk file is then rejected as such)
    assert upload.pk and upload.status == UploadStatus.REJECTED


def test_a_liaison_cannot_submit_after_the_due_date_and_is_told_the_date_and_how_to_ask_for_an_extension(
        past_due, registry, users):
    with pytest.raises(UploadRefused) as refused:
        _upload(users["liaison_a"], registry["a"])
    message = str(refused.value)
    due = TODAY - DAY
    assert f"{due.year}년 {due.month}월 {due.day}일" in message and "지나 제출할 수 없습니다" in message
    assert "기한 연장" in message and "원현심 사무관" in message and "044-200-7632" in message
    assert not RosterUpload.objects.exists()
    assert AuditEntry.objects.filter(action="schedule.late_refused", target_id=str(registry["a"].pk)).exists()


def test_the_late_refusal_is_shown_on_the_liaisons_page(client, past_due, registry, users):
    client.force_login(users["liaison_a"])
    payload = {"form_code": "staff_2_1", "password": "", "file": io.BytesIO(b"x"), "sublisting": ""}
    payload["file"].name = "명부.xlsx"
    response = client.post(reverse("rosters:upload", args=[registry["a"].pk]), payload, follow=True)
    assert "지나 제출할 수 없습니다" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_an_administrators_extension_lets_the_liaison_submit_until_its_date_and_is_logged(past_due, registry, users):
    grant_extension(users["admin"], registry["a"], "staff_2_1", TODAY + 2 * DAY, "전산 장애로 늦어짐")
    assert _upload(users["liaison_a"], registry["a"]).pk
    entry = AuditEntry.objects.get(action="schedule.extension")
    assert entry.actor == users["admin"] and "전산 장애로 늦어짐" in entry.summary
    assert entry.details["form"] == "staff_2_1" and entry.details["until"] == (TODAY + 2 * DAY).isoformat()
    with pytest.raises(UploadRefused):  # the extension is for this form only
        _upload(users["liaison_a"], registry["a"], "staffing_2_2")


def test_an_extension_that_has_run_out_refuses_again_with_its_date(past_due, registry, users):
    grant_extension(users["admin"], registry["a"], "staff_2_1", TODAY - DAY, "하루 연장")
    Extension.objects.update(until=TODAY - DAY)
    with pytest.raises(UploadRefused):
        _upload(users["liaison_a"], registry["a"])


def test_an_administrator_may_submit_for_an_institution_after_the_due_date(past_due, registry, users):
    assert _upload(users["admin"], registry["a"]).pk
    assert _upload(None, registry["a"]).pk  # the command line, an operator's


def test_a_year_without_a_schedule_refuses_nothing(registry, users):
    assert _upload(users["liaison_a"], registry["a"]).pk


def test_the_extension_page_grants_with_a_reason_and_refuses_a_date_before_the_due_date(client, past_due, registry, users):
    client.force_login(users["admin"])
    url = reverse("schedule:extend", args=[registry["a"].pk, "staff_2_1"])
    assert client.get(url).status_code == 200
    page = client.post(url, {"until": (TODAY - 5 * DAY).isoformat(), "reason": "사유"}).content.decode()
    assert "원래 제출 기한" in page and not Extension.objects.exists()
    assert client.post(url, {"until": (TODAY + 5 * DAY).isoformat(), "reason": "  "}).status_code == 200
    assert not Extension.objects.exists()
    assert client.post(url, {"until": (TODAY + 5 * DAY).isoformat(), "reason": "담당자 교체"}).status_code == 302
    assert Extension.objects.get().until == TODAY + 5 * DAY
    assert client.get(reverse("schedule:extend", args=[registry["a"].pk, "audits_4_3"])).status_code == 404


# --- the deadline view --------------------------------------------------------------

def _mark(institution, form_code, status, task=None):
    return RosterUpload.objects.create(institution=institution, form_code=form_code, task=task, filename="x.xlsx",
                                       file_sha256="0" * 64, status=status)


def test_each_form_an_institution_owes_is_not_submitted_rejected_or_accepted(schedule, registry):
    a = registry["a"]
    _mark(a, "staff_2_1", UploadStatus.ACCEPTED)
    _mark(a, "staffing_2_2", UploadStatus.REJECTED)
    _mark(a, "external", UploadStatus.REJECTED, registry["task_a"])
    _mark(a, "external", UploadStatus.ACCEPTED, registry["task_a"])  # rejected, then accepted
    rows = _rows(schedule)
    assert {code for c, code in rows if c == a.code} == set(owed_forms(a, 1)) == {"external", *forms_for(a)}
    assert rows[(a.code, "staff_2_1")].status_label == "접수"
    assert rows[(a.code, "staffing_2_2")].status_label == "반려"
    assert rows[(a.code, "disciplinary_4_1")].status_label == "미제출"
    assert rows[(a.code, "external")].status_label == "접수"


def test_an_institution_past_its_due_date_is_overdue_only_for_forms_not_accepted(past_due, registry):
    _mark(registry["a"], "staff_2_1", UploadStatus.ACCEPTED)
    rows = _rows(past_due)
    assert not rows[(registry["a"].code, "staff_2_1")].overdue
    assert rows[(registry["a"].code, "staffing_2_2")].overdue
    grant_extension(None, registry["a"], "staffing_2_2", TODAY + DAY, "연장")
    assert not _rows(past_due)[(registry["a"].code, "staffing_2_2")].overdue


def test_the_deadline_view_searches_filters_and_pages_with_the_state_in_the_url(client, past_due, registry, users):
    _mark(registry["a"], "staff_2_1", UploadStatus.ACCEPTED)
    _mark(registry["b"], "staff_2_1", UploadStatus.REJECTED)
    client.force_login(users["admin"])
    page = client.get(reverse("schedule:deadlines")).content.decode()
    assert "가람부" in page and "누리시" in page and "기한 경과" in page
    page = client.get(reverse("schedule:deadlines"), {"q": "누리", "form": "staff_2_1"}).content.decode()
    assert "누리시" in page and "가람부" not in page and "1건 (전체" in page
    page = client.get(reverse("schedule:deadlines"), {"status": "accepted"}).content.decode()
    assert "가람부" in page and "누리시" not in page
    page = client.get(reverse("schedule:deadlines"), {"type": "basic_city", "status": "rejected"}).content.decode()
    assert "누리시" in page and "가람부" not in page
    page = client.get(reverse("schedule:deadlines"), {"q": "0100001", "late": "overdue"}).content.decode()
    assert "가람부" in page and "q=0100001" in page and "late=overdue" in page  # links keep the filters


def test_the_deadline_view_shows_totals_at_the_top(client, schedule, registry, users):
    _mark(registry["a"], "staff_2_1", UploadStatus.ACCEPTED)
    client.force_login(users["admin"])
    totals = client.get(reverse("schedule:deadlines")).context["totals"]
    owed = len(owed_forms(registry["a"], 1)) + len(owed_forms(registry["b"], 1))
    assert totals["rows"] == owed and totals["accepted"] == 1 and totals["none"] == owed - 1
    assert totals["institutions"] == 2 and totals["overdue"] == 0


def test_the_deadline_list_downloads_as_korean_csv_and_xlsx_through_the_one_writer(client, past_due, registry, users):
    client.force_login(users["admin"])
    response = client.get(reverse("schedule:deadlines_download", args=["csv"]), {"q": "누리"})
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode()) and "기관코드,기관명".encode() in data
    text = data.decode("utf-8-sig")
    assert "누리시" in text and "가람부" not in text and "미제출" in text
    response = client.get(reverse("schedule:deadlines_download", args=["xlsx"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("schedule:deadlines_download", args=["parquet"])).status_code == 404


# --- reminders ----------------------------------------------------------------------

def test_reminding_the_selected_rows_sends_e_mail_and_sms_to_the_liaisons_and_logs_each(client, past_due, registry, users,
                                                                                         contacts):
    client.force_login(users["admin"])
    a = registry["a"]
    response = client.post(reverse("schedule:remind"), {"pick": [f"{a.pk}:staff_2_1", f"{a.pk}:staffing_2_2"],
                                                        "channels": ["email", "sms"], "q": "가람"})
    assert response.status_code == 302 and "q=" in response["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.invalid"]
    assert "서식 2-1 직원명부" in mail.outbox[0].body and "기한이 지났습니다" in mail.outbox[0].body
    assert len(sms.outbox) == 1 and sms.outbox[0].to == "+821011112222" and "가람부" in sms.outbox[0].body
    logged = set(Reminder.objects.values_list("institution__code", "form_code", "channel", "stage", "sent_by__username"))
    assert logged == {(a.code, f, c, "manual", "admin") for f in ("staff_2_1", "staffing_2_2") for c in ("email", "sms")}
    assert AuditEntry.objects.filter(action="schedule.reminded", actor=users["admin"]).exists()
    page = client.get(reverse("schedule:reminders")).content.decode()
    assert "가람부" in page and "문자" in page and "전자우편" in page and "admin" in page


def test_reminding_without_a_selection_reminds_every_filtered_row_still_owed(client, past_due, registry, users, contacts):
    _mark(registry["b"], "staff_2_1", UploadStatus.ACCEPTED)
    client.force_login(users["admin"])
    client.post(reverse("schedule:remind"), {"channels": ["email"], "type": "basic_city"})
    assert [m.to for m in mail.outbox] == [["b@example.invalid"]]
    reminded = set(Reminder.objects.values_list("form_code", flat=True))
    assert reminded == set(owed_forms(registry["b"], 1)) - {"staff_2_1"}  # accepted forms are never reminded
    assert not sms.outbox


def test_a_reminder_needs_a_channel(client, past_due, users, contacts):
    client.force_login(users["admin"])
    response = client.post(reverse("schedule:remind"), {}, follow=True)
    assert "하나 이상을 고르세요" in response.content.decode() and not Reminder.objects.exists()


def test_automatic_reminders_go_seven_days_and_one_day_before_and_once_when_overdue(schedule, registry, users, contacts):
    due = TODAY + 3 * DAY
    sent = send_due_reminders(due - 8 * DAY, [schedule])
    assert not sent and not mail.outbox
    send_due_reminders(due - 7 * DAY, [schedule])
    assert {m.to[0] for m in mail.outbox} == {"a@example.invalid", "b@example.invalid"}
    assert set(Reminder.objects.values_list("stage", flat=True)) == {"before:7"}
    send_due_reminders(due - DAY, [schedule])
    send_due_reminders(due + DAY, [schedule])
    assert set(Reminder.objects.values_list("stage", flat=True)) == {"before:7", "before:1", "overdue"}
    assert len(mail.outbox) == 6 and len(sms.outbox) == 3  # b has no phone


def test_automatic_reminders_are_never_sent_twice(schedule, registry, users, contacts):
    day = TODAY + 2 * DAY  # one day before the due date
    send_due_reminders(day, [schedule])
    first = (len(mail.outbox), len(sms.outbox), Reminder.objects.count())
    assert first[0] > 0
    send_due_reminders(day, [schedule])
    send_due_reminders(day + DAY, [schedule])  # the due date: still the 1-day stage, already sent
    assert (len(mail.outbox), len(sms.outbox), Reminder.objects.count()) == first


def test_an_extension_starts_its_own_reminders_for_the_new_date(past_due, registry, users, contacts):
    send_due_reminders(TODAY, [past_due])
    assert Reminder.objects.filter(stage="overdue", institution=registry["a"], form_code="staff_2_1").count() == 2
    grant_extension(users["admin"], registry["a"], "staff_2_1", TODAY + DAY, "연장")
    mail.outbox.clear()
    send_due_reminders(TODAY, [past_due])
    assert len(mail.outbox) == 1 and "서식 2-1 직원명부" in mail.outbox[0].body
    assert Reminder.objects.filter(stage="before:1", form_code="staff_2_1", due=TODAY + DAY).count() == 2


def test_institutions_without_a_liaison_contact_are_counted_not_logged(schedule, registry, users):
    sent = remind(None, deadline_rows(schedule, schedule.institutions.all(), TODAY))
    assert sorted(sent.no_contact) == sorted([registry["a"].code, registry["b"].code])
    assert not Reminder.objects.exists()


def test_the_reminder_command_takes_a_date_and_is_idempotent(schedule, registry, users, contacts):
    out = io.StringIO()
    day = (TODAY + 3 * DAY + DAY).isoformat()  # the day after the due date
    call_command("send_deadline_reminders", "--today", day, "--year", "2017", stdout=out)
    assert "기한 경과 알림" in out.getvalue() and "전자우편 2통" in out.getvalue()
    out = io.StringIO()
    call_command("send_deadline_reminders", "--today", day, stdout=out)
    assert "전자우편 0통" in out.getvalue() or "보낼 알림이 없습니다" in out.getvalue()
    assert Reminder.objects.filter(stage="overdue", channel="email").count() == len(owed_forms(registry["a"], 1)) + len(
        owed_forms(registry["b"], 1))


# --- who sees what ------------------------------------------------------------------

def test_a_liaison_sees_only_their_own_deadlines(client, past_due, registry, users):
    client.force_login(users["liaison_a"])
    page = client.get(reverse("schedule:deadlines")).content.decode()
    assert "가람부" in page and "누리시" not in page and 'name="pick"' not in page
    text = b"".join(client.get(reverse("schedule:deadlines_download", args=["csv"])).streaming_content).decode("utf-8-sig")
    assert "가람부" in text and "누리시" not in text


def test_an_officer_sees_the_institutions_in_their_care_only(client, past_due, registry):
    officer_user = _user("officer", "analyst")
    Officer.objects.filter(name="원현심").update(user=officer_user)
    client.force_login(officer_user)
    page = client.get(reverse("schedule:deadlines")).content.decode()
    assert "가람부" in page and "누리시" not in page
    assert client.get(reverse("schedule:reminders")).status_code == 200


def test_only_administrators_remind_extend_and_edit(client, past_due, registry, users, contacts):
    for name in ("analyst", "liaison_a", "interviewer"):
        client.force_login(users[name])
        assert client.post(reverse("schedule:remind"), {"channels": ["email"]}).status_code == 403
        assert client.post(reverse("schedule:extend", args=[registry["a"].pk, "staff_2_1"]),
                           {"until": (TODAY + 9 * DAY).isoformat(), "reason": "x"}).status_code == 403
        assert client.get(reverse("schedule:edit")).status_code == 403
    assert not Reminder.objects.exists() and not Extension.objects.exists() and not mail.outbox


def test_the_demo_year_gets_a_schedule_and_its_liaison_an_extension(registry):
    from integrity.apps.schedule.demo import demo_schedule

    demo_schedule(registry["year"], registry["a"])
    assert Phase.objects.filter(year=registry["year"]).count() == 6
    assert set(Extension.objects.values_list("form_code", flat=True)) == set(owed_forms(registry["a"], 1))


def test_administrators_edit_the_schedule_in_the_django_admin_with_forms_named_not_coded(client, schedule, registry, users):
    from integrity.apps.schedule.models import LiaisonPhone
    from integrity.apps.rosters.services import cipher

    client.force_login(users["admin"])
    for path in ("/admin/schedule/phase/", "/admin/schedule/formdeadline/", "/admin/schedule/extension/",
                 "/admin/schedule/extension/add/", "/admin/schedule/reminder/", "/admin/schedule/liaisonphone/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "서식 2-1 직원명부" in client.get("/admin/schedule/formdeadline/").content.decode()
    response = client.post("/admin/schedule/extension/add/", {"institution": registry["a"].pk, "form_code": "staff_2_1",
                                                              "until": (TODAY + 4 * DAY).isoformat(), "reason": "관리 화면 연장"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="schedule.extension", actor=users["admin"], summary__contains="관리 화면 연장").exists()
    response = client.post("/admin/schedule/liaisonphone/add/", {"user": users["liaison_a"].pk, "phone": "010-3333-4444"})
    assert response.status_code == 302
    stored = LiaisonPhone.objects.get(user=users["liaison_a"])
    assert cipher().decrypt(stored.phone_enc) == "+821033334444" and b"3333" not in bytes(stored.phone_enc)


def test_the_reminder_task_runs_the_same_idempotent_reminders(schedule, registry, users, contacts):
    from integrity.apps.schedule.tasks import send_deadline_reminders_task

    _set_due(schedule, TODAY + DAY)
    first = send_deadline_reminders_task.enqueue().return_value
    assert first == len(owed_forms(registry["a"], 1)) + len(owed_forms(registry["b"], 1))
    assert send_deadline_reminders_task.enqueue().return_value == 0


def test_a_liaison_past_the_due_date_is_told_which_forms_are_overdue_on_their_dashboard(client, past_due, registry, users):
    _mark(registry["a"], "staff_2_1", UploadStatus.ACCEPTED)
    client.force_login(users["liaison_a"])
    page = client.get(reverse("rosters:dashboard", args=[registry["a"].pk])).content.decode()
    assert "기한이 지난 서식" in page and "서식 2-2 정원표" in page
    banner = page[page.index("schedule-banner"):page.index("</section>", page.index("schedule-banner"))]
    assert "서식 2-1 직원명부" not in banner  # accepted: nothing owed


def test_the_overdue_list_is_the_deadline_view_filtered_to_forms_past_their_date(client, past_due, registry, users):
    grant_extension(users["admin"], registry["b"], "staff_2_1", TODAY + DAY, "연장")
    client.force_login(users["admin"])
    assert "기한 경과 목록" in client.get(reverse("schedule:index")).content.decode()
    rows = client.get(reverse("schedule:deadlines"), {"late": "overdue", "q": "누리"}).context["listing"].page.paginator.object_list
    assert rows and all(r.overdue for r in rows) and "staff_2_1" not in {r.form_code for r in rows}
