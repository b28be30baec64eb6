"""Sampling rules of the 2017 plan (III.2 예시 1·2, III.3), named after the rule."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.sampling import (
    allocate_largest_remainder, draw_per_group, draw_stratified, interval_plan, select_by_interval,
    select_departments, select_names,
)
from integrity.sampling.interval import Department


@pytest.mark.parametrize(
    "staff, whole, size, k",
    [
        (1000, True, None, None), (1001, False, 1000, 2),
        (2000, False, 1000, 2), (2001, False, 1000, 3),
        (3000, False, 1000, 3), (3001, False, 2000, 2),
        (4000, False, 2000, 2), (4001, False, 2000, 3),
        (6000, False, 2000, 3), (6001, False, 2000, 4),
        (8000, False, 2000, 4), (8001, False, 2000, 5),
        (10000, False, 2000, 5), (10001, False, 3000, 4),
        (12000, False, 3000, 4), (12001, False, 3000, 5),
        (15000, False, 3000, 5), (15001, False, 3000, 6),
        (18000, False, 3000, 6), (18001, False, 3000, 7),
        (21000, False, 3000, 7), (21001, False, 3000, 8),
        (0, True, None, None),
    ],
)
def test_k_table_boundaries(m2017, staff, whole, size, k):
    plan = interval_plan(m2017.fieldwork, staff)
    assert (plan.whole_list, plan.list_size, plan.k) == (whole, size, k)


def test_interval_k2_takes_first_second_then_4_6_8():
    assert select_by_interval([10] * 9, 2, target=0) == [1, 2, 4, 6, 8]


def test_interval_k3_takes_first_second_then_5_8_11():
    assert select_by_interval([10] * 12, 3, target=0) == [1, 2, 5, 8, 11]


def test_interval_tops_up_with_multiple_plus_3_while_short():
    # k=3, 12 units of 10: base 1,2,5,8,11 = 50; target 70 adds 3 and 6 (0k+3, 1k+3), not 9
    assert select_by_interval([10] * 12, 3, target=70) == [1, 2, 3, 5, 6, 8, 11]


def test_interval_goes_on_to_plus_4_when_plus_3_is_not_enough():
    # k=3: +2 and all +3 give 1,2,3,5,6,8,9,11,12 = 90; 100 needs position 4 (0k+4)
    assert select_by_interval([10] * 12, 3, target=100) == [1, 2, 3, 4, 5, 6, 8, 9, 11, 12]


def test_department_selection_drops_the_audit_office_before_counting():
    departments = [Department("기획조정실", 30), Department("감사관실", 12, audit_office=True)]
    departments += [Department(f"과{i}", 20) for i in range(1, 9)]
    chosen = [d.name for d in select_departments(departments, 2, target=0)]
    # after dropping the audit office: 1 기획조정실, 2 과1, 4 과3, 6 과5, 8 과7
    assert chosen == ["기획조정실", "과1", "과3", "과5", "과7"]


def test_name_selection_uses_ganada_order():
    names = ["하민수", "가영희", "나철수", "다은비", "마상훈", "라정우", "바수진"]
    # 가나다순: 가영희 나철수 다은비 라정우 마상훈 바수진 하민수; k=2 -> 1, 2, 4, 6
    assert select_names(names, 2, target=0) == ["가영희", "나철수", "라정우", "바수진"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 200), min_size=1, max_size=80), st.integers(2, 8), st.integers(0, 5000))
def test_interval_selection_reaches_the_target_when_the_list_allows(sizes, k, target):
    chosen = select_by_interval(sizes, k, target)
    assert chosen == sorted(set(chosen)) and chosen[0] == 1
    assert sum(sizes[p - 1] for p in chosen) >= min(target, sum(sizes))


def test_random_draw_per_task_respects_quotas_and_is_reproducible():
    groups = np.repeat(np.arange(3), [100, 20, 50])
    wanted = np.array([30, 50, 0])
    chosen, order = draw_per_group(groups, wanted, seed=42)
    counts = np.bincount(groups[chosen], minlength=3)
    assert counts.tolist() == [30, 20, 0]  # a task with fewer candidates gives them all
    again, again_order = draw_per_group(groups, wanted, seed=42)
    assert np.array_equal(chosen, again) and np.array_equal(order, again_order)
    other, _ = draw_per_group(groups, wanted, seed=43)
    assert not np.array_equal(np.sort(chosen), np.sort(other))
    assert sorted(order[groups[chosen] == 0].tolist()) == list(range(30))


def test_largest_remainder_allocation_sums_to_the_total():
    quotas = allocate_largest_remainder(np.array([50, 30, 20, 1]), 10)
    assert quotas.tolist() == [5, 3, 2, 0] and quotas.sum() == 10
    assert allocate_largest_remainder(np.array([1, 1, 1]), 2).tolist() == [1, 1, 0]


def test_residents_are_drawn_by_region_age_and_sex_in_proportion():
    rng = np.random.default_rng(0)
    cells = rng.integers(0, 8, size=10_000)  # 2 regions x 2 age bands x 2 sexes
    population = np.array([400, 300, 200, 100, 400, 300, 200, 100])
    chosen, quotas = draw_stratified(cells, population, 200, seed=7)
    assert quotas.tolist() == [40, 30, 20, 10, 40, 30, 20, 10]
    assert np.bincount(cells[chosen], minlength=8).tolist() == quotas.tolist()
