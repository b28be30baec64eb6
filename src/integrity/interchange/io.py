"""Read and validate a year's interchange files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..model.schema import Model
from ..scoring.deductions import empty_deductions
from .errors import InputError, ProblemList
from .formats import TypeMismatch, read_columns, read_table, read_typed
from .validate import check_deductions, check_institutions, check_response_columns, check_responses, response_schema


@dataclass(frozen=True)
class YearInput:
    institutions: pl.DataFrame
    responses: pl.DataFrame
    deductions: pl.DataFrame


def read_institutions(model: Model, path: Path) -> pl.DataFrame:
    return check_institutions(model, read_table(path, path.name), path.name)


def read_responses(model: Model, paths: list[Path], institutions: pl.DataFrame) -> pl.DataFrame:
    """Read one or more response files (parts of one year) into one frame.

    CSV and Parquet take a typed fast path; only if a value does not fit is the
    file re-read as text so that the offending rows can be named.
    """
    parts = []
    problems = ProblemList()
    for path in paths:
        try:
            columns = read_columns(path, path.name)
            check_response_columns(model, columns, path.name)
            try:
                frame = read_typed(path, path.name, response_schema(model, columns))
            except TypeMismatch:
                frame = read_table(path, path.name)
            parts.append(check_responses(model, frame, institutions, path.name))
        except InputError as exc:  # keep going so that every file's faults are reported at once
            for p in exc.problems:
                problems.add(p.file, p.message, p.row, p.column)
            problems.total += exc.total - len(exc.problems)
    problems.raise_if_any()
    return pl.concat(parts, how="diagonal_relaxed") if len(parts) > 1 else parts[0]


def read_deductions(model: Model, path: Path | None, institutions: pl.DataFrame) -> pl.DataFrame:
    if path is None:
        return empty_deductions()
    return check_deductions(model, read_table(path, path.name), institutions, path.name)


def load_year(
    model: Model, institutions: Path, responses: list[Path], deductions: Path | None = None
) -> YearInput:
    inst = read_institutions(model, institutions)
    return YearInput(
        institutions=inst,
        responses=read_responses(model, responses, inst),
        deductions=read_deductions(model, deductions, inst),
    )
