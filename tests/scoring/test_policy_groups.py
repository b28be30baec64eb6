"""Residents and parents in the policy-customer score: pooled by default (every
respondent alike), or with the group weights the model file gives."""

import dataclasses

import pytest

from integrity.model.loader import ModelError, parse_model
from tests.helpers import best_answers, block, institutions, row, score, worst_answers

METRO = institutions(("M", "metropolitan"))


def _rows(model, experts: int, residents: int) -> list[dict]:
    rows = block(model, "M", "external", 1) + block(model, "M", "internal", 1)
    rows += block(model, "M", "policy", experts, best_answers(model, "policy"), group="expert")
    rows += block(model, "M", "policy", residents, worst_answers(model, "policy"), group="resident")
    return rows


def _weighted(model, weights):
    return dataclasses.replace(model, policy_customers=dataclasses.replace(model.policy_customers, group_weights=weights))


def test_residents_answers_count_in_the_policy_score_pooled_by_default(m2017):
    assert m2017.policy_customers.group_weights is None
    # 3 experts at 10, 1 resident at 0: every respondent alike -> 7.5
    assert row(score(m2017, METRO, _rows(m2017, 3, 1)), "M")["score_policy"] == pytest.approx(7.5)


def test_group_weights_from_the_model_give_each_group_its_share_of_the_policy_score(m2017):
    model = _weighted(m2017, {"expert": 1.0, "stakeholder": 1.0, "resident": 1.0, "parent": 1.0})
    # experts and residents answered: half each, whatever their numbers -> 5.0
    assert row(score(model, METRO, _rows(model, 3, 1)), "M")["score_policy"] == pytest.approx(5.0)
    model = _weighted(m2017, {"expert": 3.0, "stakeholder": 1.0, "resident": 1.0, "parent": 1.0})
    assert row(score(model, METRO, _rows(model, 1, 5)), "M")["score_policy"] == pytest.approx(7.5)


def test_group_weights_leave_other_surveys_and_single_group_bodies_unchanged(m2017):
    model = _weighted(m2017, {"expert": 3.0, "resident": 1.0})
    pooled = row(score(m2017, METRO, _rows(m2017, 2, 0)), "M")
    weighted = row(score(model, METRO, _rows(model, 2, 0)), "M")
    assert weighted["score_policy"] == pytest.approx(pooled["score_policy"])
    assert weighted["score_external"] == pytest.approx(pooled["score_external"])
    assert weighted["n_policy"] == pooled["n_policy"] == 2


def test_model_file_sample_sizes_and_group_weights_are_validated(m2017):
    import yaml

    data = yaml.safe_load(m2017.text)
    data["policy_customers"]["groups"]["resident"]["sample_size"] = 0
    data["policy_customers"]["group_weights"] = {"citizen": 1, "expert": -1}
    with pytest.raises(ModelError) as err:
        parse_model(data)
    text = str(err.value)
    assert "policy_customers.groups.resident.sample_size" in text
    assert "policy_customers.group_weights.citizen" in text and "policy_customers.group_weights.expert" in text
    del data["policy_customers"]["groups"]["parent"]
    data["policy_customers"]["groups"]["resident"]["sample_size"] = 5
    data["policy_customers"]["group_weights"] = None
    with pytest.raises(ModelError, match="parent"):
        parse_model(data)


def test_the_types_that_poll_residents_and_parents_are_data_in_the_model(m2017):
    polling = {code: t.policy_groups for code, t in m2017.institution_types.items()
               if {"resident", "parent"} & set(t.policy_groups)}
    assert polling == {"metropolitan": ("expert", "stakeholder", "resident"),
                       "provincial_education": ("expert", "stakeholder", "parent")}
    assert m2017.policy_customers.groups["resident"].sample_size == 200
    assert m2017.policy_customers.age_bands == ("19~29세", "30대", "40대", "50대", "60세 이상")
