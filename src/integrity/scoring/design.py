"""The survey design as the model file states it: which response column names a row's
stratum (task for external, office or else group for internal, group for policy)."""

from __future__ import annotations

import polars as pl

from ..model.schema import Model

STRATUM = "__stratum"
NO_STRATUM = ""  # rows whose stratum columns are all blank form one stratum of their own


def stratum_expr(model: Model, survey: str, columns: list[str]) -> pl.Expr:
    """A row's stratum within its body and survey: the first non-blank of the columns
    the model lists for the survey (those the responses have), as text."""
    listed = [c for c in model.uncertainty.strata.get(survey, ()) if c in columns]
    if not listed:
        return pl.lit(NO_STRATUM).alias(STRATUM)
    return pl.coalesce([pl.col(c).cast(pl.Utf8) for c in listed]).fill_null(NO_STRATUM).alias(STRATUM)


def with_strata(model: Model, responses: pl.DataFrame) -> pl.DataFrame:
    """``responses`` with a ``__stratum`` column, survey by survey."""
    columns = responses.columns
    expr = pl.lit(NO_STRATUM)
    for sv in reversed(model.surveys):
        expr = pl.when(pl.col("survey") == sv.code).then(stratum_expr(model, sv.code, columns)).otherwise(expr)
    return responses.with_columns(expr.alias(STRATUM))
