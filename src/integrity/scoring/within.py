"""Bodies measured within a parent body (교육지원청 within 시·도교육청, seed 002 I.5).

A body whose type has ``measured_within`` in the model file is a part of its parent:
its responses count in the parent's survey scores, and it is neither graded nor ranked
(its own scores are reported as a breakdown of the parent). The parent is the
``parent_body`` column when the institutions table has one, otherwise the body's
supervisor when that supervisor is of the type named by ``measured_within``.

Folding is done on the tallies, which are sums over response rows: the parent's
tallies plus its parts' tallies are exactly the tallies of all their rows pooled, so
the parent's item rates and means are those of the pooled respondents.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..model.schema import Model

PARENT = "parent_body"
IN_PARENT, NOT_MEASURED = "in_parent", "not_measured"


def parent_bodies(model: Model, institutions: pl.DataFrame) -> pl.Series:
    """The parent code of every row (null for bodies graded on their own)."""
    if PARENT in institutions.columns:
        return institutions[PARENT].cast(pl.Utf8).alias(PARENT)
    within = {t.code: t.measured_within for t in model.institution_types.values() if t.measured_within}
    if not within or "supervisor" not in institutions.columns:
        return pl.Series(PARENT, [None] * institutions.height, dtype=pl.Utf8)
    type_of = dict(zip(institutions["institution"].cast(pl.Utf8).to_list(), institutions["type"].to_list()))
    parents = [
        sup if t in within and sup is not None and type_of.get(sup) == within[t] else None
        for t, sup in zip(institutions["type"].to_list(), institutions["supervisor"].cast(pl.Utf8).to_list())
    ]
    return pl.Series(PARENT, parents, dtype=pl.Utf8)


def parent_index(institutions: pl.DataFrame, parents: pl.Series) -> np.ndarray:
    """Row number of each row's parent, -1 for none (a parent must be a row itself)."""
    codes = institutions["institution"].cast(pl.Utf8).to_list()
    position = {code: i for i, code in enumerate(codes)}
    index = np.array([position.get(p, -1) if p is not None else -1 for p in parents.to_list()], dtype=np.int64)
    chained = (index >= 0) & (index[np.maximum(index, 0)] >= 0)
    if chained.any():
        i = int(np.flatnonzero(chained)[0])
        raise ValueError(f"기관 '{codes[i]}'의 상급 측정기관 '{parents[i]}'도 다른 기관 안에서 측정됩니다")
    return index


def fold(values: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Each parent's value plus its parts' (rows aligned with ``parent``); parts keep their own."""
    parts = parent >= 0
    if not parts.any():
        return values
    folded = values.copy()
    np.add.at(folded, parent[parts], values[parts])  # parts have no parts of their own (loader)
    return folded


def charged_to_parents(deductions: pl.DataFrame | None, institutions: pl.DataFrame, parents: pl.Series) -> pl.DataFrame | None:
    """Incident and credibility cases of a part are charged to its parent, the graded body
    (the cap then holds for the parent's cases all together)."""
    if deductions is None or deductions.height == 0 or parents.null_count() == parents.len():
        return deductions
    mapping = {code: p for code, p in zip(institutions["institution"].cast(pl.Utf8).to_list(), parents.to_list()) if p}
    return deductions.with_columns(pl.col("institution").cast(pl.Utf8).replace(mapping))
