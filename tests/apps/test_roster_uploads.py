"""Roster uploads through the web: checked, stored all or nothing, PII encrypted,
reported row by row, audited."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from integrity.apps.audit.models import AuditEntry
from integrity.apps.rosters.models import RosterEntry, RosterUpload, UploadStatus
from integrity.apps.rosters.services import active_entries, cipher
from integrity.apps.sampling.services import draw_sample
from integrity.apps.registry.models import TargetTask
from tests.rosters.helpers import encrypt, external_rows, filled, staff_rows


def _post(client, registry, data: bytes, *, form_code="external", task=None, password="", name="명부.xlsx", institution="a"):
    body = registry[institution]
    payload = {"form_code": form_code, "password": password, "file": io.BytesIO(data), "sublisting": ""}
    payload["file"].name = name
    if task is not None:
        payload["task"] = task.pk
    # the check is enqueued on commit; run it as the immediate task backend would
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("rosters:upload", kwargs={"institution_id": body.pk}), payload)
    return client.get(response["Location"]) if response.status_code == 302 else response


@pytest.fixture
def liaison(client, users):
    client.force_login(users["liaison_a"])
    return client


def test_encrypted_roster_is_accepted_and_its_personal_data_encrypted_at_rest(liaison, registry):
    data = encrypt(filled("external", external_rows(60)), "암호1234")
    response = _post(liaison, registry, data, task=registry["task_a"], password="암호1234")
    page = response.content.decode()
    assert "접수되었습니다" in page and "60행을 모두 받았습니다" in page
    upload = RosterUpload.objects.get()
    assert upload.status == UploadStatus.ACCEPTED and upload.payload is None
    entries = active_entries().filter(task=registry["task_a"])
    assert entries.count() == 60
    first = entries.order_by("row_number").first()
    assert cipher().decrypt(first.phone_enc) == "+821020000000" and cipher().decrypt(first.name_enc) == "민원인0"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_enc, phone_enc, attributes FROM rosters_rosterentry")
        raw = b"".join(bytes(r[0]) + bytes(r[1]) + str(r[2]).encode() for r in cursor.fetchall())
    assert "민원인0".encode() not in raw and b"1020000000" not in raw and b"2000-0000" not in raw
    assert AuditEntry.objects.filter(action="roster.accepted", target_id=str(upload.pk)).exists()


def test_wrong_password_is_reported_and_nothing_kept(liaison, registry):
    data = encrypt(filled("external", external_rows(60)), "right")
    page = _post(liaison, registry, data, task=registry["task_a"], password="wrong").content.decode()
    assert "비밀번호가 맞지 않습니다" in page
    upload = RosterUpload.objects.get()
    assert upload.status == UploadStatus.REJECTED and upload.payload is None
    assert RosterEntry.objects.count() == 0


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_stored(liaison, registry):
    rows = external_rows(60)
    rows[4]["phone"] = "010-12"
    rows[9]["experienced_on"] = "2018-01-01"
    page = _post(liaison, registry, filled("external", rows), task=registry["task_a"]).content.decode()
    assert "오류 2건" in page
    assert "전화번호 형식이 맞지 않습니다" in page and "측정대상기간(2016-07-01~2017-06-30) 밖의 날짜입니다" in page
    assert RosterEntry.objects.count() == 0
    upload = RosterUpload.objects.get()
    report = liaison.get(reverse("rosters:upload_report", kwargs={"upload_id": upload.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))["점검결과"]
    listed = [(r[0], r[1]) for r in sheet.iter_rows(min_row=int(sheet.freeze_panes[1:]), values_only=True)]
    assert listed == [(6, "휴대전화"), (11, "업무처리일")]
    assert AuditEntry.objects.filter(action="roster.rejected").count() == 1


def test_a_new_roster_replaces_the_previous_one(liaison, registry):
    _post(liaison, registry, filled("external", external_rows(60)), task=registry["task_a"])
    _post(liaison, registry, filled("external", external_rows(70, start=500)), task=registry["task_a"])
    statuses = list(RosterUpload.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [UploadStatus.SUPERSEDED, UploadStatus.ACCEPTED]
    assert RosterEntry.objects.count() == 70  # the old entries are gone, not merely hidden


def test_the_same_phone_on_two_tasks_is_refused(liaison, registry):
    second = TargetTask.objects.create(institution=registry["a"], code="T2", name="인허가", quota=5)
    _post(liaison, registry, filled("external", external_rows(60)), task=registry["task_a"])
    rows = external_rows(60, start=1000)
    rows[0]["phone"] = "010-2000-0005"  # on task 1 already
    page = _post(liaison, registry, filled("external", rows), task=second).content.decode()
    assert "이 기관의 다른 명부(다른 업무)에 같은 전화번호가 있습니다" in page


def test_a_drawn_roster_cannot_be_replaced_silently(liaison, registry, users):
    _post(liaison, registry, filled("external", external_rows(60)), task=registry["task_a"])
    draw_sample(RosterUpload.objects.get(), users["admin"])
    page = _post(liaison, registry, filled("external", external_rows(60, start=300)), task=registry["task_a"]).content.decode()
    assert "이미 표본을 추출한 명부는 바꿀 수 없습니다" in page
    assert active_entries().count() == 60


def test_staff_list_exclusions_are_reported_on_acceptance(liaison, registry):
    rows = staff_rows(2100)
    rows[0]["position"] = "기관장"
    page = _post(liaison, registry, filled("staff_2_1", rows), form_code="staff_2_1").content.decode()
    assert "접수되었습니다" in page and "제외: 기관장·임원 등 직위: 1" in page


def test_form_not_submitted_by_this_type_is_refused(client, users, registry):
    client.force_login(users["liaison_b"])  # basic local government: no policy-customer lists
    page = _post(client, registry, filled("experts_3_1", []), form_code="experts_3_1", institution="b").content.decode()
    assert "선택가능항목에 없습니다" in page  # the form list offers only what this type submits
    assert RosterUpload.objects.count() == 0


def test_templates_download_with_korean_headers(liaison, registry):
    url = reverse("rosters:task_template", kwargs={"institution_id": registry["a"].pk, "form_code": "external",
                                                   "task_id": registry["task_a"].pk})
    response = liaison.get(url)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["명부", "작성요령"]
    assert [c.value for c in book["명부"][1]][:4] == ["성명 *", "휴대전화", "전자우편", "업무처리일 *"]
    assert book["명부"].data_validations.dataValidation  # hints and lists travel with the file
    assert "보조금 지원" in [c.value for row in book["작성요령"].iter_rows() for c in row]


@pytest.mark.parametrize("form_code", ["staff_2_1", "staffing_2_2", "experts_3_1", "stakeholders_3_2", "disciplinary_4_1", "warnings_4_2"])
def test_every_form_of_the_seed_has_a_template(liaison, registry, form_code):
    response = liaison.get(reverse("rosters:template", kwargs={"institution_id": registry["a"].pk, "form_code": form_code}))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_status_endpoint_reports_progress(liaison, registry):
    _post(liaison, registry, filled("external", external_rows(60)), task=registry["task_a"])
    upload = RosterUpload.objects.get()
    status = liaison.get(reverse("rosters:upload_status", kwargs={"upload_id": upload.pk})).json()
    assert status == {"status": "accepted", "finished": True, "percent": 100, "stage": "", "problems": 0}


@pytest.mark.django_db(transaction=True)
def test_with_a_queue_backend_the_page_shows_progress_until_the_worker_is_done(client, registry, users):
    from django.core.management import call_command
    from django.test import override_settings

    client.force_login(users["liaison_a"])
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = _post(client, registry, filled("external", external_rows(60)), task=registry["task_a"])
        page = response.content.decode()
        assert "점검하고 있습니다" in page and '<meta http-equiv="refresh"' in page and "<progress" in page
        assert RosterUpload.objects.get().status == UploadStatus.QUEUED
        call_command("db_worker", "--batch", "--no-startup-delay")
    upload = RosterUpload.objects.get()
    assert upload.status == UploadStatus.ACCEPTED and upload.row_count == 60
    assert "접수되었습니다" in client.get(reverse("rosters:upload_detail", kwargs={"upload_id": upload.pk})).content.decode()


def test_the_staffing_table_tells_which_departments_to_list(liaison, registry):
    # 가람부: 2,500 staff -> about 1,000 people, k=3; audit office dropped before counting
    rows = [{"order": 1, "unit": "본부", "department": "기획조정실", "authorised": 120, "current": 118, "audit_office": "아니오"},
            {"order": 2, "unit": "본부", "department": "감사관실", "authorised": 20, "current": 20, "audit_office": "예"}]
    rows += [{"order": n + 3, "unit": "본부", "department": f"{n + 1}과", "authorised": 150, "current": 150, "audit_office": "아니오"}
             for n in range(14)]
    page = _post(liaison, registry, filled("staffing_2_2", rows), form_code="staffing_2_2").content.decode()
    assert "접수되었습니다" in page
    page = liaison.get(reverse("rosters:dashboard", kwargs={"institution_id": registry["a"].pk})).content.decode()
    section = page[page.index('id="staff-list"'):page.index("내부청렴도·정책고객·부패사건 자료")]
    # after dropping 감사관실: 1 기획조정실, 2 1과, then 5, 8, 11, 14 -> 4과 7과 10과 13과 = 118 + 5 x 150 = 868;
    # short of 1,000: top up with 3 (2과) -> 1,018
    listed = [line.split("<small>")[0].strip() for line in section.split("<li>")[1:]]
    assert listed == ["본부 기획조정실", "본부 1과", "본부 2과", "본부 4과", "본부 7과", "본부 10과", "본부 13과"]
    assert "전 직원(1,018명)" in section


def test_upload_roster_command_asks_for_the_password_and_stores(tmp_path, registry, monkeypatch, capsys):
    from django.core.management import call_command

    path = tmp_path / "r.xlsx"
    path.write_bytes(encrypt(filled("external", external_rows(60)), "pw-123"))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "pw-123")
    call_command("upload_roster", str(path), "--year", "2017", "--institution", "0100001", "--task", "T1", "--encrypted")
    assert "접수: 60행" in capsys.readouterr().out
    assert active_entries().count() == 60


# --- every form, filled with its own examples, is accepted end to end ---------------------

ROSTER_FORMS = sorted(code for code in __import__("integrity.rosters", fromlist=["load_forms"]).load_forms()
                      if not code.startswith("registry_"))


def _example_rows(form_code: str, n: int) -> list[dict]:
    """n rows of the form's example values, each person's name, phone and e-mail their own."""
    from integrity.rosters import get_form

    rows = []
    for i in range(n):
        row = {}
        for col in get_form(form_code).columns:
            value = col.example or None
            if col.key == "name":
                value = f"{value or '응답자'}{i}"
            elif col.key == "phone" or col.type == "phone":
                value = f"010-5{i // 10000:03d}-{i % 10000:04d}"
            elif col.key == "email" or col.type == "email":
                value = f"person{i}@example.com"
            elif col.key == "order":
                value = i + 1
            elif col.key in ("previous_institution", "previous_code"):
                value = col.example  # the former body must be in the registry (가람부, 0100001)
            elif col.type == "text" and value and not col.choices:
                value = f"{value} {i + 1}"  # a row of the liaison's own, not the template's example
            row[col.key] = value
        rows.append(row)
    return rows


@pytest.mark.parametrize("form_code", ROSTER_FORMS)
def test_every_form_filled_with_its_examples_is_accepted(form_code, registry, users):
    """No form can break alone (서식 4-4 once stayed 'running' forever)."""
    from integrity.apps.registry.models import Institution
    from integrity.apps.rosters.services import forms_for, process_upload, start_upload
    from integrity.rosters import get_form

    year = registry["year"]
    small = {"central": ("central_2", 10), "public_service": ("pso_5", 10)}
    family = "public_service" if form_code in ("audits_4_3", "audit_dispositions_4_4") else "central"
    type_code, staff = small[family]
    body = Institution.objects.create(year=year, code=f"09{ROSTER_FORMS.index(form_code):05d}", name="예시기관",
                                      type_code=type_code, staff=staff)
    task = TargetTask.objects.create(institution=body, code="T9", name="예시업무", quota=1) if get_form(form_code).per_task else None
    assert form_code in forms_for(body) or task is not None
    data = filled(form_code, _example_rows(form_code, 10))
    upload = start_upload(users["admin"], body, form_code, task, data, "예시.xlsx", None, enqueue=False)
    process_upload(upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ACCEPTED, upload.problems[:5]
    assert upload.row_count == 10


def test_the_uploads_list_is_searched_filtered_and_paged(client, registry, users):
    client.force_login(users["liaison_a"])
    _post(client, registry, filled("external", external_rows(60)), task=registry["task_a"], name="좋은명부.xlsx")
    rows = external_rows(60)
    rows[4]["phone"] = "010-12"
    _post(client, registry, filled("external", rows), task=registry["task_a"], name="틀린명부.xlsx")
    client.force_login(users["analyst"])
    page = client.get(reverse("rosters:uploads")).content.decode()
    assert "좋은명부.xlsx" in page and "틀린명부.xlsx" in page
    rejected = client.get(reverse("rosters:uploads") + "?status=rejected").content.decode()
    assert "틀린명부.xlsx" in rejected and "좋은명부.xlsx" not in rejected
    found = client.get(reverse("rosters:uploads") + "?q=좋은").content.decode()
    assert "좋은명부.xlsx" in found and "틀린명부.xlsx" not in found
    assert "1건 (전체 2건)" in found
    client.force_login(users["liaison_a"])  # a liaison sees their own dashboard, not everyone's uploads
    assert client.get(reverse("rosters:uploads")).status_code == 403


def test_an_institutions_uploads_are_searched_filtered_and_paged(liaison, registry):
    """Every file the institution sent, not the latest fifteen."""
    from integrity.apps.rosters.models import RosterUpload
    from integrity.web.listing import PER_PAGE

    from .listing_checks import count_line, get, rows_shown

    RosterUpload.objects.bulk_create([
        RosterUpload(institution=registry["a"], form_code="external" if i % 3 else "staff_2_1", task=registry["task_a"] if i % 3 else None,
                     filename=f"명부{i}.xlsx", file_sha256="0", status="rejected" if i < 4 else "accepted")
        for i in range(PER_PAGE + 6)])
    RosterUpload.objects.create(institution=registry["b"], form_code="external", filename="남의명부.xlsx", file_sha256="0")
    total = PER_PAGE + 6
    url = reverse("rosters:dashboard", kwargs={"institution_id": registry["a"].pk})
    uploads = lambda page: rows_shown(page[page.index('id="uploads"'):])  # noqa: E731
    page = get(liaison, url)
    assert uploads(page) == PER_PAGE and "다음 쪽" in page and count_line(total, total) in page and "남의명부" not in page
    assert count_line(4, total) in get(liaison, url + "?status=rejected")
    assert count_line(19, total) in get(liaison, url + "?form=staff_2_1")
    assert count_line(1, total) in get(liaison, url + "?q=명부17.")
    both = get(liaison, url + "?q=명부&status=accepted")
    assert count_line(total - 4, total) in both and "?q=%EB%AA%85%EB%B6%80&amp;sort=-at&amp;status=accepted&amp;page=2" in both
    assert "1 / 2쪽" in get(liaison, url + "?page=abc") and "2 / 2쪽" in get(liaison, url + "?page=-2")
