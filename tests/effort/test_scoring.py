"""청렴노력도 scoring rules (integrity.effort), on the 2022 model's example framework."""

import dataclasses

import pytest

from integrity.effort import IndicatorResult, indicator_points, score_institution
from integrity.model import load_model


@pytest.fixture(scope="module")
def framework():
    return load_model("2022").effort


def _full(framework, **overrides):
    """Every indicator at its best, then the overrides (code with '.' written as '_')."""
    results = {}
    for ind in framework.indicators:
        if ind.kind == "quantitative":
            results[ind.code] = IndicatorResult(figure=max(ind.target or 0, ind.floor or 0, *(t[0] for t in ind.thresholds)))
        elif ind.kind == "qualitative":
            results[ind.code] = IndicatorResult(level=ind.levels[0].code)
        elif ind.kind == "survey":
            results[ind.code] = IndicatorResult(value=100)
        else:
            results[ind.code] = IndicatorResult(figure=0)
    results.update({k.replace("_", "."): v for k, v in overrides.items()})
    return results


def test_points_of_the_example_framework_sum_to_100(framework):
    assert framework.total == 100
    assert sum(a.points for a in framework.areas) == 100
    assert {i.kind for i in framework.indicators} == {"quantitative", "qualitative", "survey", "bonus"}


def test_every_indicator_at_its_best_scores_the_total(framework):
    score = score_institution(framework, _full(framework))
    assert score.complete and score.total == pytest.approx(100)
    assert score.areas["risk"] == pytest.approx(30)


def test_quantitative_indicator_is_linear_between_floor_and_target(framework):
    ind = framework.indicator("2.1")  # floor 50 %, target 95 %, 8 points
    assert indicator_points(ind, IndicatorResult(figure=50)) == 0
    assert indicator_points(ind, IndicatorResult(figure=72.5)) == pytest.approx(4)
    assert indicator_points(ind, IndicatorResult(figure=95)) == pytest.approx(8)


def test_quantitative_linear_indicator_is_clamped_outside_floor_and_target(framework):
    ind = framework.indicator("2.1")
    assert indicator_points(ind, IndicatorResult(figure=10)) == 0
    assert indicator_points(ind, IndicatorResult(figure=120)) == pytest.approx(8)


def test_linear_indicator_with_floor_above_target_rewards_lower_figures(framework):
    ind = dataclasses.replace(framework.indicator("2.1"), floor=10, target=0)
    assert indicator_points(ind, IndicatorResult(figure=0)) == pytest.approx(8)
    assert indicator_points(ind, IndicatorResult(figure=5)) == pytest.approx(4)
    assert indicator_points(ind, IndicatorResult(figure=12)) == 0


def test_quantitative_threshold_indicator_earns_the_highest_band_reached(framework):
    ind = framework.indicator("3.1")  # [0,0] [50,4] [70,6] [85,8] [100,10]
    assert indicator_points(ind, IndicatorResult(figure=49.9)) == 0
    assert indicator_points(ind, IndicatorResult(figure=70)) == 6
    assert indicator_points(ind, IndicatorResult(figure=99)) == 8
    assert indicator_points(ind, IndicatorResult(figure=100)) == 10


def test_qualitative_indicator_earns_the_points_of_the_chosen_rubric_level(framework):
    ind = framework.indicator("3.2")  # 12 points, five levels as shares
    assert [lv.points for lv in ind.levels] == pytest.approx([12, 9.6, 7.2, 4.8, 2.4])
    assert indicator_points(ind, IndicatorResult(level="C")) == pytest.approx(7.2)
    assert indicator_points(ind, IndicatorResult(level="Z")) is None


def test_survey_indicator_scales_the_entered_survey_score(framework):
    ind = framework.indicator("5.2")  # 7 points
    assert indicator_points(ind, IndicatorResult(value=80)) == pytest.approx(5.6)


def test_bonus_points_are_capped(framework):
    ind = framework.indicator("7.1")  # 2 points an activity, cap 10
    assert indicator_points(ind, IndicatorResult(figure=3)) == 6
    assert indicator_points(ind, IndicatorResult(figure=9)) == 10


def test_total_with_bonus_never_exceeds_the_framework_total(framework):
    score = score_institution(framework, _full(framework, **{"7_1": IndicatorResult(figure=4)}))
    assert score.bonus == 8 and score.total == 100


def test_bonus_lifts_a_total_below_100(framework):
    results = _full(framework, **{"3_2": IndicatorResult(level="E"), "7_1": IndicatorResult(figure=2)})
    score = score_institution(framework, results)
    assert score.total == pytest.approx(100 - 12 + 2.4 + 4)


def test_missing_bonus_counts_zero_but_missing_indicator_leaves_no_total(framework):
    results = _full(framework)
    del results["7.1"]
    assert score_institution(framework, results).total == pytest.approx(100)
    del results["1.1"]
    score = score_institution(framework, results)
    assert score.total is None and score.missing == ("1.1",) and not score.complete


def test_a_qualitative_indicator_without_a_level_scores_the_decided_points():
    """The evaluation panel's mean of two levels within the gap is stored as points (value)."""
    from integrity.effort import IndicatorResult, indicator_points
    from integrity.model import load_model

    ind = load_model("2022").effort.indicator("1.1")  # 8 points
    assert indicator_points(ind, IndicatorResult(value=7.2)) == 7.2
    assert indicator_points(ind, IndicatorResult(value=99)) == 8  # never above the indicator's points
    assert indicator_points(ind, IndicatorResult(level="B", value=1.0)) == 6.4  # a level wins
    assert indicator_points(ind, IndicatorResult()) is None
