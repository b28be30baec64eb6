"""Survey indicators of 청렴노력도 from the staff's answers (pure).

A survey indicator names Likert items of one of the model's surveys (the staff survey,
``internal``). Each item scores as the perceived-integrity items do (DOMAIN.md: Likert
(x-1)/6*100 for negative wording, (k-x)/(k-1)*100 for positive wording, k the last
code); the indicator's value is the mean of its items' scores, 0..100, each item counted
once whatever its number of answers (the model weighs items equally). Items nobody
answered drop out; with no answers at all there is no value (the caller falls back to
the panel's entered score)."""

from __future__ import annotations

from collections.abc import Mapping

from integrity.model.schema import Item

AnswerCounts = Mapping[int, int]  # answer code -> number of answers


def item_score(item: Item, counts: AnswerCounts) -> float | None:
    """One Likert item's score (0..100) from how many chose each code; None if none answered."""
    codes = item.answer.codes
    first, last = min(codes), max(codes)
    answered = sum(n for code, n in counts.items() if code in codes)
    if not answered:
        return None
    points = sum(((code - first) if item.polarity == "negative" else (last - code)) * n
                 for code, n in counts.items() if code in codes)
    return 100.0 * points / (answered * (last - first))


def survey_value(items: tuple[Item, ...], counts: Mapping[str, AnswerCounts]) -> float | None:
    """The indicator's value: the mean of its items' scores over the items answered."""
    scores = [s for s in (item_score(item, counts.get(item.code, {})) for item in items) if s is not None]
    return sum(scores) / len(scores) if scores else None


def answers_of(counts: Mapping[str, AnswerCounts], items: tuple[Item, ...]) -> int:
    """How many answers the value rests on (the largest item count: one per respondent)."""
    return max((sum(counts.get(i.code, {}).values()) for i in items), default=0)
