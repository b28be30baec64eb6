"""DOMAIN.md "Grades" at the cut points: grade 1 for z >= 1.5, 2 for 0.5 <= z < 1.5, 3 for
-0.5 <= z < 0.5, 4 for -1.5 <= z < -0.5, 5 below; fewer than 3 graded bodies or zero
spread gives grade 3 to all; equal scores get equal grades.

The scores are floats made from integer tallies, so the exact z of a body can sit on a
cut while the float z misses it by 1e-16. These tests build scores whose exact z is on a
cut, and compare the engine's grades with grades computed in exact rational arithmetic.
"""

from fractions import Fraction

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.scoring.deductions import DEDUCTION_COLUMNS
from integrity.scoring.grading import grade_within_types, rank_within_types
from tests.helpers import block, institutions, score

CUTS = (1.5, 0.5, -0.5, -1.5)
SCALE = 10.0


def _grades(values, cuts=CUTS, min_institutions=3) -> list[int]:
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    return grade_within_types(values, np.array(["t"] * n), np.ones(n, bool), cuts, min_institutions,
                              scale=SCALE).astype(int).tolist()


def _exact_grades(values: list[Fraction], cuts=CUTS, min_institutions=3) -> list[int]:
    """The rule in rational arithmetic: z >= c decided without a square root
    (d >= c·sd  <=>  d >= 0 and d² >= c²·var for c >= 0; d >= 0 or d² <= c²·var for c < 0)."""
    middle = (len(cuts) + 2) // 2
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / n
    if n < min_institutions or var == 0:
        return [middle] * n

    def reaches(d: Fraction, c: Fraction) -> bool:
        if c >= 0:
            return d >= 0 and d * d >= c * c * var
        return d >= 0 or d * d <= c * c * var

    return [1 + sum(not reaches(v - mean, Fraction(c)) for c in cuts) for v in values]


# Scores as the engine makes them: a ratio of integer tallies times the scale, in floats.
_RATIO = st.tuples(st.integers(0, 600), st.integers(1, 60)).filter(lambda t: t[0] <= t[1] * 6)


def _float(t) -> float:
    return SCALE * t[0] / (t[1] * 6)


def _exact(t) -> Fraction:
    return 10 * Fraction(t[0], t[1] * 6)


# --- the rule at each cut, hand-made --------------------------------------------------

def test_grade_1_for_z_exactly_1_5_and_grade_2_for_z_exactly_0_5():
    # mean 7.7, population SD 0.2: z = -1.5, -0.5, 0, 0.5, 1.5 exactly; in floats 7.8 gives 0.4999999999999982
    assert _grades([7.4, 7.6, 7.7, 7.8, 8.0]) == [4, 3, 3, 2, 1]


def test_grade_3_for_z_exactly_minus_0_5_and_grade_4_for_z_exactly_minus_1_5():
    # the same five bodies mirrored: 7.6 sits on z = -0.5 (grade 3), 7.4 on z = -1.5 (grade 4)
    scores = [10 - 2.3, 10 - 2.4, 10 - 2.6, 10 - 2.2, 10 - 2.0]  # 7.7, 7.6, 7.4, 7.8, 8.0 by float subtraction
    assert _grades(scores) == [3, 3, 4, 2, 1]


def test_grade_at_z_exactly_0_5_when_four_bodies_share_a_score():
    # x four times, y once: z(x) = sqrt(1/4) = 0.5 exactly, z(y) = -2
    x, y = 10 * 5 / 6, 10 * 1 / 6
    assert _grades([x, x, x, x, y]) == [2, 2, 2, 2, 5]
    assert _grades([y, y, y, y, x]) == [3, 3, 3, 3, 1]  # z(y) = -0.5 exactly: grade 3


def test_grade_at_z_exactly_1_5_when_nine_bodies_share_the_other_score():
    # x four times, y nine times: z(x) = sqrt(9/4) = 1.5, z(y) = -2/3
    x, y = 9.1, 7.3
    assert _grades([x] * 4 + [y] * 9) == [1] * 4 + [4] * 9
    assert _grades([y] * 4 + [x] * 9) == [4] * 4 + [2] * 9  # z = -1.5 exactly: grade 4


