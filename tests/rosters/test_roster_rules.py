"""Roster validation rules (실시계획 III) and bad files, named after the rule."""

import io
from datetime import date

import openpyxl
import pytest

from integrity.rosters import RosterContext, RosterRejected, check_upload, get_form
from tests.rosters.helpers import encrypt, external_rows, filled, staff_rows

EXTERNAL = get_form("external")
STAFF = get_form("staff_2_1")


def _ctx(m2017, **kw):
    base = {"fieldwork": m2017.fieldwork, "family": "central", "staff": 500, "quota": 5}
    return RosterContext(**(base | kw))


def _check(m2017, rows, form="external", password=None, **ctx):
    data = filled(form, rows)
    if password:
        data = encrypt(data, password)
    return check_upload(get_form(form), data, password, _ctx(m2017, **ctx))


def _messages(result):
    return [str(p) for p in result.problems]


# --- reading ------------------------------------------------------------------------

def test_a_clean_external_roster_is_accepted_with_phones_in_one_canonical_form(m2017):
    rows = external_rows(50)
    rows[0]["phone"] = "01020000000"  # same person typed without dashes elsewhere? no: row 0 only
    result = _check(m2017, rows)
    assert result.accepted, _messages(result)
    assert result.entries["phone"][0] == "+821020000000"
    assert result.entries["__row"].to_list()[:2] == [2, 3]


def test_password_protected_file_is_read_with_its_password(m2017):
    result = _check(m2017, external_rows(50), password="비밀1234")
    assert result.accepted and result.entries.height == 50
    assert result.notices == []


def test_unencrypted_file_is_accepted_with_a_notice(m2017):
    assert "암호가 걸려 있지 않은 파일입니다" in _check(m2017, external_rows(50)).notices[0]


def test_wrong_password(m2017):
    data = encrypt(filled("external", external_rows(3)), "right")
    with pytest.raises(RosterRejected, match="비밀번호가 맞지 않습니다"):
        check_upload(EXTERNAL, data, "wrong", _ctx(m2017))


def test_encrypted_without_a_password(m2017):
    data = encrypt(filled("external", external_rows(3)), "right")
    with pytest.raises(RosterRejected, match="암호가 걸린 파일입니다"):
        check_upload(EXTERNAL, data, None, _ctx(m2017))


def test_not_an_excel_file(m2017):
    with pytest.raises(RosterRejected, match="엑셀\\(.xlsx\\) 파일이 아닙니다"):
        check_upload(EXTERNAL, b"name,phone\n", None, _ctx(m2017))


def _edited(rows, edit) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(filled("external", rows)))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_missing_sheet(m2017):
    def rename(book):
        book["명부"].title = "Sheet1"
        book.create_sheet("Sheet2")
    with pytest.raises(RosterRejected, match="'명부' 시트가 없습니다 \\(파일의 시트: Sheet1, 작성요령, Sheet2\\)"):
        check_upload(EXTERNAL, _edited(external_rows(3), rename), None, _ctx(m2017))


def test_missing_column_is_named(m2017):
    def drop(book):
        book["명부"].delete_cols(4)  # 업무처리일
    with pytest.raises(RosterRejected) as info:
        check_upload(EXTERNAL, _edited(external_rows(3), drop), None, _ctx(m2017))
    assert [str(p) for p in info.value.problems] == ["1행 '업무처리일' 열: 필수 열이 없습니다 (머리글 '업무처리일')"]


def test_merged_header_cells(m2017):
    with pytest.raises(RosterRejected, match="병합된 셀이 있습니다 \\(A1:B1\\)"):
        check_upload(EXTERNAL, _edited(external_rows(3), lambda b: b["명부"].merge_cells("A1:B1")), None, _ctx(m2017))


def test_formulas_are_refused_naming_the_cell(m2017):
    def formula(book):
        book["명부"]["I3"] = '=CONCAT("a","b")'
    with pytest.raises(RosterRejected, match="수식이 들어 있는 셀이 있습니다 \\(I3\\)"):
        check_upload(EXTERNAL, _edited(external_rows(3), formula), None, _ctx(m2017))


def test_100000_blank_rows_are_skipped_quickly(m2017):
    def blanks(book):
        sheet = book["명부"]
        sheet.cell(100_060, 9, "")  # formatting far below: Excel's 'used range' grows
        for r in range(60, 100_060, 1000):
            sheet.cell(r, 1).number_format = "@"
    result = check_upload(EXTERNAL, _edited(external_rows(50), blanks), None, _ctx(m2017))
    assert result.accepted and result.entries.height == 50


