"""Model files: both years load; a broken file is rejected naming the key path."""

import copy

import pytest
import yaml

from integrity.model import ModelError, load_model, parse_model
from integrity.model.loader import model_path


@pytest.fixture
def raw2017():
    return yaml.safe_load(model_path("2017").read_text(encoding="utf-8"))


def _problems(data) -> list[str]:
    with pytest.raises(ModelError) as info:
        parse_model(data, source="broken.yaml")
    return info.value.problems


def test_2017_model_has_the_plan_structure(m2017):
    counts = {s.code: len(s.items) for s in m2017.surveys}
    assert counts == {"external": 17, "internal": 33, "policy": 13}
    ext = m2017.survey("external").root
    assert [(c.code, c.weight) for c in ext.children] == [("ext_corruption", 0.638), ("ext_risk", 0.362)]
    assert [i.code for i in m2017.survey("external").items] == [f"E{n:02d}" for n in range(1, 18)]
    assert [i.code for i in m2017.survey("internal").items] == [f"I{n:02d}" for n in range(1, 34)]
    assert [i.code for i in m2017.survey("policy").items] == [f"P{n:02d}" for n in range(1, 14)]
    assert {i.code: i.pool_into for i in m2017.survey("internal").pooled_items} == {"X1": "E13", "X2": "P13"}


def test_every_item_has_korean_question_text(m2017, m2022):
    for model in (m2017, m2022):
        for item in model.items.values():
            assert item.text.endswith("?") and any("가" <= ch <= "힣" for ch in item.text), item.code


def test_policy_customer_evaluation_only_for_the_types_the_plan_names(m2017):
    with_policy = {t for t in m2017.institution_types if "policy" in m2017.required_surveys(t)}
    assert with_policy == {"central_1", "central_2", "metropolitan", "provincial_education", "pso_1", "pso_2"}


def test_2022_model_uses_composites_and_an_entered_input(m2022):
    assert m2022.scale_max == 100
    assert [len(s.items) for s in m2022.surveys] == [9, 9]
    assert m2022.required_inputs("central_1") == ("effort",)
    assert m2022.required_surveys("central_1") == ("external", "internal")


def test_missing_file_names_the_builtin_models():
    with pytest.raises(ModelError, match="2017, 2022"):
        load_model("/nonexistent/model.yaml")


def test_weights_not_summing_to_one_are_rejected_with_their_path(raw2017):
    raw2017["surveys"][0]["tree"][0]["weight"] = 0.7
    assert any(p.startswith("surveys[external].children") and "가중치의 합" in p for p in _problems(raw2017))


def test_overall_weight_set_not_summing_to_one(raw2017):
    raw2017["overall"]["weight_sets"]["with_policy"]["policy"] = 0.2
    assert any(p.startswith("overall.weight_sets.with_policy") for p in _problems(raw2017))


def test_unknown_gate_item_is_rejected(raw2017):
    raw2017["surveys"][0]["tree"][0]["children"][1]["items"][0]["gate"] = "E99"
    assert any("E05.gate" in p and "E99" in p for p in _problems(raw2017))


def test_pooled_item_into_unknown_item_is_rejected(raw2017):
    raw2017["surveys"][1]["pooled_items"][0]["into"] = "E77"
    assert any("X1.into" in p for p in _problems(raw2017))


def test_duplicate_item_code_is_rejected(raw2017):
    raw2017["surveys"][0]["tree"][0]["children"][0]["items"][1]["code"] = "E01"
    assert any("'E01'가 중복" in p for p in _problems(raw2017))


def test_missing_answer_code_is_rejected(raw2017):
    raw2017["answer_types"]["yes_no"]["yes_code"] = 3
    assert "answer_types.yes_no.yes_code: 응답 코드 3가 codes에 없습니다" in _problems(raw2017)


def test_frequency_code_without_counted_value_is_rejected(raw2017):
    del raw2017["answer_types"]["frequency"]["values"][4]
    assert any(p.startswith("answer_types.frequency.values") and "4" in p for p in _problems(raw2017))


def test_unknown_answer_type_is_rejected(raw2017):
    raw2017["surveys"][2]["tree"][0]["items"][0]["answer"] = "likert5"
    assert any(p == "surveys[policy].children[pol_perception].items[P01].answer: 정의되지 않은 응답 유형 'likert5'"
               for p in _problems(raw2017))


def test_misspelt_key_is_rejected(raw2017):
    item = raw2017["surveys"][0]["tree"][0]["children"][0]["items"][0]
    item["polarty"] = item.pop("polarity")
    problems = _problems(raw2017)
    assert any("items[E01].polarty" in p and "알 수 없는 키" in p for p in problems)
    assert any("items[E01].polarity" in p for p in problems)


def test_type_with_unknown_weight_set_is_rejected(raw2017):
    raw2017["institution_types"][0]["weight_set"] = "nonexistent"
    assert any("institution_types[central_1].weight_set" in p for p in _problems(raw2017))


