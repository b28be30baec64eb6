"""DOMAIN.md "Statistical quality of published scores": a year-on-year change is marked
significant only when it exceeds the combined uncertainty of the two years."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrity.scoring.change import critical_value, significant_change


def test_critical_value_is_the_two_sided_normal_quantile():
    assert critical_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert critical_value(0.90) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ValueError):
        critical_value(1.0)


def test_year_on_year_change_is_significant_only_beyond_the_combined_uncertainty():
    # se 0.1 each year: the difference's SE is 0.1414, the bar 1.96 × 0.1414 = 0.277
    assert significant_change(8.00, 0.1, 7.80, 0.1, 0.95) is False  # 0.20 is within chance
    assert significant_change(8.00, 0.1, 7.70, 0.1, 0.95) is True  # 0.30 is not
    assert significant_change(7.70, 0.1, 8.00, 0.1, 0.95) is True  # falls count the same way
    # one year's own SE alone would call 0.20 significant (1.96 × 0.1 = 0.196): the rule combines both
    assert significant_change(8.00, 0.1, 7.80, 0.0, 0.95) is True


def test_change_without_standard_errors_has_no_verdict():
    assert significant_change(8.0, None, 7.0, 0.1, 0.95) is None
    assert significant_change(8.0, 0.1, None, 0.1, 0.95) is None
    assert significant_change(8.0, 0.1, 7.0, math.nan, 0.95) is None


@given(st.floats(0, 10), st.floats(0, 10), st.floats(0.001, 1), st.floats(0.001, 1))
def test_significance_is_symmetric_and_monotone_in_the_uncertainty(now, before, se_a, se_b):
    verdict = significant_change(now, se_a, before, se_b, 0.95)
    assert verdict == significant_change(before, se_b, now, se_a, 0.95)
    if verdict is False:  # more uncertainty never turns chance into a finding
        assert significant_change(now, se_a * 2, before, se_b * 2, 0.95) is False
