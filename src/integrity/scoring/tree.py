"""Tallies -> item scores -> node scores (area, index, survey), over arrays of groups."""

from __future__ import annotations

import numpy as np
import polars as pl

from ..model.schema import INDIRECT, LIKERT, Item, Model, Node, Survey
from .aggregate import answers_col, points_col


def item_score(model: Model, item: Item, points: np.ndarray, answers: np.ndarray) -> np.ndarray:
    """Score of one item for each group; NaN where nobody answered it."""
    span = model.scale_max - model.scale_min
    points = points.astype(np.float64)
    answers = answers.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if item.method == LIKERT:
            fraction = points / (answers * item.answer.points)
        elif item.method == INDIRECT:
            fraction = points / answers
        else:  # institution-level direct experience against a ceiling
            value = points / answers
            fraction = np.clip(1.0 - value / model.conversion.ceiling(item.method), 0.0, 1.0)
    return np.where(answers > 0, model.scale_min + span * fraction, np.nan)


def weighted_mean(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean over columns, leaving out NaN columns and re-normalising.

    ``scores`` is (groups, children); a row with no score at all gives NaN.
    """
    present = ~np.isnan(scores)
    w = np.where(present, weights[None, :], 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nansum(np.where(present, scores, 0.0) * w, axis=1) / total, np.nan)


def node_scores(model: Model, node: Node, items: dict[str, np.ndarray], out: dict[str, np.ndarray]) -> np.ndarray:
    """Score ``node`` from the item scores, storing every descendant's score in ``out``."""
    if node.items:
        columns = [items[i.code] for i in node.items]
    else:
        columns = [node_scores(model, child, items, out) for child in node.children]
    score = weighted_mean(np.column_stack(columns), np.asarray(node.child_weights(), dtype=np.float64))
    out[node.code] = score
    return score


def survey_scores(model: Model, survey: Survey, tallies: pl.DataFrame) -> dict[str, np.ndarray]:
    """Scores of every item and node of ``survey`` (keyed by code) for each row of ``tallies``."""
    items = {
        item.code: item_score(
            model,
            item,
            tallies[points_col(item.code)].to_numpy(),
            tallies[answers_col(item.code)].to_numpy(),
        )
        for item in survey.items
    }
    out: dict[str, np.ndarray] = {}
    node_scores(model, survey.root, items, out)
    out.update(items)
    return out
