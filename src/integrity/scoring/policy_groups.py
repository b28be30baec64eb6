"""Group weights of the policy-customer survey (model file: policy_customers.group_weights).

Experts, stakeholders and — for metropolitan governments and education offices —
residents or parents answer the same questionnaire. With no group weights (the 2017
default) every respondent counts alike. With weights, each body's policy rows get a
row weight so that each group's share of the body's answers becomes its weight's
share among the groups that answered there:

    w_row = (W_g / sum of W over the body's answering groups) / (n_g / n_weighted)

where n_weighted is the body's rows of weighted groups. Rows of a group without a
weight (or without a group) keep weight 1, so a body's rows still add up to its
number of responses. Multiplies any post-stratification weight already present.
"""

from __future__ import annotations

import polars as pl

from ..model.schema import Model
from .aggregate import WEIGHT

POLICY = "policy"


def group_weighted(model: Model, responses: pl.DataFrame) -> pl.DataFrame:
    rules = model.policy_customers
    if rules is None or not rules.group_weights or "group" not in responses.columns or POLICY not in model.survey_codes:
        return responses
    weights = rules.group_weights
    key = pl.col("group").cast(pl.Utf8)
    share = key.replace_strict(list(weights), list(weights.values()), default=None, return_dtype=pl.Float64)
    in_scope = (pl.col("survey").cast(pl.Utf8) == POLICY) & share.is_not_null()
    body = [pl.col("institution").cast(pl.Utf8), pl.col("survey").cast(pl.Utf8)]
    rows = responses.with_columns(in_scope.alias("__in"), share.alias("__share"))
    n_g = pl.len().over([*body, key, pl.col("__in")])
    n_body = pl.col("__in").cast(pl.Int64).sum().over(body)
    # each answering group's weight, counted once per group: sum over rows of share / n_g
    total_share = (pl.when(pl.col("__in")).then(pl.col("__share") / n_g).otherwise(0.0)).sum().over(body)
    factor = pl.when(pl.col("__in")).then((pl.col("__share") / total_share) / (n_g / n_body)).otherwise(1.0)
    if WEIGHT in responses.columns:
        factor = factor * pl.col(WEIGHT)
    return rows.with_columns(factor.alias(WEIGHT)).drop("__in", "__share")
