"""The evaluation panel's rules: conflict-free assignment of two evaluators and what two
independent scores decide (integrity.effort.panels)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.effort.panels import EXTERNAL, INTERNAL, AssignmentError, assign, decide_pair
from integrity.model import load_model


@st.composite
def panels(draw):
    evaluators = {f"e{n}": draw(st.sampled_from([INTERNAL, EXTERNAL])) for n in range(draw(st.integers(0, 8)))}
    institutions = [f"i{n}" for n in range(draw(st.integers(1, 25)))]
    pairs = [(e, i) for e in evaluators for i in institutions]
    ties = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs))) if pairs else set()
    return institutions, evaluators, ties


def _eligible(inst, evaluators, ties):
    return [e for e in evaluators if (e, inst) not in ties]


@settings(max_examples=300, deadline=None)
@given(panels())
def test_never_a_conflicted_pair_and_two_distinct_evaluators_when_possible(case):
    """Rule: an evaluator never scores an institution they declared a tie with; every
    institution gets exactly two distinct evaluators whenever two are free of conflict."""
    institutions, evaluators, ties = case
    possible = all(len(_eligible(i, evaluators, ties)) >= 2 for i in institutions)
    if not possible:
        with pytest.raises(AssignmentError):
            assign(institutions, evaluators, ties)
        return
    result = assign(institutions, evaluators, ties)
    assert set(result) == set(institutions)
    for inst, pair in result.items():
        assert len(pair) == 2 and len(set(pair)) == 2
        assert all((e, inst) not in ties for e in pair)
        assert all(e in evaluators for e in pair)


@settings(max_examples=200, deadline=None)
@given(panels())
def test_one_internal_and_one_external_whenever_both_kinds_are_free(case):
    """Rule: prefer one internal and one external evaluator if the panel allows."""
    institutions, evaluators, ties = case
    if not all(len(_eligible(i, evaluators, ties)) >= 2 for i in institutions):
        return
    for inst, pair in assign(institutions, evaluators, ties).items():
        kinds_free = {evaluators[e] for e in _eligible(inst, evaluators, ties)}
        if kinds_free == {INTERNAL, EXTERNAL}:
            assert {evaluators[e] for e in pair} == {INTERNAL, EXTERNAL}


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 9), st.integers(1, 60))
def test_load_is_balanced_within_one_without_ties(n_evaluators, n_institutions):
    """Rule: balance the load — with one kind and no ties, loads differ by at most one."""
    evaluators = {f"e{n}": INTERNAL for n in range(n_evaluators)}
    result = assign([f"i{n}" for n in range(n_institutions)], evaluators)
    load = {e: 0 for e in evaluators}
    for pair in result.values():
        for e in pair:
            load[e] += 1
    assert max(load.values()) - min(load.values()) <= 1


@settings(max_examples=150, deadline=None)
@given(panels(), st.data())
def test_valid_existing_assignments_are_kept_and_conflicted_ones_dropped(case, data):
    institutions, evaluators, ties = case
    if not all(len(_eligible(i, evaluators, ties)) >= 2 for i in institutions) or not evaluators:
        return
    existing = {i: data.draw(st.lists(st.sampled_from(sorted(evaluators)), max_size=2, unique=True)) for i in institutions}
    result = assign(institutions, evaluators, ties, existing=existing)
    for inst, kept in existing.items():
        valid = [e for e in kept if (e, inst) not in ties]
        assert set(valid) <= set(result[inst])
        assert all((e, inst) not in ties for e in result[inst])


def test_impossible_assignment_names_each_institution_in_korean():
    """Rule: a clear Korean error when two conflict-free evaluators cannot be found."""
    with pytest.raises(AssignmentError) as error:
        assign(["a", "b", "c"], {"e1": INTERNAL, "e2": EXTERNAL, "e3": EXTERNAL},
               {("e1", "a"), ("e2", "a"), ("e3", "b"), ("e2", "b")}, names={"a": "가람부", "b": "누리시"})
    assert error.value.problems == [
        "가람부: 이해충돌이 없는 평가위원이 1명뿐이라 두 명을 배정할 수 없습니다",
        "누리시: 이해충돌이 없는 평가위원이 1명뿐이라 두 명을 배정할 수 없습니다",
    ]


def test_scores_within_the_gap_are_averaged():
    """Rule: two scores within the gap decide their mean."""
    outcome = decide_pair(8.0, 6.4, 1.6)
    assert not outcome.reconcile and outcome.points == pytest.approx(7.2)
    assert decide_pair(4.8, 4.8, 0).points == 4.8


def test_scores_beyond_the_gap_go_to_reconciliation():
    """Rule: a difference beyond the gap goes to reconciliation (조정), no mean."""
    outcome = decide_pair(8.0, 4.8, 1.6)
    assert outcome.reconcile and outcome.points is None and outcome.difference == pytest.approx(3.2)


def test_the_2022_model_sets_the_gap_to_one_rubric_step():
    """The gap is data: effort.reconciliation_gap (share of an indicator's points)."""
    framework = load_model("2022").effort
    assert framework.reconciliation_gap == 0.2
    ind = framework.indicator("1.1")  # 8 points, five levels 8, 6.4, 4.8, ...
    a, b, c = ind.levels[:3]
    assert not decide_pair(a.points, b.points, framework.gap_points(ind)).reconcile  # adjacent levels: floating point exact
    assert decide_pair(a.points, c.points, framework.gap_points(ind)).reconcile


@pytest.mark.parametrize("gap", [1.5, -0.1, "한 단계"])
def test_a_bad_gap_is_refused_on_load(gap):
    import yaml

    from integrity.model.loader import MODELS_DIR, ModelError, parse_model

    data = yaml.safe_load((MODELS_DIR / "2022.yaml").read_text(encoding="utf-8"))
    data["effort"]["reconciliation_gap"] = gap
    with pytest.raises(ModelError, match="effort.reconciliation_gap"):
        parse_model(data)