def test_dates_typed_as_text_are_read_when_unambiguous(m2017):
    rows = external_rows(50)
    rows[0]["experienced_on"] = "2017.03.05"
    rows[1]["experienced_on"] = "20170306"
    rows[2]["experienced_on"] = "3/5/17"
    result = _check(m2017, rows)
    assert _messages(result) == ["4행 '업무처리일' 열: 날짜를 읽을 수 없습니다. 2017-03-15처럼 적어 주세요 (값: 3/5/17)"]


def test_example_row_left_in_is_refused(m2017):
    data = filled("external", external_rows(50), keep_example=True)
    result = check_upload(EXTERNAL, data, None, _ctx(m2017))
    assert _messages(result) == ["2행: 서식의 예시 행입니다. 지우고 제출해 주세요"]


# --- external rules ---------------------------------------------------------------------

def test_experience_must_be_within_the_measurement_period(m2017):
    rows = external_rows(50)
    rows[3]["experienced_on"] = date(2017, 7, 1)
    assert _messages(_check(m2017, rows)) == [
        "5행 '업무처리일' 열: 측정대상기간(2016-07-01~2017-06-30) 밖의 날짜입니다 (값: 2017-07-01)"
    ]


def test_phone_or_email_is_required_and_checked(m2017):
    rows = external_rows(50)
    rows[0]["phone"] = None
    rows[1]["phone"] = "010-12"
    rows[2]["phone"], rows[2]["email"] = None, "hong@example"
    assert _messages(_check(m2017, rows)) == [
        "2행 '휴대전화' 열: 전화번호와 전자우편이 모두 비어 있습니다 (하나는 있어야 조사할 수 있습니다)",
        "3행 '휴대전화' 열: 전화번호 형식이 맞지 않습니다 (예: 010-1234-5678)",
        "4행 '전자우편' 열: 전자우편 주소 형식이 맞지 않습니다 (예: hong@example.com)",
    ]


def test_phone_typed_as_a_number_keeps_its_meaning(m2017):
    rows = external_rows(50)
    rows[0]["phone"] = 1020009999  # Excel dropped the leading zero
    result = _check(m2017, rows)
    assert result.accepted and result.entries["phone"][0] == "+821020009999"


def test_duplicate_phones_after_normalisation_are_named_with_the_first_row(m2017):
    rows = external_rows(50)
    rows[10]["phone"] = "010 2000 0003"  # the same number as row 5, written differently
    assert _messages(_check(m2017, rows)) == ["12행 '휴대전화' 열: 같은 전화번호가 5행에도 있습니다"]


def test_duplicates_across_tasks_are_refused(m2017):
    result = _check(m2017, external_rows(50), other_phones=frozenset({"+821020000007"}))
    assert _messages(result) == ["9행 '휴대전화' 열: 이 기관의 다른 명부(다른 업무)에 같은 전화번호가 있습니다"]


def test_litigants_need_evidence_and_are_excluded(m2017):
    rows = external_rows(52)
    rows[0]["litigant"] = "예"
    rows[1] |= {"litigant": "예", "evidence": "행정심판 2017-123"}
    result = _check(m2017, rows)
    assert _messages(result) == [
        "2행 '증빙자료' 열: 소송 진행 중이면 증빙자료를 적어야 합니다 (증빙이 있어야 조사 대상에서 제외됩니다)"
    ]
    rows[0]["evidence"] = "소장 사본"
    result = _check(m2017, rows)
    assert result.accepted and result.excluded_count == 2
    assert result.entries["exclusion_reason"][1] == "소송 진행(증빙 제출)"


def test_roster_must_be_ten_times_the_quota_after_exclusions(m2017):
    rows = external_rows(50)
    rows[0] |= {"litigant": "예", "evidence": "소장"}
    assert _messages(_check(m2017, rows, quota=5)) == [
        "명부 인원이 부족합니다: 조사규모 5명의 10배인 50명 이상이어야 합니다 (조사 대상 49명, 제외 1명). "
        "처리 건수가 적은 업무라면 담당자에게 전수조사 지정을 요청하세요"
    ]
    assert _check(m2017, rows, quota=5, census=True).accepted


