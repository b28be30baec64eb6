"""DOMAIN.md "Scoring rules and defaults (2017 model)", one test per rule, hand-computed."""

import math

import numpy as np
import polars as pl
import pytest

from integrity.scoring import round_half_up
from integrity.scoring.deductions import DEDUCTION_COLUMNS
from integrity.scoring.grading import apply_downgrades, grade_within_types, grades_from_z, rank_within_types
from tests.helpers import best_answers, block, institutions, row, score, worst_answers

ONE_BODY = institutions(("A", "basic_city"))


def _with(model, survey, **answers):
    return {**best_answers(model, survey), **answers}


def _score_item(model, survey, item, answers, inst=ONE_BODY):
    """Score of ``item`` for body A with one questionnaire per answer dict."""
    rows = [{"institution": "A", "survey": survey, **_with(model, survey, **a)} for a in answers]
    other = "internal" if survey == "external" else "external"
    rows += block(model, "A", other, 1)
    return row(score(model, inst, rows), "A")[f"item_{item}"]


# --- Likert polarity -------------------------------------------------------------------

def test_likert_negative_item_scores_x_minus_1_over_6(m2017):
    # E01 (특혜) is negative: 2 -> 1/6*10, 3 -> 2/6*10; mean = 2.5
    assert _score_item(m2017, "external", "E01", [{"E01": 2}, {"E01": 3}]) == pytest.approx(2.5)


def test_likert_positive_item_scores_7_minus_x_over_6(m2017):
    # E14 (공개성) is positive: 2 -> 5/6*10 = 8.333...
    assert _score_item(m2017, "external", "E14", [{"E14": 2}]) == pytest.approx(50 / 6)


def test_positive_items_are_exactly_those_listed_in_domain(m2017):
    positive = {i.code for i in m2017.items.values() if i.polarity == "positive"}
    assert positive == {"E14", "E15", "E16", "I01", "I07", "I08", "I09", "P06", "P10", "P11", "P12"}


# --- Direct experience conversions -------------------------------------------------------

def test_rate_item_is_ten_times_one_minus_share_over_ceiling(m2017):
    # 1 "yes" in 20 -> share 0.05 -> 10 * (1 - 0.05 / 0.10) = 5.0
    answers = [{"E07": 1, "E05": 1, "E06": 1}] + [{}] * 19
    assert _score_item(m2017, "external", "E07", answers) == pytest.approx(5.0)


def test_rate_item_is_clamped_at_zero(m2017):
    # 3 in 20 = 0.15 > ceiling 0.10 -> 0, not negative
    answers = [{"E07": 1, "E05": 1, "E06": 1}] * 3 + [{}] * 17
    assert _score_item(m2017, "external", "E07", answers) == 0.0


def test_frequency_item_uses_counted_values_and_mean_over_all_respondents(m2017):
    # code 3 = "3-5 times" counts 4; 4 / 20 respondents = 0.2 -> 10 * (1 - 0.2 / 0.5) = 6.0
    answers = [{"E07": 1, "E05": 3, "E06": 1}] + [{}] * 19
    assert _score_item(m2017, "external", "E05", answers) == pytest.approx(6.0)


def test_amount_item_uses_krw_values(m2017):
    # code 2 = 300,000 KRW; 300,000 / 20 = 15,000 -> 10 * (1 - 15,000 / 100,000) = 8.5
    answers = [{"E07": 1, "E05": 1, "E06": 2}] + [{}] * 19
    assert _score_item(m2017, "external", "E06", answers) == pytest.approx(8.5)


def test_amount_item_is_clamped_at_zero(m2017):
    # code 5 = 5,000,000 KRW; / 20 = 250,000 > ceiling -> 0
    answers = [{"E07": 1, "E05": 1, "E06": 5}] + [{}] * 19
    assert _score_item(m2017, "external", "E06", answers) == 0.0


# --- Blank answers -------------------------------------------------------------------

def test_blank_likert_answer_is_left_out_of_the_denominator(m2017):
    # answers 1 (-> 0), blank, 7 (-> 10): mean over the two answers = 5.0
    assert _score_item(m2017, "external", "E01", [{"E01": 1}, {"E01": None}, {"E01": 7}]) == pytest.approx(5.0)


