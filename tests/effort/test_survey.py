"""Survey indicators of 청렴노력도 from the staff's answers (pure): each Likert item scored
as the perceived-integrity items are (DOMAIN.md: (x-1)/6*100 negative, (7-x)/6*100
positive), the indicator's value the mean of its items' scores."""

import pytest

from integrity.effort import answers_of, item_score, survey_value


def test_item_score_follows_the_likert_conversion_and_the_items_wording(m2022):
    positive, negative = m2022.items["I01"], m2022.items["I06"]
    assert item_score(positive, {1: 3}) == pytest.approx(100)  # 매우 그렇다 to a positive item
    assert item_score(negative, {1: 3}) == pytest.approx(0)  # 매우 그렇다 to a negative item
    assert item_score(negative, {4: 1, 7: 1}) == pytest.approx((50 + 100) / 2)
    assert item_score(positive, {}) is None
    assert item_score(positive, {9: 5}) is None  # not an answer code: counts for nothing


def test_value_is_the_mean_of_the_answered_items_each_counted_once(m2022):
    items = (m2022.items["I01"], m2022.items["I06"])
    counts = {"I01": {1: 100}, "I06": {4: 1}}  # 100 answers scoring 100, one scoring 50
    assert survey_value(items, counts) == pytest.approx(75)
    assert survey_value(items, {"I06": {7: 2}}) == pytest.approx(100)  # an item nobody answered drops out
    assert survey_value(items, {}) is None  # no answers: the caller falls back to the entered score
    assert answers_of(counts, items) == 100
