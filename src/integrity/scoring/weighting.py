"""Post-stratification weights (DOMAIN.md, "Statistical quality of published scores").

Non-response makes some tasks (or departments) over- or under-represented among a
body's answers. A weight per row restores each stratum's share of the roster:

    w_h = (N_h / N) / (n_h / n)

with N_h the stratum's roster size, n_h its responses, N and n their totals over the
strata of the body and survey that have responses (a stratum nobody answered cannot be
restored, so it drops out of N). The weights of a body and survey add up to n, so
its number of responses is unchanged. A body and survey with a stratum missing from
the roster figures stays unweighted (all weights 1): half a correction would be
worse than none. The model file switches this on (``weighting.post_stratify``);
the 2017 rules are unweighted.
"""

from __future__ import annotations

import polars as pl

from ..model.schema import Model
from .aggregate import WEIGHT
from .design import STRATUM, with_strata
from .policy_groups import group_weighted

ROSTER_COLUMNS = {"institution": pl.Utf8, "survey": pl.Utf8, "unit": pl.Utf8, "roster": pl.Int64}


class WeightingError(ValueError):
    pass


def poststratified(model: Model, responses: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    """``responses`` with a weight column (``aggregate.WEIGHT``) from the roster sizes
    per (institution, survey, unit); unit is the stratum: task, office or group."""
    keys = ["institution", "survey", STRATUM]
    rows = with_strata(model, responses.with_columns(pl.col("institution").cast(pl.Utf8)))
    sizes = roster.select(
        pl.col("institution").cast(pl.Utf8), pl.col("survey").cast(pl.Utf8),
        pl.col("unit").cast(pl.Utf8).alias(STRATUM), pl.col("roster").cast(pl.Float64),
    ).group_by(keys).agg(pl.col("roster").sum())
    strata = rows.group_by(keys).agg(pl.len().cast(pl.Float64).alias("n_h")).join(sizes, on=keys, how="left")
    body = ["institution", "survey"]
    complete = (pl.col("roster").is_not_null() & (pl.col("roster") > 0)).all().over(body)
    weight = (pl.col("roster") / pl.col("roster").sum().over(body)) / (pl.col("n_h") / pl.col("n_h").sum().over(body))
    strata = strata.with_columns(pl.when(complete).then(weight).otherwise(1.0).alias(WEIGHT)).select(*keys, WEIGHT)
    out = rows.join(strata, on=keys, how="left", maintain_order="left").drop(STRATUM)
    return out.with_columns(pl.col("institution").cast(responses.schema["institution"]))


def model_weighted(model: Model, responses: pl.DataFrame, roster: pl.DataFrame | None) -> pl.DataFrame:
    """The responses as the model scores them: weighted when its file says so
    (post-stratification, then policy-customer group weights)."""
    if not model.weighting.post_stratify:
        return group_weighted(model, responses)
    if roster is None:
        raise WeightingError("측정모형이 사후층화 가중치를 쓰도록 되어 있는데 명부 규모(기관·설문·층별 명부 인원)가 없습니다")
    return group_weighted(model, poststratified(model, responses, roster))
