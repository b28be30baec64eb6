"""서식 3-3 former bodies and the internal-roster scope limits still missing
(국방부 ranks, district education offices), named after the rule."""

from datetime import date

import pytest

from integrity.model import load_model_text
from integrity.model.loader import ModelError, model_path
from integrity.rosters import RegisteredBody, RosterContext, check_upload, get_form
from tests.rosters.helpers import filled, staff_rows

REGISTRY = (
    RegisteredBody("0100001", "가람부", "central_1"),
    RegisteredBody("0100002", "나래청", "central_2"),
    RegisteredBody("0200001", "한빛광역시", "metropolitan"),
    RegisteredBody("0300001", "한빛시", "basic_city"),
    RegisteredBody("0300002", "누리군", "basic_county"),
    RegisteredBody("0400001", "한빛광역시교육청", "provincial_education"),
    RegisteredBody("0500001", "한국진흥원", "pso_1"),
    RegisteredBody("0600001", "중복청", "central_2"),
    RegisteredBody("0600002", "중복청", "central_2"),
)


def _ctx(m2017, **kw):
    names = {code: t.name for code, t in m2017.institution_types.items()}
    base = {"fieldwork": m2017.fieldwork, "family": "central", "type_code": "central_1", "staff": 500,
            "institution_code": "0100009", "institution_name": "다온부", "registry": REGISTRY, "type_names": names}
    return RosterContext(**(base | kw))


def _check(m2017, rows, form, **ctx):
    return check_upload(get_form(form), filled(form, rows), None, _ctx(m2017, **ctx))


def _messages(result):
    return [str(p) for p in result.problems]


def _transferred(n=1, **overrides):
    return [{"name": f"전입{i}", "previous_institution": "가람부", "transferred_on": date(2016, 2, 1),
             "phone": f"010-5000-{i:04d}", **overrides} for i in range(n)]


# --- 서식 3-3: the former body ---------------------------------------------------------

def test_transfer_period_the_last_two_years_only(m2017):
    rows = _transferred(3)
    rows[1]["transferred_on"] = date(2015, 6, 30)  # a day before the period
    rows[2]["transferred_on"] = date(2015, 7, 1)
    assert _messages(_check(m2017, rows, "transferred_3_3")) == [
        "3행 '전입일' 열: 전입 대상기간(2015-07-01~2017-06-30) 밖의 날짜입니다 (값: 2015-06-30)"
    ]


def test_contact_required_on_the_transferred_in_form(m2017):
    rows = _transferred(1, phone=None)
    assert "전화번호와 전자우편이 모두 비어 있습니다" in _messages(_check(m2017, rows, "transferred_3_3"))[0]


def test_former_body_is_resolved_by_name_or_code_and_written_back(m2017):
    rows = _transferred(3)
    rows[1] = rows[1] | {"previous_institution": None, "previous_code": "0200001"}
    rows[2] = rows[2] | {"previous_institution": "한빛광역시 교육청", "previous_code": "0400001"}  # spaces do not matter
    result = _check(m2017, rows, "transferred_3_3")
    assert result.accepted, _messages(result)
    assert result.entries["previous_code"].to_list() == ["0100001", "0200001", "0400001"]
    assert result.entries["previous_institution"].to_list() == ["가람부", "한빛광역시", "한빛광역시교육청"]


def test_unknown_former_body_is_refused_naming_row_and_column(m2017):
    rows = _transferred(2)
    rows[0]["previous_institution"] = "없는부"
    rows[1] = rows[1] | {"previous_institution": None, "previous_code": "9999999"}
    assert _messages(_check(m2017, rows, "transferred_3_3")) == [
        "2행 '이전 재직기관' 열: 올해 측정대상기관 등록부에 없는 기관입니다. 등록부의 기관명이나 기관코드로 적어 주세요 (값: 없는부)",
        "3행 '이전 재직기관 코드' 열: 올해 측정대상기관 등록부에 없는 기관코드입니다 (값: 9999999)",
    ]


def test_former_body_needs_a_name_or_code(m2017):
    rows = _transferred(1, previous_institution=None)
    assert _messages(_check(m2017, rows, "transferred_3_3")) == ["2행 '이전 재직기관' 열: 이전 재직기관의 기관명이나 기관코드를 적어 주세요"]


def test_former_body_code_and_name_must_agree(m2017):
    rows = _transferred(1, previous_code="0100002")
    assert "기관명과 기관코드가 서로 다른 기관입니다" in _messages(_check(m2017, rows, "transferred_3_3"))[0]


