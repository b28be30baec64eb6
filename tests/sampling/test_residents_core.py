"""Residents and parents (pure core): proportional allocation by largest remainder,
reading and checking frame and panel files, the stratified draw, the generator."""

import io
from fractions import Fraction

import numpy as np
import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.generate.population import generate_populations
from integrity.rosters.problems import RosterRejected
from integrity.rosters.workbook import read_form_file
from integrity.sampling.population import FRAME, PANEL, allocate, check_frame_file, draw_panel, frame_form
from integrity.sampling.stratified import allocate_largest_remainder

populations = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=60).filter(lambda p: sum(p) > 0)


@settings(max_examples=300, deadline=None)
@given(populations, st.integers(min_value=0, max_value=100_000))
def test_largest_remainder_allocation_sums_exactly_to_the_sample_size(population, total):
    assert int(allocate_largest_remainder(np.array(population), total).sum()) == total


@settings(max_examples=300, deadline=None)
@given(populations, st.integers(min_value=0, max_value=100_000))
def test_each_stratum_gets_within_one_of_its_exact_share(population, total):
    quotas = allocate_largest_remainder(np.array(population), total)
    whole = sum(population)
    for p, q in zip(population, quotas.tolist()):
        exact = Fraction(p * total, whole)
        assert exact - 1 < q < exact + 1
        assert q in (exact.numerator // exact.denominator, -(-exact.numerator // exact.denominator))  # floor or ceiling


@settings(max_examples=300, deadline=None)
@given(populations, st.integers(min_value=0, max_value=100_000))
def test_a_stratum_with_no_population_gets_no_sample(population, total):
    quotas = allocate_largest_remainder(np.array(population), total)
    assert all(q == 0 for p, q in zip(population, quotas.tolist()) if p == 0)


def test_largest_remainder_breaks_ties_in_stratum_order_and_is_exact_with_huge_counts():
    assert allocate_largest_remainder(np.array([1, 1, 1]), 2).tolist() == [1, 1, 0]
    big = np.array([10**15 + 1, 10**15, 10**15])  # floats would lose the remainders here
    assert allocate_largest_remainder(big, 2).tolist() == [1, 1, 0]


def test_allocation_refuses_negative_or_empty_populations():
    with pytest.raises(ValueError):
        allocate_largest_remainder(np.array([0, 0]), 5)
    with pytest.raises(ValueError):
        allocate_largest_remainder(np.array([5, -1]), 5)


def test_allocation_draws_multiple_per_complete_and_caps_at_the_panel():
    plans = allocate([("종로구", "30대", "여", 300), ("종로구", "40대", "여", 100)], 4, 5, {("종로구", "30대", "여"): 7})
    assert [(p.allocated, p.wanted, p.available, p.drawn, p.short) for p in plans] == [(3, 15, 7, 7, True), (1, 5, 0, 0, True)]


def test_draw_per_stratum_is_reproducible_with_its_seed_and_takes_each_strata_quota():
    strata = [("가", "30대", "남")] * 50 + [("나", "30대", "남")] * 50 + [("다", "30대", "남")] * 3
    plans = allocate([("가", "30대", "남", 10), ("나", "30대", "남", 30), ("다", "30대", "남", 0)], 4, 5,
                     {("가", "30대", "남"): 50, ("나", "30대", "남"): 50})
    first, order = draw_panel(strata, plans, seed=7)
    again, _ = draw_panel(strata, plans, seed=7)
    other, _ = draw_panel(strata, plans, seed=8)
    assert first.tolist() == again.tolist() and first.tolist() != other.tolist()
    picked = [strata[i][0] for i in first.tolist()]
    assert picked.count("가") == 5 and picked.count("나") == 15 and picked.count("다") == 0
    assert sorted(order[np.array(picked) == "나"].tolist()) == list(range(15))


# --- files ---------------------------------------------------------------------------

def _xlsx(header, rows, sheet="인구") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check(m2017, kind, data, name="f.xlsx", strata=None):
    sheet = read_form_file(data, name, frame_form(kind), None)
    return check_frame_file(kind, sheet, m2017.policy_customers, m2017.fieldwork, strata)


def test_frame_file_with_unknown_age_band_sex_negative_count_and_duplicate_stratum_names_row_and_column(m2017):
    data = _xlsx(["시·군·구", "연령대", "성별", "인구수"], [
        ("종로구", "30대", "여", 100), ("종로구", "서른", "여", 10), ("종로구", "40대", "중", 10),
        ("종로구", "50대", "남", -3), ("종로구", "30대", "여", 5), ("종로구", "60세 이상", "남", "많음"),
    ])
    problems = {(p.row, p.column, p.message.split(" (")[0]) for p in _check(m2017, FRAME, data).problems}
    assert (3, "연령대", "연령대가 맞지 않습니다") in problems
    assert (4, "성별", "성별이 맞지 않습니다") in problems
    assert (5, "인구수", "인구수는 0 이상이어야 합니다") in problems
    assert (6, "시·군·구", "같은 층(시·군·구·연령대·성별)이 2행에도 있습니다") in problems
    assert (7, "인구수", "숫자가 아닙니다") in problems


def test_frame_file_missing_a_required_column_is_refused_naming_the_column(m2017):
    with pytest.raises(RosterRejected) as err:
        _check(m2017, FRAME, _xlsx(["시·군·구", "연령대", "성별"], [("종로구", "30대", "여")]))
    assert any(p.column == "인구수" for p in err.value.problems)


def test_frame_csv_from_korean_excel_is_read_as_cp949_and_sex_words_are_normalised(m2017):
    text = "시·군·구,연령대,성별,인구수\n종로구,30대,여자,100\n종로구,30대,남자,90\n"
    check = _check(m2017, FRAME, text.encode("cp949"), "frame.csv")
    assert not check.problems
    assert check.entries["sex"].to_list() == ["여", "남"] and check.entries["population"].sum() == 190


def test_panel_rows_outside_the_frames_strata_and_without_contact_are_problems(m2017):
    data = _xlsx(["시·군·구", "연령대", "성별", "성명", "휴대전화", "전자우편"], [
        ("종로구", "30대", "여", "김하나", "010-1111-2222", None), ("중구", "30대", "여", "이둘", "010-1111-3333", None),
        ("종로구", "30대", "여", "박셋", None, None),
    ], sheet="패널")
    problems = {(p.row, p.column, p.message.split(" (")[0]) for p in
                _check(m2017, PANEL, data, strata={("종로구", "30대", "여")}).problems}
    assert (3, "시·군·구", "모집단 파일에 없는 층입니다") in problems
    assert any(row == 4 and col == "휴대전화" for row, col, _ in problems)


def test_panel_problems_never_quote_personal_data(m2017):
    data = _xlsx(["시·군·구", "연령대", "성별", "성명", "휴대전화", "전자우편"],
                 [("종로구", "30대", "여", "김비밀", "019-99", None)], sheet="패널")
    text = " ".join(str(p) for p in _check(m2017, PANEL, data, strata={("종로구", "30대", "여")}).problems)
    assert "김비밀" not in text and "019-99" not in text


# --- generator ----------------------------------------------------------------------------

def test_generator_makes_frames_and_panels_only_for_bodies_polling_residents_or_parents(m2017):
    bodies = pl.DataFrame({"institution": ["M1", "E1", "C1"], "type": ["metropolitan", "provincial_education", "central_1"]})
    made = generate_populations(m2017, bodies, seed=1)
    assert set(made.frames["institution"]) == {"M1", "E1"}
    assert dict(made.frames.select("institution", "group").unique().iter_rows()) == {"M1": "resident", "E1": "parent"}
    assert set(made.frames["age_band"]) == set(m2017.policy_customers.age_bands)
    assert set(made.frames["sex"]) == set(m2017.policy_customers.sexes)
    # parents are mostly in their 30s and 40s; residents' largest band is 60+ in an old region or about a quarter
    parents = made.frames.filter(pl.col("group") == "parent").group_by("age_band").agg(pl.col("population").sum())
    share = dict(parents.iter_rows())
    assert (share["30대"] + share["40대"]) / sum(share.values()) > 0.7
    # the panel covers about 1.3 times the draw
    wanted = m2017.policy_customers.groups["resident"].sample_size * m2017.policy_customers.draw_multiple
    n = made.panels.filter(pl.col("institution") == "M1").height
    assert 0.9 * wanted < n < 1.6 * wanted
    assert generate_populations(m2017, bodies, seed=1).panels.equals(made.panels)
