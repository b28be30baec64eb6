"""Input that cannot exhaust the server or slip past the checks: archives that inflate
too far, bodies over the limit (not even read), full-width and other look-alike text,
values longer than where they land, sheets that are missing."""

import io
import zipfile

import pytest
from django.test import RequestFactory
from django.urls import reverse

from integrity.apps.registry.models import Institution
from integrity.apps.registry.services import RegistryRejected, import_registry
from integrity.rosters import RosterRejected, get_form, load_forms, read_sheet
from integrity.rosters.archive import MAX_ENTRIES, MAX_ENTRY_BYTES, check_archive
from integrity.rosters.forms import DEFAULT_MAX_LENGTH
from tests.apps.test_registry_and_sampling import GOOD, registry_book
from tests.rosters.helpers import external_rows, filled


def _zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _messages(exc) -> str:
    return " ".join(p.message for p in exc.value.problems)


def test_a_zip_bomb_is_refused_before_it_is_parsed():
    bomb = _zip({"xl/worksheets/sheet1.xml": b"<x>" + b"0" * 120_000_000 + b"</x>"})  # 120 MB in ~120 KB
    assert len(bomb) < 1_000_000
    with pytest.raises(RosterRejected) as info:
        read_sheet(bomb, get_form("external"))
    assert "압축을 풀면" in _messages(info)


def test_a_highly_compressed_part_under_the_size_limit_is_refused_too():
    with pytest.raises(RosterRejected) as info:
        check_archive(_zip({"xl/worksheets/sheet1.xml": b"0" * 50_000_000}))
    assert "비정상적으로 압축된 파일" in _messages(info)


def test_too_many_parts_and_a_lying_directory_are_refused():
    with pytest.raises(RosterRejected) as info:
        check_archive(_zip({f"p{i}.xml": b"x" for i in range(MAX_ENTRIES + 1)}))
    assert "구성 파일이 너무 많습니다" in _messages(info)
    honest = bytearray(_zip({"xl/worksheets/sheet1.xml": b"<row/>" * 1000}, zipfile.ZIP_STORED))
    honest[honest.find(b"<row/>") + 2] ^= 0xFF  # content no longer matches the directory's checksum
    with pytest.raises(RosterRejected) as info:
        check_archive(bytes(honest))
    assert "손상" in _messages(info)


def test_a_real_large_roster_passes_the_archive_checks():
    data = filled("external", external_rows(5000))
    check_archive(data)
    assert max(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) < MAX_ENTRY_BYTES


class CountingInput(io.BytesIO):
    """A request body that remembers how much of it the server read."""

    read_bytes = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.read_bytes += len(line)
        return line


def _post_body(path: str, total: int, content_length: int | None):
    boundary = "XBOUNDARY"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"form_code\"\r\n\r\nexternal\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    body = CountingInput(head + b"0" * total + f"\r\n--{boundary}--\r\n".encode())
    request = RequestFactory().generic("POST", path, content_type=f"multipart/form-data; boundary={boundary}")
    request.META["wsgi.input"] = body
    request._stream = None
    request.META["CONTENT_LENGTH"] = str(content_length if content_length is not None else len(body.getvalue()))
    request.META["CONTENT_TYPE"] = f"multipart/form-data; boundary={boundary}"
    return request, body


@pytest.mark.parametrize("file_bytes", [20_000_000, 2_800_000])
def test_an_upload_over_the_limit_is_refused_without_reading_it_all(settings, users, registry, file_bytes):
    """20 MB: refused from its declared length, nothing read. 2.8 MB in a body whose
    length passes the first look: refused while it streams, at the limit. Either way
    the message says the limit in the unit it is enforced in."""
    from django.core.handlers.wsgi import WSGIRequest

    settings.INTEGRITY_MAX_UPLOAD_BYTES = 2_000_000
    path = reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk})
    factory_request, body = _post_body(path, file_bytes, None)
    request = WSGIRequest(factory_request.META | {"wsgi.input": body, "PATH_INFO": path, "REQUEST_METHOD": "POST"})
    request.user = users["admin"]
    from django.contrib.messages.storage.fallback import FallbackStorage

    request.session = __import__("django.contrib.sessions.backends.db", fromlist=["SessionStore"]).SessionStore()
    request._messages = FallbackStorage(request)
    from integrity.apps.rosters.views import upload

    response = upload(request, institution_id=registry["a"].pk)
    assert response.status_code == 302
    said = [str(m) for m in request._messages._queued_messages]
    assert said == ["파일이 너무 큽니다. 2 MB까지 올릴 수 있습니다"]
    assert body.read_bytes <= 2_000_000 + 300_000  # stopped at the limit (a chunk past it at most)
    if file_bytes > 3_000_000:
        assert body.read_bytes == 0  # refused from the declared length alone


def test_the_limit_is_said_in_the_unit_it_is_enforced(settings):
    from integrity.web.uploads import limit_text

    assert settings.INTEGRITY_MAX_UPLOAD_BYTES == 60_000_000 and limit_text() == "60 MB"