def test_blank_frequency_after_no_counts_as_zero(m2017):
    # 19 said "no" (frequency skipped -> 0), 1 said yes with once: 1 / 20 = 0.05 -> 9.0
    answers = [{"E07": 1, "E05": 1, "E06": 1}] + [{"E07": 2, "E05": None}] * 19
    assert _score_item(m2017, "external", "E05", answers) == pytest.approx(10 * (1 - 0.05 / 0.5))


def test_blank_frequency_after_yes_is_not_answered(m2017):
    # 2 yes (one answered once, one blank), 18 no: counted 1 over 19 answers
    answers = [{"E07": 1, "E05": 1, "E06": 1}, {"E07": 1, "E05": None, "E06": 1}] + [{}] * 18
    assert _score_item(m2017, "external", "E05", answers) == pytest.approx(10 * (1 - (1 / 19) / 0.5))


def test_item_nobody_answered_is_left_out_and_siblings_reweighted(m2017):
    # E01 blank everywhere: ext_perception is the mean of E02-E04 only
    rows = [{"institution": "A", "survey": "external", **_with(m2017, "external", E01=None, E02=1)}]
    rows += block(m2017, "A", "internal", 1)
    r = row(score(m2017, ONE_BODY, rows), "A")
    assert r["item_E01"] is None
    assert r["score_ext_perception"] == pytest.approx((0 + 10 + 10) / 3)


# --- Tree weights ---------------------------------------------------------------------

def test_equal_item_default_weights_and_given_index_weights(m2017):
    # perception items all worst (0), everything else best (10).
    worst_perception = {c: 1 for c in ("E01", "E02", "E03", "E04")}
    rows = [{"institution": "A", "survey": "external", **_with(m2017, "external", **worst_perception)}]
    rows += block(m2017, "A", "internal", 1)
    r = row(score(m2017, ONE_BODY, rows), "A")
    # areas weighted by item count: (4*0 + 8*10 + 1*10) / 13
    assert r["score_ext_corruption"] == pytest.approx(90 / 13)
    assert r["score_ext_risk"] == pytest.approx(10.0)
    assert r["score_external"] == pytest.approx(0.638 * 90 / 13 + 0.362 * 10)


def _worst_internal_without_pooled(model):
    # X1 "yes" would pool into the external E13; keep the external side perfect
    return {**worst_answers(model, "internal"), "X1": 2, "X2": None}


def test_two_survey_weights_for_a_body_without_policy_customers(m2017):
    rows = block(m2017, "A", "external", 2) + block(m2017, "A", "internal", 2, _worst_internal_without_pooled(m2017))
    r = row(score(m2017, ONE_BODY, rows), "A")
    assert r["score_external"] == 10.0 and r["score_internal"] == 0.0
    assert r["overall"] == pytest.approx(0.763 * 10)


def test_three_survey_weights_for_a_body_with_policy_customers(m2017):
    inst = institutions(("C", "central_1"))
    rows = (
        block(m2017, "C", "external", 2)
        + block(m2017, "C", "internal", 2, _worst_internal_without_pooled(m2017))
        + block(m2017, "C", "policy", 2)
    )
    r = row(score(m2017, inst, rows), "C")
    assert r["overall"] == pytest.approx(0.601 * 10 + 0.250 * 0 + 0.149 * 10)


# --- Deductions -----------------------------------------------------------------------

def _deductions(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in DEDUCTION_COLUMNS} for r in rows], schema=DEDUCTION_COLUMNS)


def _full_marks(model, code="A"):
    return block(model, code, "external", 2) + block(model, code, "internal", 2)


def test_incident_points_are_subtracted_from_survey_and_overall(m2017):
    ded = _deductions(
        {"institution": "A", "kind": "incident", "category": "external", "points": 0.3},
        {"institution": "A", "kind": "incident", "category": "internal", "points": 0.2},
        {"institution": "A", "kind": "credibility", "violation": "favourable_answer_request", "points": 0.1},
    )
    r = row(score(m2017, ONE_BODY, _full_marks(m2017), ded), "A")
    assert r["external_reported"] == pytest.approx(9.7)
    assert r["internal_reported"] == pytest.approx(9.8)
    assert r["overall"] == pytest.approx(10 - 0.3 - 0.2 - 0.1)
    assert r["credibility_points"] == pytest.approx(0.1)


