"""Targets on the published measures: names from the model file, achieved from the result."""

import pytest

from integrity.programme.targets import (GRADE, SCORE, achieved, actual, check_target, measure_named, measures,
                                         value_key)


def test_measures_come_from_the_model_file_2022_grades_overall_perceived_and_effort(m2022):
    found = {m.code: m for m in measures(m2022)}
    assert found["overall"].name == m2022.overall_name and found["overall"].gradable
    assert found["perceived"].name == "청렴체감도" and found["perceived"].gradable
    assert found["effort"].name == "청렴노력도" and found["effort"].gradable
    assert not found["external"].gradable  # surveys are scored, not graded, in 2022+
    first_item = m2022.surveys[0].items[0]
    assert f"item:{first_item.code}" in found and not found[f"item:{first_item.code}"].gradable


def test_measures_2017_grade_only_the_overall_and_score_its_parts(m2017):
    found = {m.code: m for m in measures(m2017)}
    assert [c for c, m in found.items() if m.gradable] == ["overall"]
    assert {"external", "internal", "policy"} <= set(found)
    assert found["external"].name == "외부청렴도"


def test_where_a_result_stores_each_measure(m2022):
    assert value_key(m2022, "overall") == "overall"
    assert value_key(m2022, "effort") == "input_effort"
    assert value_key(m2022, "perceived") == "score_perceived"
    assert value_key(m2022, "item:X1") == "item_X1"


@pytest.mark.parametrize(("kind", "target", "value", "expected"), [
    (GRADE, 1, 1, True), (GRADE, 2, 1, True), (GRADE, 2, 3, False),  # a better (smaller) grade meets it
    (SCORE, 8.5, 8.5, True), (SCORE, 8.5, 8.49, False), (GRADE, 1, None, None),  # no result: not judged
])
def test_target_achieved_rule_grade_or_better_score_or_more(kind, target, value, expected):
    assert achieved(kind, target, value) is expected


def test_actual_reads_the_grade_or_the_score_of_the_result(m2022):
    result = {"overall": 81.2, "grade": 2, "score_perceived": 79.0, "grade_perceived": 3, "input_effort": 88.0}
    assert actual(m2022, "overall", GRADE, result) == 2
    assert actual(m2022, "perceived", GRADE, result) == 3
    assert actual(m2022, "effort", SCORE, result) == 88.0
    assert actual(m2022, "effort", GRADE, result) is None and actual(m2022, "overall", SCORE, None) is None


def test_a_target_is_refused_with_a_korean_reason(m2017):
    assert "등급이 매겨지지" in check_target(m2017, "external", GRADE, 1)
    assert "1부터 5까지" in check_target(m2017, "overall", GRADE, 6)
    assert "점수는 0점부터 10점" in check_target(m2017, "overall", SCORE, 11)
    assert "측정모형에 없는" in check_target(m2017, "nope", SCORE, 5)
    assert check_target(m2017, "overall", GRADE, 1) is None and measure_named(m2017, "overall").name == "종합청렴도"
