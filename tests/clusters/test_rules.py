"""Cluster rules (seed 000, 운영규정): vote arithmetic, terms, dues, the rules file."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity.clusters import (INQUORATE, PASSED, REJECTED, CountError, Payment, RulesError, Term, default_rules,
                                default_rules_data, dues_status, outcome, parse_rules, renewal_problem, term_end,
                                term_warning)
from integrity.clusters.terms import ENDED, ENDING_SOON

RULES = default_rules()


def test_the_seed_rules_are_the_defaults():
    """제19조: 재적 과반수 출석·출석 과반수 찬성; 구성·해산·징계는 2/3 출석·2/3 찬성; 임기 1년 1회 연임; 분담금 100만원, 민간단체 면제."""
    assert RULES.decision("ordinary").quorum.share == Fraction(1, 2) and RULES.decision("ordinary").quorum.strict
    for kind in ("formation", "dissolution", "expulsion"):
        rule = RULES.decision(kind)
        assert rule.quorum.share == rule.approval.share == Fraction(2, 3) and not rule.quorum.strict
    assert (RULES.terms.years, RULES.terms.renewals) == (1, 1)
    assert RULES.dues.amount == 1_000_000 and RULES.dues.exempt_kinds == ("civic",)


def test_majority_quorum_exactly_half_present_is_inquorate():
    """과반수: 10명 중 5명 출석은 과반수가 아니어서 개회하지 못하고 의결할 수 없다."""
    assert outcome(RULES, "ordinary", 10, 5, 5, 0, 0).result == INQUORATE
    assert outcome(RULES, "ordinary", 10, 6, 4, 2, 0).result == PASSED


def test_majority_of_those_present_exactly_half_in_favour_is_rejected():
    assert outcome(RULES, "ordinary", 10, 6, 3, 3, 0).result == REJECTED
    assert outcome(RULES, "ordinary", 10, 6, 3, 0, 3).result == REJECTED  # abstentions are not in favour


def test_two_thirds_exactly_is_enough_for_expulsion():
    """2/3 이상: 9명 중 6명 출석, 6명 중 4명 찬성이면 가결."""
    assert outcome(RULES, "expulsion", 9, 6, 4, 2, 0).result == PASSED
    assert outcome(RULES, "expulsion", 9, 5, 5, 0, 0).result == INQUORATE
    assert outcome(RULES, "expulsion", 9, 6, 3, 3, 0).result == REJECTED


def test_inquorate_meeting_cannot_decide_even_unanimously():
    result = outcome(RULES, "dissolution", 30, 19, 19, 0, 0)  # 19/30 < 2/3
    assert result.result == INQUORATE and not result.decided and result.quorum_needed == 20


def test_impossible_counts_are_refused():
    with pytest.raises(CountError):
        outcome(RULES, "ordinary", 5, 6, 1, 0, 0)
    with pytest.raises(CountError):
        outcome(RULES, "ordinary", 10, 6, 4, 2, 1)


@given(enrolled=st.integers(1, 400), data=st.data())
def test_majority_quorum_is_strictly_more_than_half(enrolled, data):
    present = data.draw(st.integers(0, enrolled))
    quorate = outcome(RULES, "ordinary", enrolled, present, 0, 0, 0).result != INQUORATE
    assert quorate == (2 * present > enrolled)
    assert quorate == (present >= RULES.decision("ordinary").quorum.smallest(enrolled))


@given(enrolled=st.integers(1, 400), data=st.data())
def test_two_thirds_rule_is_at_least_two_thirds_in_exact_fractions(enrolled, data):
    present = data.draw(st.integers(0, enrolled))
    in_favour = data.draw(st.integers(0, present))
    result = outcome(RULES, "formation", enrolled, present, in_favour, present - in_favour, 0).result
    if 3 * present < 2 * enrolled:
        assert result == INQUORATE
    else:
        assert result == (PASSED if 3 * in_favour >= 2 * present else REJECTED)


@given(num=st.integers(1, 9), den=st.integers(2, 10), strict=st.booleans(), whole=st.integers(1, 300), data=st.data())
def test_any_fraction_threshold_matches_exact_arithmetic(num, den, strict, whole, data):
    if num >= den:
        num = den - 1
    share = Fraction(num, den)
    raw = default_rules_data()
    raw["decisions"]["ordinary"]["quorum"] = {("more_than" if strict else "at_least"): f"{num}/{den}"}
    rule = parse_rules(raw).decision("ordinary").quorum
    part = data.draw(st.integers(0, whole))
    assert rule.met(part, whole) == (Fraction(part, whole) > share if strict else Fraction(part, whole) >= share)
    smallest = rule.smallest(whole)
    assert rule.met(smallest, whole) and (smallest == 0 or not rule.met(smallest - 1, whole))


def test_a_rules_file_with_mistakes_names_every_key():
    raw = default_rules_data()
    raw["decisions"]["expulsion"]["quorum"] = {"at_least": "3/2"}
    raw["decisions"]["bribe"] = raw["decisions"]["ordinary"]
    raw["terms"]["years"] = 0
    raw["dues"]["exempt_kinds"] = ["ngo"]
    with pytest.raises(RulesError) as err:
        parse_rules(raw)
    text = str(err.value)
    for key in ("decisions.expulsion.quorum", "decisions.bribe", "terms.years", "dues.exempt_kinds"):
        assert key in text


def test_term_is_one_year():
    assert term_end(RULES.terms, date(2017, 4, 24)) == date(2018, 4, 23)
    assert term_end(RULES.terms, date(2016, 2, 29)) == date(2017, 2, 28)


def test_renewable_once_a_second_renewal_is_refused():
    """1회에 한하여 연임: 두 번째 임기는 되고 세 번째 연속 임기는 안 된다."""
    first = Term("A", date(2017, 1, 1), date(2017, 12, 31))
    second = Term("A", date(2018, 1, 1), date(2018, 12, 31))
    assert renewal_problem(RULES.terms, [first], "A", date(2018, 1, 1)) is None
    assert "연임" in renewal_problem(RULES.terms, [first, second], "A", date(2019, 1, 1))
    # after a break, or after someone else, the count starts again
    assert renewal_problem(RULES.terms, [first, second], "A", date(2020, 6, 1)) is None
    other = Term("B", date(2019, 1, 1), date(2019, 12, 31))
    assert renewal_problem(RULES.terms, [first, second, other], "A", date(2020, 1, 1)) is None


def test_term_ending_within_warn_days_is_flagged():
    term = Term("A", date(2017, 1, 1), date(2017, 12, 31))
    assert term_warning(RULES.terms, term, date(2017, 12, 1)) == ENDING_SOON
    assert term_warning(RULES.terms, term, date(2017, 11, 1)) is None
    assert term_warning(RULES.terms, term, date(2018, 1, 1)) == ENDED


def test_dues_in_kind_count_at_their_valuation_and_civic_groups_are_exempt():
    """분담금은 현금 또는 현물, 민간단체는 면제."""
    rule = RULES.dues
    assert dues_status(rule, "public", [Payment(in_kind_value=1_000_000)]) == "paid"
    assert dues_status(rule, "public", [Payment(cash=400_000), Payment(in_kind_value=300_000)]) == "partly"
    assert dues_status(rule, "business", []) == "unpaid"
    assert dues_status(rule, "civic", []) == "exempt"