def test_incident_formula_position_amount_people_detection(m2017):
    # senior 0.30 + amount 8,000,000 (band >= 5,000,000: 0.10) + 2 extra people x 0.03 = 0.46
    ded = _deductions({"institution": "A", "kind": "incident", "category": "external",
                       "position": "senior", "amount": 8_000_000, "people": 3, "detection": "press"})
    r = row(score(m2017, ONE_BODY, _full_marks(m2017), ded), "A")
    assert r["incident_external_points"] == pytest.approx(0.46)


def test_committee_points_override_the_formula(m2017):
    ded = _deductions({"institution": "A", "kind": "incident", "category": "internal", "points": 0.68,
                       "position": "junior", "amount": 0, "people": 1})
    r = row(score(m2017, ONE_BODY, _full_marks(m2017), ded), "A")
    assert r["incident_internal_points"] == pytest.approx(0.68)


def test_incident_cap_scales_external_and_internal_in_proportion(m2017):
    ded = _deductions(
        {"institution": "A", "kind": "incident", "category": "external", "points": 0.9},
        {"institution": "A", "kind": "incident", "category": "internal", "points": 0.6},
    )
    r = row(score(m2017, ONE_BODY, _full_marks(m2017), ded), "A")
    assert r["incident_external_points"] == pytest.approx(0.6)  # 0.9 * 1.0 / 1.5
    assert r["incident_internal_points"] == pytest.approx(0.4)
    assert r["overall"] == pytest.approx(10 - 1.0)


def test_overall_is_clamped_at_zero(m2017):
    rows = block(m2017, "A", "external", 1, worst_answers(m2017, "external"))
    rows += block(m2017, "A", "internal", 1, worst_answers(m2017, "internal"))
    ded = _deductions({"institution": "A", "kind": "incident", "category": "external", "points": 0.5})
    r = row(score(m2017, ONE_BODY, rows, ded), "A")
    assert r["overall_before_deductions"] == 0.0
    assert r["overall"] == 0.0
    assert r["external_reported"] == 0.0


def test_publication_rounds_half_up_to_two_decimals():
    values = np.array([7.945, 7.944999, 2.675, 8.125, 0.005])
    assert round_half_up(values, 2).tolist() == [7.95, 7.94, 2.68, 8.13, 0.01]


def test_ranking_and_grading_use_full_precision_not_the_published_value():
    scores = np.array([7.9449, 7.9451, 7.0, 9.0])
    ranks = rank_within_types(scores, np.array(["t"] * 4), np.ones(4, bool), scale=10)
    assert ranks.tolist() == [3, 2, 4, 1]  # 7.9449 and 7.9451 both publish as 7.94 yet rank apart


# --- Grades ---------------------------------------------------------------------------

def test_grade_cut_points_are_inclusive_at_the_lower_bound():
    z = np.array([1.5, 1.4999, 0.5, 0.4999, -0.5, -0.5001, -1.5, -1.5001])
    assert grades_from_z(z, (1.5, 0.5, -0.5, -1.5)).tolist() == [1, 2, 2, 3, 3, 4, 4, 5]


def test_grades_use_z_with_population_sd_within_each_type():
    scores = np.array([0.0] * 9 + [10.0])  # mean 1, population SD 3: z(10) = 3, z(0) = -1/3
    grades = grade_within_types(scores, np.array(["t"] * 10), np.ones(10, bool), (1.5, 0.5, -0.5, -1.5), 3, scale=10)
    assert grades.tolist() == [3.0] * 9 + [1.0]


def test_grades_are_computed_separately_per_type():
    scores = np.array([1.0, 2.0, 3.0, 7.0, 8.0, 9.0])
    types = np.array(["a"] * 3 + ["b"] * 3)
    grades = grade_within_types(scores, types, np.ones(6, bool), (1.5, 0.5, -0.5, -1.5), 3, scale=10)
    # each type: z = -1.2247, 0, 1.2247 -> grades 4, 3, 2, whatever the other type's level
    assert grades.tolist() == [4, 3, 2, 4, 3, 2]


