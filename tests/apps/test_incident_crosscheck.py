"""The commission's records file: imported all or nothing with Korean row/column messages,
names kept only encrypted, matched against the submitted lists, shown per institution;
an omission becomes a credibility case after confirmation, audited."""

import io
from datetime import date

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse

from integrity.apps.audit.models import AuditEntry
from integrity.apps.incidents.models import CommissionRecord, CredibilityCase, Finding, RecordImport
from integrity.apps.incidents.records import records_form
from tests.rosters.helpers import filled

HEADERS = ["기관코드", "성명", "직급", "부패행위 유형", "처분", "처분일"]


def _xlsx(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "처분자료"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    return "\n".join(",".join(str(v) for v in r) for r in [headers, *rows]).encode(encoding)


def _post(client, data: bytes, name="records.xlsx"):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("incidents:crosscheck_import"), {"file": handle, "password": ""})


@pytest.fixture
def submitted(client, registry, users):
    """가람부 submitted two dispositions on 서식 4-1."""
    rows = [
        {"name": "정하늘", "grade": "5급", "act_type": "금품·향응수수", "disposition": "정직 1월",
         "disposed_on": date(2017, 1, 5), "detected_by": "검찰·경찰"},
        {"name": "김바다", "grade": "7급", "act_type": "공금횡령·유용", "disposition": "견책",
         "disposed_on": date(2017, 2, 5), "detected_by": "감사원"},
    ]
    client.force_login(users["liaison_a"])
    data = io.BytesIO(filled("disciplinary_4_1", rows))
    data.name = "list.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": "disciplinary_4_1", "file": data, "password": ""})
    client.logout()


RECORDS = [
    ["0100001", "정하늘", "5급", "금품·향응수수", "정직1월", "2017-01-05"],  # matches (spacing aside)
    ["0100001", "김바다", "7급", "공금횡령·유용", "감봉 1월", "2017-02-05"],  # submitted as 견책: mismatch
    ["0100001", "이구름", "6급", "직권남용", "해임", "2017-03-10"],  # not submitted: omission
    ["0400001", "박들판", "7급", "부정청탁", "견책", "2017-04-01"],  # 누리시 submitted nothing: omission
]


def test_commission_records_are_matched_against_the_submitted_lists_per_institution(client, registry, users, submitted):
    client.force_login(users["admin"])
    assert _post(client, _xlsx(RECORDS)).status_code == 302
    found = {(f.institution.code, f.kind, f.act_type) for f in Finding.objects.select_related("institution")}
    assert found == {("0100001", "mismatch", "공금횡령·유용"), ("0100001", "omission", "직권남용"),
                     ("0400001", "omission", "부정청탁")}
    mismatch = Finding.objects.get(kind="mismatch")
    assert mismatch.detail == "처분: 제출 '견책' / 위원회 '감봉 1월'" and mismatch.submitted_row == "서식 4-1 3행"
    assert AuditEntry.objects.filter(action="crosscheck.records_imported").exists()
    assert AuditEntry.objects.filter(action="crosscheck.run").exists()


def test_extras_are_submissions_absent_from_the_records(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS[:1]))
    assert list(Finding.objects.values_list("kind", "disposition")) == [("extra", "견책")]


def test_commission_record_names_are_stored_only_encrypted(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS))
    record = CommissionRecord.objects.get(act_type="직권남용")
    assert "이구름".encode() not in bytes(record.name_enc) and "이구름" not in (record.name_key or "")
    assert not any("이구름" in f.key or "이구름" in f.detail for f in Finding.objects.all())


def test_records_file_with_bad_rows_is_refused_whole_naming_row_and_column(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS))
    before = list(CommissionRecord.objects.values_list("pk", flat=True))
    bad = [RECORDS[0], ["0100001", "홍", "5급", "뇌물", "정직", "2017-13-40"], ["9999999", "", "", "직권남용", "해임", "2017-03-10"]]
    response = _post(client, _xlsx(bad))
    page = response.content.decode()
    assert response.status_code == 400
    assert "3행 &#x27;부패행위 유형&#x27; 열" in page and "3행 &#x27;처분일&#x27; 열" in page
    assert list(CommissionRecord.objects.values_list("pk", flat=True)) == before  # the earlier import stands


def test_unknown_institution_code_is_named_by_row_and_column(client, registry, users):
    client.force_login(users["admin"])
    response = _post(client, _xlsx([["9999999", "", "", "직권남용", "해임", "2017-03-10"]]))
    assert response.status_code == 400
    assert "2행 &#x27;기관코드&#x27; 열: 2017년 등록부에 없는 기관코드입니다 (값: 9999999)" in response.content.decode()
    assert RecordImport.objects.count() == 0


