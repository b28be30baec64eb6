"""The 청렴노력도 framework in the model file: validated on load, faults named by key path."""

import pytest
import yaml

from integrity.model import ModelError, parse_model
from integrity.model.loader import model_path


@pytest.fixture
def raw2022():
    return yaml.safe_load(model_path("2022").read_text(encoding="utf-8"))


def _problems(data) -> list[str]:
    with pytest.raises(ModelError) as info:
        parse_model(data, source="broken.yaml")
    return info.value.problems


def _indicator(raw, code):
    return next(i for a in raw["effort"]["areas"] for i in a["indicators"] if i["code"] == code)


def test_2022_model_has_an_effort_framework_feeding_its_entered_input(m2022):
    assert m2022.effort.input == "effort" and m2022.effort.total == 100
    assert [a.name for a in m2022.effort.areas][:2] == ["반부패 추진체계 구축", "정책 투명성·신뢰성 제고"]
    assert m2022.effort.submission_deadline.isoformat() == "2022-10-31"
    assert all(i.evidence for i in m2022.effort.indicators)


def test_2017_model_has_no_effort_framework(m2017):
    assert m2017.effort is None


def test_indicator_points_must_sum_to_the_stated_total(raw2022):
    _indicator(raw2022, "1.1")["points"] = 9
    assert any(p.startswith("effort.areas") and "합(101)" in p for p in _problems(raw2022))


def test_unknown_indicator_kind_is_rejected(raw2022):
    _indicator(raw2022, "1.1")["kind"] = "guess"
    assert any("알 수 없는 지표 종류 'guess'" in p for p in _problems(raw2022))


def test_thresholds_must_be_in_ascending_order(raw2022):
    _indicator(raw2022, "3.1")["thresholds"] = [[0, 0], [70, 6], [50, 4]]
    assert any(p.startswith("effort.areas[risk].indicators[3.1].thresholds") and "차례로" in p for p in _problems(raw2022))


def test_threshold_points_cannot_exceed_the_indicator_points(raw2022):
    _indicator(raw2022, "3.1")["thresholds"] = [[0, 0], [100, 11]]
    assert any("0~10 사이" in p for p in _problems(raw2022))


def test_linear_indicator_needs_different_floor_and_target(raw2022):
    _indicator(raw2022, "2.1")["target"] = 50
    assert any("floor와 target이 같으면" in p for p in _problems(raw2022))


def test_qualitative_indicator_needs_a_known_rubric(raw2022):
    _indicator(raw2022, "1.1")["rubric"] = "nowhere"
    assert any("rubric" in p for p in _problems(raw2022))


def test_own_rubric_levels_must_top_at_the_indicator_points(raw2022):
    ind = _indicator(raw2022, "1.1")
    del ind["rubric"]
    ind["levels"] = [{"code": "A", "name": "좋음", "points": 7}, {"code": "B", "name": "나쁨", "points": 2}]
    assert any("배점(8)과 같아야" in p for p in _problems(raw2022))


def test_rubric_levels_must_descend(raw2022):
    raw2022["effort"]["rubrics"]["five_levels"][1]["share"] = 1.0
    assert any("높은 점수부터" in p for p in _problems(raw2022))


def test_bonus_indicator_needs_a_cap(raw2022):
    del _indicator(raw2022, "7.1")["cap"]
    assert any(p == "effort.areas[bonus].indicators[7.1].cap: 필수 항목이 없습니다" for p in _problems(raw2022))


def test_effort_must_feed_a_declared_input(raw2022):
    raw2022["effort"]["input"] = "nothing"
    assert any("inputs에 없는 입력 점수" in p for p in _problems(raw2022))


def test_duplicate_indicator_codes_are_rejected(raw2022):
    _indicator(raw2022, "1.2")["code"] = "1.1"
    assert any("지표 코드 '1.1'가 중복" in p for p in _problems(raw2022))


def test_survey_indicators_name_likert_items_of_a_survey_of_the_model(raw2022, m2022):
    assert m2022.effort.indicator("4.2").survey == "internal"
    assert m2022.effort.indicator("4.2").survey_items == ("I01", "I06")
    _indicator(raw2022, "4.2")["items"] = ["I01", "I99", "I08"]
    problems = _problems(raw2022)
    assert any("'I99'" in p and "없는 문항" in p for p in problems)
    assert any("'I08'" in p and "리커트 문항이 아닙니다" in p for p in problems)
    _indicator(raw2022, "4.2")["survey"] = "staff"
    assert any("surveys에 없는 설문 'staff'" in p for p in _problems(raw2022))


def test_the_objection_window_is_a_number_of_days_in_the_model_file(raw2022, m2022):
    assert m2022.effort.objection_days == 7
    raw2022["effort"]["objection_days"] = 0
    assert any(p.startswith("effort.objection_days") for p in _problems(raw2022))