def test_identical_scores_get_grade_3_even_when_their_float_mean_is_not_exact():
    scores = [9.8] * 6
    assert np.std(scores) > 0  # the float SD of six equal values is 1.8e-15, not 0
    assert _grades(scores) == [3] * 6


def test_scores_equal_but_for_floating_point_noise_have_zero_spread_and_grade_three():
    scores = [0.1 + 0.2, 0.1 + 0.2, 0.3, 0.3, 0.3]  # one value reached by two sums
    assert _grades(scores) == [3] * 5


def test_fewer_than_three_graded_bodies_get_grade_3():
    assert _grades([1.0, 9.0]) == [3, 3]
    assert _grades([1.0, 5.0, 9.0], min_institutions=4) == [3, 3, 3]


def test_the_cut_points_are_the_model_parameters():
    # cuts 1.0 and -1.0 (three grades): mean 5, SD 2 -> z = -1 and 1, exactly on the cuts
    assert _grades([3.0, 3.0, 7.0, 7.0], cuts=(1.0, -1.0)) == [2, 2, 1, 1]
    assert _grades([3.0, 3.0, 7.0, 7.0], cuts=(1.0000001, -1.0)) == [2, 2, 2, 2]


def test_scores_equal_but_for_floating_point_noise_rank_equal():
    scores = np.array([0.1 + 0.2, 0.3, 0.2])
    assert scores[0] != scores[1]
    ranks = rank_within_types(scores, np.array(["t"] * 3), np.ones(3, bool), scale=SCALE)
    assert ranks.tolist() == [1, 1, 3]


# --- the rule in exact arithmetic, as properties ----------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(_RATIO, min_size=1, max_size=30))
def test_grades_equal_the_rule_computed_in_exact_arithmetic(ratios):
    assert _grades([_float(t) for t in ratios]) == _exact_grades([_exact(t) for t in ratios])


@settings(max_examples=300, deadline=None)
@given(_RATIO, _RATIO, st.integers(1, 3), st.sampled_from([(1, 4), (4, 1), (4, 9), (9, 4), (1, 1)]), st.randoms())
def test_bodies_exactly_on_a_cut_get_the_grade_of_the_rule(a, b, copies, counts, rnd):
    """Two scores x (k times) and y (j times) put x exactly at z = ±sqrt(j/k): ±0.5 or ±1.5
    for these counts; five more with the pattern m±3d, m±d, m sit on all four cuts."""
    x, y = _exact(a), _exact(b)
    k, j = counts
    exact = [x] * (k * copies) + [y] * (j * copies)
    m, d = x, (y - x) / 4
    exact_five = [m - 3 * d, m - d, m, m + d, m + 3 * d] * copies
    for values in (exact, exact_five):
        order = list(range(len(values)))
        rnd.shuffle(order)
        shuffled = [values[i] for i in order]
        floats = [float(v) if i % 2 else _via_floats(v) for i, v in enumerate(shuffled)]
        expected = _exact_grades(shuffled)
        assert _grades(floats) == expected
        assert _grades([f + 3.3 for f in floats]) == expected  # a constant added to the whole type


def _via_floats(v: Fraction) -> float:
    """The same value reached by float arithmetic (as the engine's sums would), off by noise."""
    return float(v * 3) / 3 + 0.1 - 0.1


@settings(max_examples=200, deadline=None)
@given(st.lists(_RATIO, min_size=3, max_size=25), st.randoms(), st.sampled_from([0.1, 0.7, 1.0, 2.25, 3.3, -1.7]))
def test_grades_are_invariant_to_row_order_and_to_a_constant_added_to_a_type(ratios, rnd, shift):
    values = np.array([_float(t) for t in ratios])
    order = list(range(len(values)))
    rnd.shuffle(order)
    assert (np.array(_grades(values))[order]).tolist() == _grades(values[order])
    assert _grades(values) == _grades(values + shift)


