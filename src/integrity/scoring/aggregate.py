"""Answers -> per-group integer tallies per item, in one polars pass per survey.

Every item is reduced to two integers per group: the sum of its *points* and the
number of answers that count. Integers keep the result exact and independent of
row order; the conversion to a score happens afterwards on a few hundred groups.

Points per answer (the item score is derived from points / answers):
- Likert, negative wording: code - 1; positive wording: k - code (k = last code)
- indirect experience: 1 for "no", 0 for "yes"
- rate: 1 for "yes", 0 for "no"
- frequency / amount: the counted value of the code (times, KRW); when the
  item's gate was answered "no", the answer counts as 0 whatever it is.
"""

from __future__ import annotations

import polars as pl

from ..model.schema import AMOUNT, FREQUENCY, INDIRECT, LIKERT, RATE, Item, Model

RESPONSES = "responses"
WEIGHT = "__weight"  # a row's post-stratification weight, when the model switches it on


def points_col(code: str) -> str:
    return f"{code}__pts"


def answers_col(code: str) -> str:
    return f"{code}__n"


def _item_parts(model: Model, item: Item, *, allowed: pl.Expr | None = None) -> tuple[pl.Expr, pl.Expr | None]:
    """Per-row points of ``item`` and, where blank is not the only way out, whether the
    row's answer counts (None: it counts when not blank)."""
    raw = pl.col(item.code)
    method = item.method
    answer = item.answer
    if method == LIKERT:
        first, last = min(answer.codes), max(answer.codes)
        points = (raw - first) if item.polarity == "negative" else (last - raw)
    elif method == INDIRECT:
        points = raw == answer.no
    elif method == RATE:
        points = raw == answer.yes
    elif method in (FREQUENCY, AMOUNT):
        points = raw.replace_strict(list(answer.values), list(answer.values.values()), default=0, return_dtype=pl.Int64)
    else:  # pragma: no cover - the loader admits no other method
        raise ValueError(method)
    answered = None
    if method in (FREQUENCY, AMOUNT) and item.gate:
        gate_said_no = (pl.col(item.gate) == model.items[item.gate].answer.no).fill_null(False)
        answered = raw.is_not_null() | gate_said_no
        points = pl.when(gate_said_no).then(0).otherwise(points)
    if allowed is not None:
        answered = (raw.is_not_null() if answered is None else answered) & allowed
    return points, answered


def _item_exprs(model: Model, item: Item, *, allowed: pl.Expr | None = None, weighted: bool = False) -> list[pl.Expr]:
    points, answered = _item_parts(model, item, allowed=allowed)
    if weighted:
        # Post-stratified: weighted sums, no longer integers (``weighting``).
        counts = pl.col(item.code).is_not_null() if answered is None else answered
        weight = pl.col(WEIGHT)
        return [
            (pl.when(counts).then(points).otherwise(0) * weight).sum().cast(pl.Float64).alias(points_col(item.code)),
            (counts.cast(pl.Float64) * weight).sum().alias(answers_col(item.code)),
        ]
    if answered is None:
        # Nulls (blank answers) drop out of both the sum and the count by themselves.
        total, count = points.sum(), pl.col(item.code).count()
    else:
        total, count = pl.when(answered).then(points).sum(), answered.sum()
    return [total.cast(pl.Int64).alias(points_col(item.code)), count.cast(pl.Int64).alias(answers_col(item.code))]


def row_exprs(model: Model, item: Item, *, allowed: pl.Expr | None = None) -> list[pl.Expr]:
    """The same points and counts per response row, before summing (0 where the answer
    does not count): what the tallies add up, for resampling (``uncertainty``)."""
    points, answered = _item_parts(model, item, allowed=allowed)
    counts = pl.col(item.code).is_not_null() if answered is None else answered
    return [
        pl.when(counts).then(points).otherwise(0).cast(pl.Float64).alias(points_col(item.code)),
        counts.cast(pl.Float64).alias(answers_col(item.code)),
    ]


def tally(
    model: Model,
    responses: pl.DataFrame | pl.LazyFrame,
    survey: str,
    keys: list[str],
    *,
    items: tuple[Item, ...] | None = None,
    allowed: dict[str, pl.Expr] | None = None,
) -> pl.DataFrame:
    """Per group of ``keys``: the number of questionnaires and each item's tallies.

    ``allowed`` optionally restricts which rows count for an item (used for
    pooled items asked only of some institution types).
    """
    sv = model.survey(survey)
    chosen = items if items is not None else sv.items
    allowed = allowed or {}
    frame = responses.lazy() if isinstance(responses, pl.DataFrame) else responses
    weighted = WEIGHT in frame.collect_schema().names()
    exprs = [pl.len().alias(RESPONSES)]
    for item in chosen:
        exprs.extend(_item_exprs(model, item, allowed=allowed.get(item.code), weighted=weighted))
    return (
        frame.filter(pl.col("survey") == survey)
        .group_by(keys)
        .agg(exprs)
        .collect()
    )
