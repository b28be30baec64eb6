"""Which district offices (교육지원청) are measured in a year: seed 002, I.5, one test per rule."""

from collections import Counter

import pytest

from integrity.model.schema import Rotation
from integrity.registry.rotation import ALL_BELOW, CYCLE, MIDDLE_ALL, choose, measured_codes

RULE = Rotation(cycle_from=10, all_below=5, cycle_years=3, middle="all", cycle_start_year=2016)


def _offices(parent: str, n: int) -> list[tuple[str, str]]:
    return [(f"{parent}-{i:02d}", parent) for i in range(n)]


def test_province_with_ten_or_more_district_offices_measures_a_third_a_year():
    for n in (10, 11, 12, 25):
        for year in (2016, 2017, 2018):
            measured = measured_codes(choose(RULE, _offices("P", n), year))
            assert len(measured) in (n // 3, -(-n // 3)), (n, year)


def test_every_office_of_a_cycling_province_is_measured_exactly_once_in_three_consecutive_years():
    offices = _offices("P", 25)
    for start in (2015, 2017, 2030):
        counts = Counter(c for y in range(start, start + 3) for c in measured_codes(choose(RULE, offices, y)))
        assert counts == Counter({code: 1 for code, _ in offices})


def test_the_cycle_repeats_every_three_years():
    offices = _offices("P", 14)
    assert measured_codes(choose(RULE, offices, 2017)) == measured_codes(choose(RULE, offices, 2020))


def test_province_with_fewer_than_five_district_offices_measures_all_of_them():
    choices = choose(RULE, _offices("P", 4), 2017)
    assert all(c.measured and c.rule == ALL_BELOW for c in choices) and len(choices) == 4


@pytest.mark.parametrize("n", [5, 7, 9])
def test_province_with_five_to_nine_district_offices_measures_all_of_them(n):
    # The seed names only >= 10 (cycle) and < 5 (all); the model file's middle: all.
    choices = choose(RULE, _offices("P", n), 2017)
    assert all(c.measured and c.rule == MIDDLE_ALL for c in choices)


def test_five_to_nine_cycle_when_the_model_file_says_middle_cycle():
    rule = Rotation(cycle_from=10, all_below=5, cycle_years=3, middle="cycle", cycle_start_year=2016)
    choices = choose(rule, _offices("P", 6), 2017)
    assert {c.rule for c in choices} == {CYCLE} and len(measured_codes(choices)) == 2


def test_the_choice_is_reproducible_whatever_the_input_order():
    offices = _offices("A", 12) + _offices("B", 3) + _offices("C", 17)
    first = choose(RULE, offices, 2017)
    again = choose(RULE, list(reversed(offices)), 2017)
    assert first == again


def test_shares_are_balanced_across_provinces_so_the_national_count_is_even():
    # Running count over all cycling provinces: the 154 offices of the nine real provinces
    # with >= 10 split 52/51/51, whatever their sizes modulo 3.
    sizes = {"01": 11, "09": 25, "10": 17, "11": 10, "12": 14, "13": 14, "14": 22, "15": 23, "16": 18}
    offices = [o for p, n in sizes.items() for o in _offices(p, n)]
    per_year = [len(measured_codes(choose(RULE, offices, y))) for y in (2016, 2017, 2018)]
    assert sorted(per_year) == [51, 51, 52]


def test_the_2017_plan_measures_73_of_176_district_offices():
    from integrity.generate.mix import DISTRICT_OFFICES_2017
    from integrity.model import load_model

    rule = load_model("2017").institution_types["district_education"].rotation
    offices = [o for p, n in enumerate(DISTRICT_OFFICES_2017) for o in _offices(f"{p:02d}", n)]
    assert len(offices) == 176
    assert len(measured_codes(choose(rule, offices, 2017))) == 73


def test_a_new_office_joins_the_smallest_share_and_the_others_keep_theirs():
    offices = _offices("P", 12)
    before = {c.body: c.group for c in choose(RULE, offices, 2017)}
    after = choose(RULE, offices + [("P-99", "P")], 2018, previous_groups=before)
    groups = {c.body: c.group for c in after}
    assert all(groups[b] == g for b, g in before.items())
    assert groups["P-99"] == 0  # shares were 4/4/4: the lowest of the smallest
