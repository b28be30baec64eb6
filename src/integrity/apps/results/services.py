"""Store and read scoring runs. Views and commands call these; these call the engine."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import polars as pl
from django.db import transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.interchange import load_year
from integrity.model import Model, load_model
from integrity.scoring import score_year

from .models import InstitutionResult, ScoringRun


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over the input files' bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _clean(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@transaction.atomic
def store_run(model: Model, frame: pl.DataFrame, *, fingerprint: str, parameters: dict, publish: bool) -> ScoringRun:
    """Save one run and all its rows, or nothing."""
    run = ScoringRun.objects.create(
        year=model.year, model_version=model.version, input_fingerprint=fingerprint, parameters=parameters,
        published_at=timezone.now() if publish else None,
    )
    score_columns = [c for c in frame.columns if c.startswith(("score_", "n_", "item_", "input_"))] + [
        c for c in frame.columns if c.endswith(("_reported", "_points"))
    ]
    InstitutionResult.objects.bulk_create(
        [
            InstitutionResult(
                run=run,
                institution_code=row["institution"],
                name=row["name"],
                type_code=row["type"],
                type_name=row["type_name"],
                status=row["status"],
                reason=row["reason"] or "",
                overall=_clean(row["overall"]),
                overall_published=_clean(row["overall_published"]),
                grade=row["grade"],
                rank_in_type=row["rank_in_type"],
                scores={c: _clean(row[c]) for c in score_columns},
            )
            for row in frame.iter_rows(named=True)
        ],
        batch_size=500,
    )
    record(None, "scores.stored", run, f"{model.year}년 채점 결과 #{run.pk} ({model.version}, 기관 {frame.height}곳)",
           fingerprint=fingerprint, published=publish)
    return run


def score_files(model_name: str, institutions: Path, responses: list[Path], deductions: Path | None,
                *, publish: bool = False) -> ScoringRun:
    """Read, validate and score interchange files and store the run."""
    model = load_model(model_name)
    year = load_year(model, institutions, responses, deductions)
    result = score_year(model, year.institutions, year.responses, year.deductions, breakdowns=False)
    inputs = [institutions, *responses, *([deductions] if deductions else [])]
    parameters = {"model": model_name, "files": [p.name for p in inputs], "responses": year.responses.height}
    return store_run(model, result.institutions, fingerprint=fingerprint(inputs), parameters=parameters, publish=publish)


def latest_visible_run(user) -> ScoringRun | None:
    """The newest published run for everyone; staff also see unpublished runs."""
    runs = ScoringRun.objects.all()
    if not (user.is_authenticated and user.is_staff):
        runs = runs.filter(published_at__isnull=False)
    return runs.first()
