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

Speed (at a million rows the group-by's aggregations are most of the engine's time):
- a Likert item is summed as it is stored: the sum of its codes and their count give
  its points by the identity sum(k - code) = k x count - sum(code); no per-row work;
- every other item's per-row points are made before grouping (several times faster
  than the same expression inside the aggregation) as ``points + 2**32`` for each
  answer that counts, null for the others, and summed once: the high half of the sum
  is the number of answers and the low half the points, exact while rows x largest
  points < 2**32 (checked; counted values are divided by their common step first,
  50,000 KRW for amounts, and multiplied back). Beyond that bound, or with weights,
  the plain two sums.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import polars as pl

from ..model.schema import AMOUNT, FREQUENCY, INDIRECT, LIKERT, RATE, Item, Model

RESPONSES = "responses"
WEIGHT = "__weight"  # a row's post-stratification weight, when the model switches it on


def points_col(code: str) -> str:
    return f"{code}__pts"


def answers_col(code: str) -> str:
    return f"{code}__n"


def _item_parts(model: Model, item: Item, *, allowed: pl.Expr | None = None,
                scale: int = 1) -> tuple[pl.Expr, pl.Expr | None]:
    """Per-row points of ``item`` and, where blank is not the only way out, whether the
    row's answer counts (None: it counts when not blank). ``scale``: counted values
    (frequency, amount) divided by it, exactly (``_packing``)."""
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
        points = _counted(raw, {code: value // scale for code, value in answer.values.items()})
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


def _counted(raw: pl.Expr, values: dict[int, int]) -> pl.Expr:
    """The counted value of each code (0 for a code without one; blank stays blank), as
    a chain of when/then: for the handful of codes an answer has, several times faster
    than ``replace_strict``'s lookup."""
    chain = None
    for code, value in values.items():
        if value:
            chain = (pl.when(raw == code) if chain is None else chain.when(raw == code)).then(pl.lit(value, pl.Int64))
    zero = pl.lit(0, pl.Int64)
    return pl.when(raw.is_not_null()).then(zero) if chain is None else chain.when(raw.is_not_null()).then(zero)


PACK = 1 << 32


def _packed_col(code: str) -> str:
    return f"{code}__packed"


def _packing(item: Item, rows: int) -> int | None:
    """The divisor that makes ``item``'s points small whole numbers (counted values are
    multiples of one step: 50,000 KRW), or None when ``rows`` answers could overflow
    the low half of a packed sum."""
    if item.method == LIKERT:
        scale, largest = 1, item.answer.points
    elif item.method in (INDIRECT, RATE):
        scale, largest = 1, 1
    else:
        values = list(item.answer.values.values())
        if any(v < 0 for v in values):
            return None
        scale = math.gcd(*values) or 1
        largest = max(values, default=0) // scale
    return scale if rows * largest < PACK else None


def _packed_row(model: Model, item: Item, scale: int) -> pl.Expr:
    """``points / scale + 2**32`` for each answer that counts, null for the others."""
    points, answered = _item_parts(model, item, scale=scale)
    packed = points.cast(pl.Int64) + PACK  # null where the answer is blank
    if answered is not None:
        packed = pl.when(answered).then(packed)
    return packed.alias(_packed_col(item.code))


@dataclass(frozen=True)
class Plan:
    """How a survey's items become tallies: columns made per row before grouping, the
    sums per group, and the expressions that turn those sums into each item's points
    and answers."""

    rows: tuple[pl.Expr, ...]
    sums: tuple[pl.Expr, ...]
    tallies: tuple[tuple[str, pl.Expr, pl.Expr], ...]  # (item code, points, answers) over the sums


def _item_plan(model: Model, item: Item, rows: int | None, weighted: bool):
    """(per-row columns, sums, points, answers) of one item."""
    code, raw = item.code, pl.col(item.code)
    scale = None if weighted or rows is None else _packing(item, rows)
    if scale is None:
        return [], _item_exprs(model, item, weighted=weighted), pl.col(points_col(code)), pl.col(answers_col(code))
    if item.method == LIKERT:
        total, count = f"{code}__sum", answers_col(code)
        first, last = min(item.answer.codes), max(item.answer.codes)
        points = (pl.col(total) - first * pl.col(count)) if item.polarity == "negative" else (last * pl.col(count) - pl.col(total))
        return [], [raw.sum().cast(pl.Int64).alias(total), raw.count().cast(pl.Int64).alias(count)], points, pl.col(count)
    packed = pl.col(_packed_col(code))
    return [_packed_row(model, item, scale)], [packed.sum()], packed % PACK * scale, packed // PACK


def _item_exprs(model: Model, item: Item, *, weighted: bool = False) -> list[pl.Expr]:
    points, answered = _item_parts(model, item)
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


_PLANS: dict[int, tuple[weakref.ref, dict]] = {}


def _plans_of(model: Model) -> dict:
    """A cache per model object (held weakly: a model dropped from the loader's cache
    takes its plans with it; an id reused by another object is noticed)."""
    key = id(model)
    held = _PLANS.get(key)
    if held is None or held[0]() is not model:
        def forget(ref: weakref.ref) -> None:
            if _PLANS.get(key, (None,))[0] is ref:
                del _PLANS[key]
        held = _PLANS[key] = (weakref.ref(model, forget), {})
    return held[1]


def _plan(model: Model, items: tuple[Item, ...], rows: int | None, weighted: bool) -> Plan:
    """Built once per model, items and packing (building ~70 expressions costs as much
    as grouping 100,000 rows)."""
    packable = () if weighted or rows is None else tuple(_packing(i, rows) is not None for i in items)
    key = (tuple(i.code for i in items), packable, weighted)
    plans = _plans_of(model)
    if key not in plans:
        row_columns, sums, tallies = [], [pl.len().alias(RESPONSES)], []
        for item in items:
            made, summed, points, answers = _item_plan(model, item, rows, weighted)
            row_columns += made
            sums += summed
            tallies.append((item.code, points, answers))
        plans[key] = Plan(tuple(row_columns), tuple(sums), tuple(tallies))
    return plans[key]


def tally(
    model: Model,
    responses: pl.DataFrame | pl.LazyFrame,
    survey: str,
    keys: list[str],
    *,
    items: tuple[Item, ...] | None = None,
    allowed: dict[str, pl.Expr] | None = None,
    by: pl.Expr | None = None,
) -> pl.DataFrame:
    """Per group of ``keys``: the number of questionnaires and each item's tallies.

    ``allowed`` optionally restricts, per item, which groups' answers count: an
    expression over the keys (pooled items asked only of some institution types, by
    institution), applied to the groups after summing — the same as leaving out their
    rows, without evaluating it row by row. ``by``: an integer expression that already
    tells the groups of ``keys`` apart (one integer is grouped several times faster
    than several columns); the keys are then carried along.
    """
    return tallies(model, responses, [(survey, items, allowed)], keys, by=by)[survey]


def tallies(
    model: Model,
    responses: pl.DataFrame | pl.LazyFrame,
    surveys: list[tuple[str, tuple[Item, ...] | None, dict[str, pl.Expr] | None]],
    keys: list[str],
    *,
    by: pl.Expr | None = None,
) -> dict[str, pl.DataFrame]:
    """``tally`` for several surveys, ``(survey, items, allowed)`` each, their passes
    run side by side (``collect_all``)."""
    frame = responses.lazy() if isinstance(responses, pl.DataFrame) else responses
    weighted = WEIGHT in frame.collect_schema().names()
    rows = responses.height if isinstance(responses, pl.DataFrame) else None
    plans, queries = [], []
    for survey, items, _ in surveys:
        chosen = tuple(items if items is not None else model.survey(survey).items)
        plan = _plan(model, chosen, rows, weighted)
        of_survey = frame.filter(pl.col("survey") == survey).with_columns(plan.rows)
        queries.append(of_survey.group_by(by.alias(GROUP)).agg(pl.col(keys).first(), *plan.sums).drop(GROUP)
                       if by is not None else of_survey.group_by(keys).agg(plan.sums))
        plans.append(plan)
    out = {}
    for (survey, _, allowed), plan, grouped in zip(surveys, plans, pl.collect_all(queries)):
        allowed = allowed or {}
        columns = []
        for code, points, answers in plan.tallies:
            if code in allowed:
                points, answers = (pl.when(allowed[code]).then(e).otherwise(0) for e in (points, answers))
            columns += [points.alias(points_col(code)), answers.alias(answers_col(code))]
        out[survey] = grouped.select(*keys, RESPONSES, *columns)
    return out


GROUP = "__group"