@settings(max_examples=200, deadline=None)
@given(st.lists(_RATIO, min_size=2, max_size=25))
def test_ties_get_equal_grades_and_ranks(ratios):
    """The first score again, reached through other float sums: same grade, same rank."""
    first = _exact(ratios[0])
    values = np.array([_float(t) for t in ratios] + [_via_floats(first)])
    grades = _grades(values)
    ranks = rank_within_types(values, np.array(["t"] * len(values)), np.ones(len(values), bool), scale=SCALE)
    assert grades[0] == grades[-1] and ranks[0] == ranks[-1]


# --- through the engine -----------------------------------------------------------------

def _type_of(model, points: list[float]) -> pl.DataFrame:
    """Bodies of one type with full marks, minus the given external incident points each."""
    codes = [f"B{i}" for i in range(len(points))]
    inst = institutions(*[(c, "basic_city") for c in codes])
    rows = [r for c in codes for r in block(model, c, "external", 2) + block(model, c, "internal", 2)]
    cases = [{"institution": c, "kind": "incident", "category": "external", "points": p}
             for c, p in zip(codes, points) if p]
    ded = pl.DataFrame([{k: r.get(k) for k in DEDUCTION_COLUMNS} for r in cases], schema=DEDUCTION_COLUMNS)
    return score(model, inst, rows, ded).institutions


def test_the_engine_grades_bodies_exactly_on_every_cut(m2017):
    # overall 9.4, 9.6, 9.7, 9.8, 10.0: mean 9.7, SD 0.2, z = -1.5, -0.5, 0, 0.5, 1.5
    frame = _type_of(m2017, [0.6, 0.4, 0.3, 0.2, 0.0])
    assert frame["grade"].to_list() == [4, 3, 3, 2, 1]
    assert frame["rank_in_type"].to_list() == [5, 4, 3, 2, 1]


def test_the_engine_gives_grade_3_to_a_type_of_identical_scores(m2017):
    frame = _type_of(m2017, [0.2] * 6)
    assert frame["overall"].to_list() == [9.8] * 6
    assert frame["grade"].to_list() == [3] * 6 and frame["rank_in_type"].to_list() == [1] * 6


def test_the_engine_lowers_grades_on_the_cut_and_voids_after_grading(m2017):
    """Sanctions still apply to the exact grades: B3 (z = 0.5, grade 2) lowered two grades;
    voiding B0 leaves it out of the mean and SD of the others."""
    codes = [f"B{i}" for i in range(5)]
    inst = institutions(*[(c, "basic_city") for c in codes])
    rows = [r for c in codes for r in block(m2017, c, "external", 2) + block(m2017, c, "internal", 2)]
    cases = [{"institution": c, "kind": "incident", "category": "external", "points": p}
             for c, p in zip(codes, [0.6, 0.4, 0.3, 0.2])]
    cases.append({"institution": "B3", "kind": "credibility", "violation": "critic_blacklisting", "grade_down": 2})
    ded = pl.DataFrame([{k: r.get(k) for k in DEDUCTION_COLUMNS} for r in cases], schema=DEDUCTION_COLUMNS)
    frame = score(m2017, inst, rows, ded).institutions
    assert frame["grade_before_sanctions"].to_list() == [4, 3, 3, 2, 1]
    assert frame["grade"].to_list() == [4, 3, 3, 4, 1]
    cases.append({"institution": "B0", "kind": "credibility", "violation": "organised_coaching", "void": True})
    ded = pl.DataFrame([{k: r.get(k) for k in DEDUCTION_COLUMNS} for r in cases], schema=DEDUCTION_COLUMNS)
    frame = score(m2017, inst, rows, ded).institutions
    # without B0: 9.6, 9.7, 9.8, 10.0 -> mean 9.775, SD 0.1479: z = -1.18, -0.51, 0.17, 1.52
    assert frame["grade"].to_list() == [None, 4, 4, 5, 1]