def test_ambiguous_former_body_name_asks_for_the_code(m2017):
    rows = _transferred(1, previous_institution="중복청")
    assert "이전 재직기관 코드를 적어 주세요" in _messages(_check(m2017, rows, "transferred_3_3"))[0]
    assert _check(m2017, _transferred(1, previous_institution="중복청", previous_code="0600002"), "transferred_3_3").accepted


def test_transfer_between_two_basic_local_governments_is_refused(m2017):
    rows = _transferred(2)
    rows[1]["previous_institution"] = "누리군"
    result = _check(m2017, rows, "transferred_3_3", family="local_government", type_code="basic_city",
                    institution_code="0300001", institution_name="한빛시")
    assert _messages(result) == [
        "3행 '이전 재직기관' 열: 기초자치단체에서 기초자치단체로 전입한 직원은 명부에서 빼고 작성합니다 (이전 재직기관: 누리군)"
    ]


def test_former_body_must_be_central_metropolitan_or_provincial_education(m2017):
    rows = _transferred(2)
    rows[0]["previous_institution"] = "한빛시"  # into a central body from a basic government
    rows[1]["previous_institution"] = "한국진흥원"  # from a public-service organisation
    messages = _messages(_check(m2017, rows, "transferred_3_3"))
    assert len(messages) == 2
    assert messages[0].startswith("2행 '이전 재직기관' 열: 중앙행정기관 Ⅰ유형·중앙행정기관 Ⅱ유형·광역자치단체·시·도교육청에서 전입한")
    assert "(이전 재직기관: 한국진흥원, 공직유관단체 Ⅰ유형)" in messages[1]


def test_former_body_cannot_be_the_current_body(m2017):
    rows = _transferred(1, previous_institution="가람부")
    assert "현 기관과 같습니다" in _messages(_check(m2017, rows, "transferred_3_3", institution_code="0100001"))[0]


def test_transfer_rules_are_validated_against_the_types_policy_groups():
    text = model_path("2017").read_text(encoding="utf-8").replace("    group: expert\n", "    group: parent\n", 1)
    with pytest.raises(ModelError, match="policy_groups"):
        load_model_text(text)


# --- internal scope: 국방부 ranks, district education offices --------------------------

def test_ministry_of_national_defense_lists_colonels_and_below_only(m2017):
    rows = staff_rows(500)
    rows[0]["grade"] = "준장"
    rows[1]["grade"] = "대령"
    rows[2]["grade"] = "소 장"
    result = _check(m2017, rows, "staff_2_1", institution_name="국방부")
    assert _messages(result) == [
        "2행 '직급' 열: 대령 이하만 명부에 올립니다: 준장 이상은 빼고 제출해 주세요 (값: 준장)",
        "4행 '직급' 열: 대령 이하만 명부에 올립니다: 준장 이상은 빼고 제출해 주세요 (값: 소 장)",
    ]
    assert _check(m2017, rows, "staff_2_1", institution_name="가람부").accepted  # ranks are 국방부's rule


def test_ministry_of_national_defense_is_found_by_a_listed_code_too(m2017):
    from dataclasses import replace

    military = replace(m2017.fieldwork.military, institution_codes=("1290000",))
    fieldwork = replace(m2017.fieldwork, military=military)
    rows = staff_rows(500)
    rows[0]["grade"] = "중장"
    result = _check(m2017, rows, "staff_2_1", fieldwork=fieldwork, institution_code="1290000", institution_name="국방본부")
    assert _messages(result) == ["2행 '직급' 열: 대령 이하만 명부에 올립니다: 준장 이상은 빼고 제출해 주세요 (값: 중장)"]


def test_district_education_office_headquarters_list_grade_4_and_below(m2017):
    rows = staff_rows(500)
    rows[0]["grade"] = "3급"  # headquarters of a district office: refused
    rows[1]["grade"] = "4급"
    rows[2] |= {"grade": "3급", "unit": "소속기관"}
    result = _check(m2017, rows, "staff_2_1", family="education", type_code="district_education")
    assert _messages(result) == [
        "2행 '직급' 열: 제출범위보다 높은 직급입니다: 4급 이하만 명부에 올립니다 (값: 3급)",
        "4행 '직급' 열: 제출범위보다 높은 직급입니다: 4급 이하만 명부에 올립니다 (값: 3급)",
    ]
    provincial = _check(m2017, rows, "staff_2_1", family="education", type_code="provincial_education")
    assert provincial.accepted and provincial.entries["exclusion_reason"].to_list()[:3] == [None, None, "제외: 제출범위보다 높은 직급"]


def test_scope_senior_rows_must_be_exclude_or_refuse():
    text = model_path("2017").read_text(encoding="utf-8").replace("senior_rows: refuse", "senior_rows: drop", 1)
    with pytest.raises(ModelError, match="senior_rows"):
        load_model_text(text)