def test_full_width_phones_are_the_same_number_and_found_as_duplicates(client, users, registry):
    from integrity.apps.rosters.services import process_upload, start_upload

    rows = external_rows(60)
    rows[1]["phone"] = "０１０-２０００-００００"  # full-width digits and hyphen: row 2's number (010-2000-0000)
    rows[2]["phone"] = "010 – 2000 – 0000"  # spaces and an en dash
    task = registry["task_a"]
    upload = start_upload(users["admin"], registry["a"], "external", task, filled("external", rows), "명부.xlsx", None,
                          enqueue=False)
    process_upload(upload.pk)
    upload.refresh_from_db()
    duplicates = [p for p in upload.problems if "같은 전화번호가 2행에도 있습니다" in p["message"]]
    assert {p["row"] for p in duplicates} == {3, 4}


def test_text_longer_than_where_it_lands_is_refused_naming_row_and_column(users, registry):
    from integrity.apps.rosters.services import process_upload, start_upload

    rows = external_rows(60)
    rows[4]["office"] = "가" * 150  # 처리부서 lands in the invitation's office (100 characters)
    upload = start_upload(users["admin"], registry["a"], "external", registry["task_a"], filled("external", rows),
                          "명부.xlsx", None, enqueue=False)
    process_upload(upload.pk)
    upload.refresh_from_db()
    assert upload.status == "rejected"
    assert {"row": 6, "column": "처리부서", "message": "글자가 너무 깁니다 (최대 100자)"} in upload.problems


def test_a_long_institution_name_in_the_registry_is_a_row_error_not_a_crash(db):
    from integrity.apps.registry.models import AssessmentYear

    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    bad = [("0100001", "가" * 250, "중앙행정기관", 2500, None, None, None)]
    with pytest.raises(RegistryRejected) as info:
        import_registry(year, registry_book(bad), None, None)
    assert "2행 '기관명' 열: [기관] 글자가 너무 깁니다 (최대 200자)" in [str(p) for p in info.value.problems]
    assert not Institution.objects.exists()


# Where each uploaded column lands in the database: its limit may not exceed the column's.
def _landing():
    from integrity.apps.fieldwork.models import Invitation
    from integrity.apps.incidents.models import Case
    from integrity.apps.registry.models import LocalOffice, Officer, TargetTask

    field = lambda model, name: model._meta.get_field(name).max_length  # noqa: E731
    return {
        ("external", "office"): field(Invitation, "office"),
        ("disciplinary_4_1", "disposition"): field(Case, "disposition"),
        ("warnings_4_2", "disposition"): field(Case, "disposition"),
        ("audit_dispositions_4_4", "act_type"): field(Case, "act_type"),
        ("registry_institutions", "code"): field(Institution, "code"),
        ("registry_institutions", "name"): field(Institution, "name"),
        ("registry_institutions", "supervisor"): field(Institution, "code"),
        ("registry_institutions", "officer"): field(Officer, "name"),
        ("registry_tasks", "institution"): field(Institution, "code"),
        ("registry_tasks", "code"): field(TargetTask, "code"),
        ("registry_tasks", "name"): field(TargetTask, "name"),
        ("registry_offices", "institution"): field(Institution, "code"),
        ("registry_offices", "code"): field(LocalOffice, "code"),
        ("registry_offices", "name"): field(LocalOffice, "name"),
        ("registry_officers", "name"): field(Officer, "name"),
        ("registry_officers", "title"): field(Officer, "title"),
        ("registry_officers", "phone"): field(Officer, "phone"),
    }


def test_every_column_that_lands_in_a_bounded_field_is_checked_to_fit():
    for (form, key), db_limit in _landing().items():
        column = get_form(form).column(key)
        assert column is not None, (form, key)
        assert column.limit <= db_limit, f"{form}.{key}: checked up to {column.limit}, the database holds {db_limit}"
    for form in load_forms().values():  # and every other text column has a limit of its own
        for column in form.columns:
            assert column.limit <= DEFAULT_MAX_LENGTH


def test_a_registry_without_its_optional_sheets_names_them_as_missing(db):
    from integrity.apps.registry.models import AssessmentYear, TargetTask

    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    full = io.BytesIO(registry_book(GOOD))
    import openpyxl

    book = openpyxl.load_workbook(full)
    for name in ("업무", "지방관서", "담당자"):
        del book[name]
    only_institutions = io.BytesIO()
    book.save(only_institutions)
    bad = [r[:5] + (None, r[6]) for r in GOOD]  # no officer named: the officers sheet is gone
    book = openpyxl.load_workbook(io.BytesIO(registry_book(bad)))
    for name in ("업무", "지방관서", "담당자"):
        del book[name]
    data = io.BytesIO()
    book.save(data)
    summary = import_registry(year, data.getvalue(), None, None)
    assert summary.missing_sheets == ("업무", "지방관서", "담당자") and summary.tasks == 0
    assert not TargetTask.objects.exists()  # the 기관 sheet was not read again as 업무
