"""Builders for small, hand-made years."""

from __future__ import annotations

import polars as pl

from integrity.model import Model
from integrity.scoring import score_year

META = ("institution", "survey", "task", "office", "group", "mode")


def institutions(*rows: tuple) -> pl.DataFrame:
    """rows: (code, type) or (code, type, supervisor)."""
    return pl.DataFrame(
        {
            "institution": [r[0] for r in rows],
            "name": [f"기관{r[0]}" for r in rows],
            "type": [r[1] for r in rows],
            "staff": [500] * len(rows),
            "supervisor": [r[2] if len(r) > 2 else None for r in rows],
        },
        schema={"institution": pl.Utf8, "name": pl.Utf8, "type": pl.Utf8, "staff": pl.Int64, "supervisor": pl.Utf8},
    )


def best_answers(model: Model, survey: str) -> dict[str, int | None]:
    """Answers that score the maximum on every item of ``survey``."""
    out = {}
    for item in model.survey(survey).questionnaire_items:
        a = item.answer
        if a.kind == "likert":
            out[item.code] = max(a.codes) if item.polarity == "negative" else min(a.codes)
        elif a.kind == "yes_no":
            out[item.code] = a.no
        else:
            out[item.code] = None  # skipped after "no"
    return out


def worst_answers(model: Model, survey: str) -> dict[str, int | None]:
    out = {}
    for item in model.survey(survey).questionnaire_items:
        a = item.answer
        if a.kind == "likert":
            out[item.code] = min(a.codes) if item.polarity == "negative" else max(a.codes)
        elif a.kind == "yes_no":
            out[item.code] = a.yes
        else:
            out[item.code] = max(a.codes)
    return out


def responses(model: Model, rows: list[dict]) -> pl.DataFrame:
    """One row per dict: meta keys plus item codes; absent items are blank."""
    schema = {c: pl.Utf8 for c in META} | {code: pl.Int16 for code in model.items}
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def block(model: Model, institution: str, survey: str, n: int, answers: dict | None = None, **meta) -> list[dict]:
    """``n`` identical questionnaires (best answers unless given)."""
    base = best_answers(model, survey) if answers is None else answers
    return [{"institution": institution, "survey": survey, **meta, **base} for _ in range(n)]


def score(model: Model, inst: pl.DataFrame, rows: list[dict], deductions: pl.DataFrame | None = None, **kw):
    return score_year(model, inst, responses(model, rows), deductions, **kw)


def row(result, code: str) -> dict:
    return result.institutions.filter(pl.col("institution") == code).row(0, named=True)