def test_equal_scores_get_equal_grades_and_ranks():
    scores = np.array([9.0, 8.0, 8.0, 5.0, 5.0])
    types = np.array(["t"] * 5)
    grades = grade_within_types(scores, types, np.ones(5, bool), (1.5, 0.5, -0.5, -1.5), 3, scale=10)
    assert grades[1] == grades[2] and grades[3] == grades[4]
    assert rank_within_types(scores, types, np.ones(5, bool), scale=10).tolist() == [1, 2, 2, 4, 4]


def test_type_with_fewer_than_three_bodies_gets_grade_three():
    grades = grade_within_types(np.array([1.0, 9.0]), np.array(["t", "t"]), np.ones(2, bool), (1.5, 0.5, -0.5, -1.5), 3, scale=10)
    assert grades.tolist() == [3, 3]


def test_type_with_zero_spread_gets_grade_three():
    grades = grade_within_types(np.full(4, 7.5), np.array(["t"] * 4), np.ones(4, bool), (1.5, 0.5, -0.5, -1.5), 3, scale=10)
    assert grades.tolist() == [3] * 4


# Grades exactly at the cut points, and float noise: tests/scoring/test_grading.py


def test_downgrade_never_goes_past_the_last_grade():
    assert apply_downgrades(np.array([1.0, 4.0, np.nan]), np.array([1, 2, 1]), 5)[:2].tolist() == [2, 5]


def _type_of_five(model):
    inst = institutions(*[(c, "basic_city") for c in "ABCDE"])
    rows = []
    for code, worst_items in zip("ABCDE", (0, 2, 4, 6, 30)):
        answers = best_answers(model, "internal")
        for item in model.survey("internal").items[:worst_items]:
            answers[item.code] = worst_answers(model, "internal")[item.code]
        rows += block(model, code, "external", 1) + block(model, code, "internal", 1, answers)
    return inst, rows


def test_sanction_lowers_the_grade_after_grading(m2017):
    inst, rows = _type_of_five(m2017)
    ded = _deductions({"institution": "A", "kind": "credibility", "violation": "critic_blacklisting", "grade_down": 2})
    result = score(m2017, inst, rows, ded)
    a = row(result, "A")
    assert a["grade"] == a["grade_before_sanctions"] + 2
    plain = score(m2017, inst, rows)
    # the other bodies' grades are untouched: a downgrade is not a lower score
    for code in "BCDE":
        assert row(result, code)["grade"] == row(plain, code)["grade"]


def test_voided_body_has_no_grade_and_is_left_out_of_mean_and_sd(m2017):
    inst, rows = _type_of_five(m2017)
    ded = _deductions({"institution": "E", "kind": "credibility", "violation": "organised_coaching",
                       "void": True, "note": "공문 배포"})
    result = score(m2017, inst, rows, ded)
    e = row(result, "E")
    assert e["status"] == "voided" and e["grade"] is None and e["rank_in_type"] is None
    assert "공문 배포" in e["reason"]
    scored = result.institutions.filter(pl.col("status") == "scored")
    overall = scored["overall"].to_numpy()
    z = (overall - overall.mean()) / overall.std()
    assert scored["grade"].to_list() == grades_from_z(z, m2017.grade_cut_points).tolist()
    assert set(scored["graded_in_type"].to_list()) == {4}


def test_body_missing_a_required_survey_is_not_scored_with_the_reason(m2017):
    inst = institutions(("A", "basic_city"), ("C", "central_1"))
    rows = block(m2017, "A", "external", 3) + block(m2017, "C", "external", 3) + block(m2017, "C", "internal", 3)
    result = score(m2017, inst, rows)
    a, c = row(result, "A"), row(result, "C")
    assert a["status"] == "not_scored" and a["reason"] == "내부청렴도 응답 없음"
    assert a["overall"] is None and a["grade"] is None
    assert c["status"] == "not_scored" and c["reason"] == "정책고객평가 응답 없음"


# --- Breakdowns -----------------------------------------------------------------------