def test_records_file_without_a_required_column_is_refused(client, registry, users):
    client.force_login(users["admin"])
    headers = ["기관코드", "성명", "직급", "부패행위 유형", "처분일"]
    response = _post(client, _xlsx([["0100001", "", "", "직권남용", "2017-03-10"]], headers=headers))
    assert response.status_code == 400 and "필수 열이 없습니다 (머리글 &#x27;처분&#x27;)" in response.content.decode()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949"])
def test_records_can_be_imported_from_csv(client, registry, users, submitted, encoding):
    client.force_login(users["admin"])
    assert _post(client, _csv(RECORDS, encoding=encoding), "records.csv").status_code == 302
    assert CommissionRecord.objects.count() == 4 and Finding.objects.filter(kind="omission").count() == 2


def test_records_form_headers_are_korean():
    assert [c.header for c in records_form().columns][:2] == ["기관코드", "기관명"]


def test_crosscheck_pages_are_for_administrators_and_analysts_only(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS))
    for role in ("liaison_a", "interviewer"):
        client.force_login(users[role])
        assert client.get(reverse("incidents:crosscheck")).status_code == 403
        assert _post(client, _xlsx(RECORDS)).status_code == 403
    client.force_login(users["analyst"])
    assert client.get(reverse("incidents:crosscheck")).status_code == 200
    assert _post(client, _xlsx(RECORDS)).status_code == 403
    finding = Finding.objects.filter(kind="omission").first()
    assert client.post(reverse("incidents:finding_open_case", args=[finding.pk]), {}).status_code == 403


def test_crosscheck_list_is_searchable_filterable_and_paged(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS))
    page = client.get(reverse("incidents:crosscheck")).content.decode()
    assert "2건 (전체 2건)" in page
    page = client.get(reverse("incidents:crosscheck"), {"q": "누리"}).content.decode()
    assert "1건 (전체 2건)" in page
    page = client.get(reverse("incidents:crosscheck"), {"found": "mismatch"}).content.decode()
    assert "1건 (전체 2건)" in page and "가람부" in page
    detail = client.get(reverse("incidents:crosscheck_institution", args=[registry["a"].pk]), {"kind": "omission"})
    assert "직권남용" in detail.content.decode() and "공금횡령" not in detail.content.decode()


def test_omission_becomes_a_credibility_case_after_confirmation(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS))
    finding = Finding.objects.get(kind="omission", act_type="직권남용")
    url = reverse("incidents:finding_open_case", args=[finding.pk])
    page = client.get(url).content.decode()
    assert 'value="incident_record_forgery" selected' in page and CredibilityCase.objects.count() == 0
    response = client.post(url, {"violation": "incident_record_forgery", "grade_down": "1", "void": "1",
                                 "note": "직권남용 해임 처분 고의 누락"})
    assert response.status_code == 302
    case = CredibilityCase.objects.get()
    assert (case.institution, case.violation, case.grade_down, case.void) == (registry["a"], "incident_record_forgery", 1, True)
    assert AuditEntry.objects.filter(action="credibility.opened_from_omission", target_id=str(case.pk)).exists()
    # rerunning keeps the decided finding and does not find it again
    client.post(reverse("incidents:crosscheck_rerun"))
    assert Finding.objects.filter(kind="omission", act_type="직권남용").count() == 1
    assert Finding.objects.get(kind="omission", act_type="직권남용").credibility_case == case


def test_only_omissions_become_credibility_cases(client, registry, users, submitted):
    client.force_login(users["admin"])
    _post(client, _xlsx(RECORDS))
    mismatch = Finding.objects.get(kind="mismatch")
    client.post(reverse("incidents:finding_open_case", args=[mismatch.pk]),
                {"violation": "incident_record_forgery", "grade_down": "1", "note": "x"})
    assert CredibilityCase.objects.count() == 0


def test_records_file_over_the_upload_limit_is_refused_and_nothing_stored(client, registry, users, settings):
    settings.INTEGRITY_MAX_UPLOAD_BYTES = 1_000
    client.force_login(users["admin"])
    response = _post(client, _xlsx(RECORDS * 50))
    assert response.status_code == 413 and "파일이 너무 큽니다" in response.content.decode()
    assert RecordImport.objects.count() == 0


def test_records_file_that_is_not_a_spreadsheet_is_refused_in_korean(client, registry, users):
    client.force_login(users["admin"])
    response = _post(client, b"%PDF-1.4 not a sheet", "records.xlsx")
    assert response.status_code == 400 and "엑셀(.xlsx) 파일이 아닙니다" in response.content.decode()
