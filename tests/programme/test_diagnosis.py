"""Diagnosis: weakest against the type's mean first, largest moves first, and each
difference's uncertainty in words ("차이가 오차 범위 안" when the interval holds 0)."""

import pytest

from integrity.programme.diagnosis import gaps_to_mean, moved, weakest


def _row(code, value, mean, level="item", se=None, before=None, se_before=None):
    return {"code": code, "name": code, "level": level, "value": value, "mean": mean, "se": se, "before": before,
            "se_before": se_before}


def test_weakest_are_ordered_by_gap_to_the_type_mean_most_negative_first():
    rows = [_row("a", 7.0, 8.0), _row("b", 6.0, 8.5), _row("c", 9.0, 8.0), _row("d", 8.0, 8.2), _row("e", None, 8.0)]
    found = weakest(rows, 0.95, 10)
    assert [d.code for d in found] == ["b", "a", "d"]  # c is above the mean, e has no score
    assert found[0].difference == pytest.approx(-2.5)
    assert [d.code for d in weakest(rows, 0.95, 1)] == ["b"]


def test_weakest_of_one_level_only():
    rows = [_row("s", 7.0, 9.0, level="survey"), _row("i", 8.0, 8.5)]
    assert [d.code for d in weakest(rows, 0.95, 5, level="item")] == ["i"]


def test_gap_within_error_when_the_interval_covers_zero():
    near, far = gaps_to_mean([_row("near", 7.9, 8.0, se=0.1), _row("far", 7.0, 8.0, se=0.1)], 0.95)[::-1]
    assert near.code == "near" and near.within_error is True  # -0.1 ± 0.196
    assert far.within_error is False  # -1.0 ± 0.196
    assert far.low == pytest.approx(-1.0 - 1.959964 * 0.1, abs=1e-5)


def test_without_a_standard_error_nothing_is_claimed():
    (only,) = gaps_to_mean([_row("x", 7.0, 8.0)], 0.95)
    assert only.within_error is None and only.low is None


def test_moved_most_orders_by_size_of_change_and_combines_both_years_errors():
    rows = [_row("up", 8.0, 0, se=0.2, before=7.0, se_before=0.2), _row("down", 6.0, 0, se=0.2, before=8.0, se_before=0.2),
            _row("small", 8.0, 0, se=0.2, before=7.9, se_before=0.2), _row("new", 8.0, 0, before=None)]
    found = moved(rows, 0.95, 10)
    assert [d.code for d in found] == ["down", "up", "small"]
    half = 1.959964 * (0.2**2 + 0.2**2) ** 0.5
    assert found[1].high - found[1].difference == pytest.approx(half, abs=1e-5)
    assert found[2].within_error is True and found[0].within_error is False