def test_sublisting_needs_an_agreement_and_matching_months(m2017):
    rows = external_rows(50)  # all in January (odd month)
    refused = _check(m2017, rows, sublisting="odd_months")
    assert "협의된 업무만" in _messages(refused)[0]
    assert _check(m2017, rows, sublisting="odd_months", sublisting_agreed=True).accepted
    even = _check(m2017, rows, sublisting="even_months", sublisting_agreed=True)
    assert len(even.problems) == 50 and "부분 제출(짝수월)에 해당하지 않는 날짜" in _messages(even)[0]


# --- internal rules ------------------------------------------------------------------

def test_internal_exclusions_head_senior_grades_short_tenure_audit_office(m2017):
    rows = staff_rows(500)
    rows[0]["position"] = "기관장"
    rows[1]["grade"] = "고위공무원 나급"
    rows[2]["grade"] = "2급"
    rows[3]["hired_on"] = date(2016, 9, 1)  # < 1 year on 2017-06-30
    rows[4]["audit_office"] = "예"
    rows[5]["status"] = "파견"
    rows[6]["grade"] = "3급"  # central: grade 3 and below stay
    rows[7]["employment"] = "비정규직"  # non-regular with >= 1 year stays
    result = _check(m2017, rows, form="staff_2_1", family="central", staff=500)
    assert result.accepted, _messages(result)
    reasons = result.entries["exclusion_reason"].to_list()[:8]
    assert reasons == ["제외: 기관장·임원 등 직위", "제외: 고위공무원", "제외: 제출범위보다 높은 직급", "제외: 근무 1년 미만",
                       "제외: 감사부서 직원", None, None, None]
    assert result.entries["flag"][5] == "파견"


def test_basic_local_government_lists_grade_4_and_below(m2017):
    rows = staff_rows(500)
    rows[0]["grade"] = "3급"
    rows[1]["grade"] = "4급"
    result = _check(m2017, rows, form="staff_2_1", family="local_government", type_code="basic_city", staff=500)
    assert result.entries["exclusion_reason"].to_list()[:2] == ["제외: 제출범위보다 높은 직급", None]


def test_whole_staff_list_when_1000_or_fewer(m2017):
    result = _check(m2017, staff_rows(300), form="staff_2_1", staff=900)
    assert _messages(result) == ["직원 1,000명 이하 기관은 전 직원 명부를 내야 합니다 (정원 900명, 제출 300명)"]
    assert _check(m2017, staff_rows(760), form="staff_2_1", staff=900).accepted


def test_larger_bodies_submit_about_the_k_table_list_size(m2017):
    result = _check(m2017, staff_rows(300), form="staff_2_1", staff=2500)
    assert "약 1,000명을 제출합니다 (제출 300명)" in _messages(result)[0] and "k=3" in _messages(result)[0]


def test_self_detected_incidents_are_excluded(m2017):
    row = {"name": "정하늘", "grade": "6급", "act_type": "금품·향응수수", "disposition": "견책",
           "disposed_on": date(2017, 1, 5), "detected_by": "자체적발"}
    late = row | {"detected_by": "감사원", "disposed_on": date(2017, 8, 1)}
    result = _check(m2017, [row, row | {"detected_by": "감사원"}, late], form="disciplinary_4_1")
    assert result.accepted
    assert result.entries["exclusion_reason"].to_list() == [
        "자체 적발 사건은 반영하지 않음", None, "처분 대상기간(2016-07-01~2017-06-30) 밖"
    ]


def test_choice_columns_name_the_allowed_values(m2017):
    rows = staff_rows(500)
    rows[0]["employment"] = "계약직"
    assert _messages(_check(m2017, rows, form="staff_2_1")) == [
        "2행 '고용형태' 열: 허용되지 않는 값입니다 (허용: 정규직, 비정규직) (값: 계약직)"
    ]


def test_pii_values_are_not_echoed_in_messages(m2017):
    rows = external_rows(50)
    rows[0]["phone"] = "010-99"
    message = _messages(_check(m2017, rows))[0]
    assert "010-99" not in message


def test_metropolitan_headquarters_list_grade_3_and_below(m2017):
    rows = staff_rows(500)
    rows[0]["grade"] = "3급"  # HQ: stays
    rows[1] |= {"grade": "3급", "unit": "소속기관"}  # affiliate: grade 4 and below only
    result = _check(m2017, rows, form="staff_2_1", family="local_government", type_code="metropolitan", staff=500)
    assert result.entries["exclusion_reason"].to_list()[:2] == [None, "제외: 제출범위보다 높은 직급"]