def test_grade_cut_points_must_descend(raw2017):
    raw2017["grading"]["cut_points"] = [0.5, 1.5, -0.5, -1.5]
    assert any(p.startswith("grading.cut_points") for p in _problems(raw2017))


def test_all_problems_are_reported_at_once(raw2017):
    broken = copy.deepcopy(raw2017)
    broken["surveys"][0]["tree"][0]["weight"] = 0.7
    broken["answer_types"]["yes_no"]["yes_code"] = 3
    assert len(_problems(broken)) >= 2


def test_yaml_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nsurveys: [\n", encoding="utf-8")
    with pytest.raises(ModelError, match="YAML 문법 오류 \\(3행"):
        load_model(bad)


def test_uncertainty_needs_at_least_500_replicates(raw2017):
    raw2017["uncertainty"]["replicates"] = 100
    assert any(p.startswith("uncertainty.replicates") and "500" in p for p in _problems(raw2017))


def test_uncertainty_strata_name_response_columns_of_known_surveys(raw2017):
    raw2017["uncertainty"]["strata"] = {"external": ["taks"], "outer": ["task"]}
    problems = _problems(raw2017)
    assert any(p.startswith("uncertainty.strata.external") for p in problems)
    assert any(p.startswith("uncertainty.strata.outer") for p in problems)


def test_post_stratification_is_a_switch_off_by_default_in_2017(m2017, raw2017):
    assert m2017.weighting.post_stratify is False
    assert m2017.uncertainty.replicates >= 500 and m2017.uncertainty.strata["external"] == ("task",)
    raw2017["weighting"] = {"post_stratify": "yes"}
    assert any(p.startswith("weighting.post_stratify") for p in _problems(raw2017))


# --- District education offices measured within their provincial office (seed 002, I.5) ---

def _district(raw):
    return next(t for t in raw["institution_types"] if t["code"] == "district_education")


def test_district_offices_are_measured_within_provincial_offices_with_the_10_5_3_rotation(m2017):
    district = m2017.institution_types["district_education"]
    assert district.measured_within == "provincial_education"
    rule = district.rotation
    assert (rule.cycle_from, rule.all_below, rule.cycle_years, rule.middle) == (10, 5, 3, "all")
    assert m2017.institution_types["provincial_education"].measured_within is None


def test_rotation_defaults_apply_when_only_the_parent_type_is_named(raw2017):
    del _district(raw2017)["rotation"]
    rule = parse_model(raw2017).institution_types["district_education"].rotation
    assert (rule.cycle_from, rule.all_below, rule.cycle_years, rule.middle) == (10, 5, 3, "all")


def test_measured_within_an_unknown_type_is_rejected(raw2017):
    _district(raw2017)["measured_within"] = "provincial_educaton"
    assert any("institution_types[district_education].measured_within" in p and "provincial_educaton" in p
               for p in _problems(raw2017))


def test_a_parent_type_measured_within_another_type_is_rejected(raw2017):
    next(t for t in raw2017["institution_types"] if t["code"] == "provincial_education")["measured_within"] = "metropolitan"
    assert any("district_education].measured_within" in p and "상급 유형이 될 수 없습니다" in p for p in _problems(raw2017))


def test_rotation_without_a_parent_type_is_rejected(raw2017):
    del _district(raw2017)["measured_within"]
    assert any("district_education].rotation" in p for p in _problems(raw2017))


def test_rotation_all_below_above_cycle_from_is_rejected(raw2017):
    _district(raw2017)["rotation"]["all_below"] = 12
    assert any("rotation" in p and "all_below(12)" in p for p in _problems(raw2017))


@pytest.mark.parametrize("key,value", [("cycle_years", 1), ("cycle_from", 0), ("middle", "half"), ("cycle_from", "ten"),
                                       ("cylce_years", 3)])
def test_bad_rotation_values_are_rejected_with_their_path(raw2017, key, value):
    _district(raw2017)["rotation"][key] = value
    assert any("district_education].rotation" in p for p in _problems(raw2017))


def test_mobile_delivery_is_sms_or_messenger_and_2022_sends_by_messenger(raw2017, m2017, m2022):
    assert m2017.fieldwork.mobile_delivery == "sms" and m2022.fieldwork.mobile_delivery == "messenger"
    broken = copy.deepcopy(raw2017)
    broken["fieldwork"]["mobile_delivery"] = "pigeon"
    assert any(p.startswith("fieldwork.mobile_delivery") for p in _problems(broken))


def test_2022_model_grades_overall_perceived_and_effort_side_by_side(m2022):
    assert m2022.grade_measures == ("overall", "perceived", "effort")


def test_graded_measures_must_be_known_scores_listed_once_after_overall():
    raw = yaml.safe_load(model_path("2022").read_text(encoding="utf-8"))
    raw["grading"]["measures"] = ["perceived", "effort", "effort", "nonexistent"]
    problems = _problems(raw)
    assert any(p.startswith("grading.measures") and "overall" in p for p in problems)
    assert any(p.startswith("grading.measures") and "두 번" in p for p in problems)
    assert any(p.startswith("grading.measures.nonexistent") for p in problems)