def test_external_tasks_are_pooled_and_also_reported_per_task(m2017):
    worst = worst_answers(m2017, "external")
    rows = block(m2017, "A", "external", 3, task="T1") + block(m2017, "A", "external", 1, worst, task="T2")
    rows += block(m2017, "A", "internal", 1)
    result = score(m2017, ONE_BODY, rows)
    tasks = result.breakdown.filter(pl.col("unit_kind") == "task").sort("unit")
    assert tasks["unit"].to_list() == ["T1", "T2"]
    assert tasks["score"].to_list() == [10.0, 0.0]
    assert row(result, "A")["n_external"] == 4


def test_office_scores_need_at_least_30_responses(m2017):
    rows = block(m2017, "A", "external", 30, office="O1") + block(m2017, "A", "external", 29, office="O2")
    rows += block(m2017, "A", "internal", 1)
    offices = score(m2017, ONE_BODY, rows).breakdown.filter(pl.col("unit_kind") == "office").sort("unit")
    assert offices["responses"].to_list() == [30, 29]
    assert offices["status"].to_list() == ["scored", "too_few_responses"]
    assert offices["score"].to_list() == [10.0, None]


# --- Pooling --------------------------------------------------------------------------

def test_x1_is_pooled_with_e13_of_the_same_body(m2017):
    rows = block(m2017, "A", "external", 10)  # E13 "no" x 10
    rows += block(m2017, "A", "internal", 10, _with(m2017, "internal", X1=1))  # X1 "yes" x 10
    r = row(score(m2017, ONE_BODY, rows), "A")
    assert r["item_E13"] == pytest.approx(5.0)  # 10 "no" out of 20
    assert r["n_external"] == 10  # pooled answers do not count as external questionnaires


def test_x2_is_pooled_with_p13_of_the_supervisor(m2017):
    inst = institutions(("M", "metropolitan"), ("B", "basic_city", "M"))
    rows = block(m2017, "M", "external", 1) + block(m2017, "M", "internal", 1) + block(m2017, "M", "policy", 3)
    rows += block(m2017, "B", "external", 1) + block(m2017, "B", "internal", 1, _with(m2017, "internal", X2=1))
    r = row(score(m2017, inst, rows), "M")
    assert r["item_P13"] == pytest.approx(7.5)  # 3 "no" + 1 "yes"


def test_x2_is_ignored_for_a_supervisor_without_policy_customers(m2017):
    inst = institutions(("S", "basic_city"), ("B", "basic_city", "S"))
    rows = block(m2017, "S", "external", 1) + block(m2017, "S", "internal", 1)
    rows += block(m2017, "B", "external", 1) + block(m2017, "B", "internal", 1, _with(m2017, "internal", X2=1))
    result = score(m2017, inst, rows)
    assert row(result, "S")["score_policy"] is None
    assert row(result, "S")["overall"] == pytest.approx(10.0)


def test_x2_counts_only_for_the_types_the_model_asks(m2017):
    # central_2 is not among X2's types: its staff's X2 answers must not reach its supervisor
    inst = institutions(("C", "central_1"), ("D", "central_2", "C"))
    rows = block(m2017, "C", "external", 1) + block(m2017, "C", "internal", 1) + block(m2017, "C", "policy", 1)
    rows += block(m2017, "D", "external", 1) + block(m2017, "D", "internal", 1, _with(m2017, "internal", X2=1))
    rows += block(m2017, "D", "policy", 1)
    assert row(score(m2017, inst, rows), "C")["item_P13"] == 10.0


def test_scores_stay_on_the_model_scale_2022(m2022):
    inst = institutions(("A", "basic_city")).with_columns(pl.lit(80.0).alias("effort"))
    rows = block(m2022, "A", "external", 2) + block(m2022, "A", "internal", 2)
    r = row(score(m2022, inst, rows), "A")
    assert r["score_perceived"] == pytest.approx(100.0)
    assert r["overall"] == pytest.approx(0.6 * 100 + 0.4 * 80)
    assert math.isclose(r["overall_published"], 92.0)


def test_2022_body_without_effort_score_is_not_scored(m2022):
    inst = institutions(("A", "basic_city"))
    rows = block(m2022, "A", "external", 2) + block(m2022, "A", "internal", 2)
    r = row(score(m2022, inst, rows), "A")
    assert r["status"] == "not_scored" and r["reason"] == "청렴노력도 점수 없음"
