"""Input that cannot exhaust the server or slip past the checks: archives that inflate
too far, bodies over the limit (not even read), full-width and other look-alike text,
values longer than where they land, sheets that are missing."""

import io
import zipfile

import pytest
from django.test import Client
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


def _post_through_the_stack(client, path: str, file_bytes: int):
    """POST a file of ``file_bytes`` as a browser does (CSRF token first), through every
    middleware, from a body that counts what was read of it."""
    client.get(reverse("registry:import"))  # a page with an upload form gives the CSRF cookie
    token = client.cookies["csrftoken"].value
    boundary = "XBOUNDARY"
    head = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                   for k, v in {"csrfmiddlewaretoken": token, "form_code": "external", "year": ""}.items())
    head += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n")
    body = CountingInput(head.encode() + b"0" * file_bytes + f"\r\n--{boundary}--\r\n".encode())
    environ = client._base_environ(
        PATH_INFO=path, REQUEST_METHOD="POST", CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body.getvalue())), **{"wsgi.input": body})
    return client.handler(environ), body


@pytest.mark.parametrize("file_bytes", [20_000_000, 2_050_000])
@pytest.mark.parametrize("view", ["rosters:upload", "registry:import"])
def test_an_upload_over_the_limit_is_refused_without_reading_it_all(settings, users, registry, view, file_bytes):
    """20 MB: refused from its declared length, nothing of the body read (and not a CSRF
    failure: the token in the body was never looked for). 2.05 MB, whose length passes
    the first look: refused while it streams, at the limit. Either way a Korean page
    says the limit in the unit it is enforced in."""
    settings.INTEGRITY_MAX_UPLOAD_BYTES = 2_000_000
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    kwargs = {"institution_id": registry["a"].pk} if view == "rosters:upload" else {}
    response, body = _post_through_the_stack(client, reverse(view, kwargs=kwargs), file_bytes)
    assert response.status_code == 413
    assert "파일이 너무 큽니다. 2 MB까지 올릴 수 있습니다" in response.content.decode()
    assert body.read_bytes <= 2_000_000 + 300_000  # stopped at the limit (a chunk past it at most)
    if file_bytes > 3_000_000:
        assert body.read_bytes == 0  # refused from the declared length alone
    from integrity.apps.rosters.models import RosterUpload

    assert not RosterUpload.objects.exists()


def test_an_upload_within_the_limit_goes_through_the_same_stack(settings, users, registry):
    settings.INTEGRITY_MAX_UPLOAD_BYTES = 2_000_000
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    response, body = _post_through_the_stack(client, reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                                             1_000)
    assert response.status_code == 302 and body.read_bytes == len(body.getvalue())


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


def test_a_liaison_address_longer_than_a_user_name_is_a_row_error(db):
    """The address becomes the liaison's user name (150 characters): a longer one used to
    pass the e-mail check and fail the import on PostgreSQL."""
    from django.contrib.auth import get_user_model

    from integrity.apps.registry.models import AssessmentYear

    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    address = "a" * 150 + "@korea.kr"
    bad = [("0100001", "가람부", "중앙행정기관", 2500, None, None, address)]
    with pytest.raises(RegistryRejected) as info:
        import_registry(year, registry_book(bad), None, None)
    assert "2행 '기관 담당자 전자우편' 열: [기관] 글자가 너무 깁니다 (최대 150자)" in [str(p) for p in info.value.problems]
    assert not get_user_model().objects.filter(username=address).exists()


# Where each uploaded column lands in the database: its limit may not exceed the column's.
def _landing():
    from django.contrib.auth import get_user_model

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
        ("registry_institutions", "region"): field(Institution, "region"),
        ("registry_institutions", "officer"): field(Officer, "name"),
        ("registry_institutions", "liaison_email"): min(field(get_user_model(), "username"), field(get_user_model(), "email")),
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


# Choice columns whose chosen text lands in a bounded field (the choices must fit).
def _chosen_landing():
    from integrity.apps.incidents.models import Case

    field = lambda model, name: model._meta.get_field(name).max_length  # noqa: E731
    return {
        ("disciplinary_4_1", "act_type"): field(Case, "act_type"),
        ("warnings_4_2", "act_type"): field(Case, "act_type"),
        ("audit_dispositions_4_4", "kind"): field(Case, "disposition"),
    }


def test_every_column_that_lands_in_a_bounded_field_is_checked_to_fit():
    landing = _landing()
    for (form, key), db_limit in landing.items():
        column = get_form(form).column(key)
        assert column is not None, (form, key)
        assert column.limit <= db_limit, f"{form}.{key}: checked up to {column.limit}, the database holds {db_limit}"
    for (form, key), db_limit in _chosen_landing().items():
        column = get_form(form).column(key)
        assert column.type == "choice" and max(len(c) for c in column.allowed) <= db_limit, (form, key)
    for form in load_forms().values():  # every other column has a limit of its own, and a
        for column in form.columns:     # declared one is there because of where it lands
            assert column.limit <= DEFAULT_MAX_LENGTH
            if column.max_length is not None:
                assert (form.code, column.key) in landing, f"{form.code}.{column.key}: max_length without a landing test"


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


def test_a_registry_without_its_institutions_sheet_says_which_sheet_is_missing(db):
    import openpyxl

    from integrity.apps.registry.models import AssessmentYear

    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    book = openpyxl.load_workbook(io.BytesIO(registry_book(GOOD)))
    book["기관"].title = "기관목록"  # renamed: in a workbook of several forms it is not guessed
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(RegistryRejected) as info:
        import_registry(year, data.getvalue(), None, None)
    assert any(p.startswith("[기관] '기관' 시트가 없습니다") for p in map(str, info.value.problems))
    assert not Institution.objects.exists()
