"""Store and read scoring runs. Views and commands call these; these call the engine."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Callable

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from integrity.apps.audit.services import record
from integrity.interchange import load_year
from integrity.model import Model, load_model
from integrity.scoring import score_year

from .models import InstitutionResult, PublishedRunError, ScoringRun, UnitResult


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


def frame_hash(frame: pl.DataFrame) -> str:
    """SHA-256 of a table's content, independent of row order."""
    ordered = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
    return hashlib.sha256(ordered.write_csv().encode()).hexdigest()


@transaction.atomic
def store_run(model: Model, frame: pl.DataFrame, *, fingerprint: str, parameters: dict, publish: bool,
              breakdown: pl.DataFrame | None = None, input_hashes: dict | None = None,
              on_stored: Callable[[ScoringRun], None] | None = None) -> ScoringRun:
    """Save one run and all its rows, or nothing. ``on_stored(run)`` runs last in the
    same transaction (a job marks itself done there; if it raises, nothing is stored)."""
    # A district office the year's rotation leaves out has no result of its own (registry says why).
    frame = frame.filter(pl.col("status") != "not_measured") if "status" in frame.columns else frame
    run = ScoringRun.objects.create(
        year=model.year, model_version=model.version, input_fingerprint=fingerprint, parameters=parameters,
        model_text=model.text,  # exactly what was scored with, not the file as it may read by now
        input_hashes=input_hashes or {},
    )
    score_columns = [c for c in frame.columns if c.startswith(("score_", "n_", "item_", "input_") + UNCERTAINTY_PREFIXES)] + [
        c for c in frame.columns if c.endswith(("_reported", "_points")) or c in UNCERTAINTY_COLUMNS
    ] + [c for c in ("parent_body",) if c in frame.columns] + [  # a district office's provincial office
        c for c in frame.columns if c in part_grade_columns(model) or c.startswith(EFFORT_PREFIXES)]
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
    if breakdown is not None and breakdown.height:
        UnitResult.objects.bulk_create([
            UnitResult(run=run, institution_code=r["institution"], unit_kind=r["unit_kind"], unit=r["unit"],
                       survey=r["survey"], responses=r["responses"], status=r["status"], score=_clean(r["score"]))
            for r in breakdown.iter_rows(named=True)
        ], batch_size=2000)
    if publish:
        ScoringRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
        run.refresh_from_db()
    record(None, "scores.stored", run, f"{model.year}년 채점 결과 #{run.pk} ({model.version}, 기관 {frame.height}곳)",
           fingerprint=fingerprint, published=publish)
    if on_stored:
        on_stored(run)
    return run


UNCERTAINTY_PREFIXES = ("se_", "ci_low_", "ci_high_")
# 청렴노력도 by area (and indicator) where the run's table has it: columns effort_area_<code>
# (and effort_indicator_<code>), kept in InstitutionResult.scores (docs/results-2022.md).
EFFORT_PREFIXES = ("effort_area_", "effort_indicator_")


def part_grade_columns(model: Model) -> set[str]:
    """The grades published beside the overall grade (2022+: grade_perceived, grade_effort)."""
    return {f"grade_{m}" for m in model.grade_measures if m != "overall"}
UNCERTAINTY_COLUMNS = ("grade_change_probability", "near_cut")


def with_uncertainty(model: Model, institutions: pl.DataFrame, responses: pl.DataFrame, deductions: pl.DataFrame | None,
                     point: pl.DataFrame, progress: Callable[[str], None] = lambda stage: None) -> pl.DataFrame:
    """The run's table with each score's standard error, interval and grade stability
    (scoring.uncertainty, the model file's replicates and seed: the same inputs give the
    same figures). A model without an ``uncertainty`` section publishes point scores only."""
    from integrity.scoring.uncertainty import score_uncertainty

    if getattr(model, "uncertainty", None) is None or point.is_empty():
        return point
    from django.conf import settings

    replicates = settings.INTEGRITY_BOOTSTRAP_REPLICATES or model.uncertainty.replicates
    progress(f"표준오차와 등급 안정성을 계산하는 중(부트스트랩 {replicates}회)")
    extra = score_uncertainty(model, institutions, responses, deductions, point=point, replicates=replicates)
    extra = extra.drop("replicates")
    return point.join(extra, on="institution", how="left", maintain_order="left")


def score_files(model_name: str, institutions: Path, responses: list[Path], deductions: Path | None,
                *, publish: bool = False) -> ScoringRun:
    """Read, validate and score interchange files and store the run."""
    model = load_model(model_name)
    year = load_year(model, institutions, responses, deductions)
    result = score_year(model, year.institutions, year.responses, year.deductions, breakdowns=False)
    table = with_uncertainty(model, year.institutions, year.responses, year.deductions, result.institutions)
    inputs = [institutions, *responses, *([deductions] if deductions else [])]
    parameters = {"model": model_name, "files": [p.name for p in inputs], "responses": year.responses.height}
    return store_run(model, table, fingerprint=fingerprint(inputs), parameters=parameters, publish=publish)


def latest_visible_run(user) -> ScoringRun | None:
    """The latest year's published run (one per year): what everyone sees, administrators
    included by default. By year, not by time: an earlier year published late is not news."""
    return ScoringRun.objects.filter(published_at__isnull=False).order_by("-year").first()


CHOSEN_RUN = "results_run"  # session key: the draft a staff member chose to look at


def visible_run(request) -> ScoringRun | None:
    """The published results, unless an administrator or analyst explicitly switched to another run."""
    from integrity.apps.accounts.models import Role
    from integrity.apps.accounts.roles import role_of

    user = request.user
    chosen = request.session.get(CHOSEN_RUN) if role_of(user) in (Role.ADMIN, Role.ANALYST) else None
    if chosen:
        run = ScoringRun.objects.filter(pk=chosen).first()
        if run is not None:
            return run
        request.session.pop(CHOSEN_RUN, None)  # the draft was deleted meanwhile
    return latest_visible_run(user)


def choose_run(request, run: ScoringRun | None) -> None:
    """Switch the results pages to another run (a draft, an earlier year) or back to the
    published results (None). Only staff reach this (the view checks the role)."""
    if run is None or run == latest_visible_run(request.user):
        request.session.pop(CHOSEN_RUN, None)
    else:
        request.session[CHOSEN_RUN] = run.pk


def year_inputs(year) -> tuple:
    """The year's institutions, responses and deductions from the database, as the
    interchange format has them, checked by the same validation as the files."""
    from integrity.apps.effort.services import with_effort_input
    from integrity.apps.fieldwork.monitoring import responses_frame
    from integrity.apps.incidents.services import deductions_frame
    from integrity.interchange.validate import check_deductions, check_institutions, check_responses

    model = year.model
    bodies = year.institutions.select_related("supervisor").order_by("code")
    raw = pl.DataFrame(
        {"code": [b.code for b in bodies], "name": [b.name for b in bodies], "type": [b.type_code for b in bodies],
         "staff": [str(b.staff) for b in bodies], "supervisor": [b.supervisor.code if b.supervisor else None for b in bodies]},
        schema={"code": pl.Utf8, "name": pl.Utf8, "type": pl.Utf8, "staff": pl.Utf8, "supervisor": pl.Utf8},
    )
    raw = with_effort_input(year, raw)  # 2022+: each body's 청렴노력도 from the effort evaluation
    institutions = check_institutions(model, raw, "등록부")
    responses = check_responses(model, measured_only(year, responses_frame(year)), institutions, "응답")
    deductions = check_deductions(model, deductions_frame(year), institutions, "감점")
    return model, institutions, responses, deductions


def measured_only(year, responses: pl.DataFrame) -> pl.DataFrame:
    """Responses of district offices the year's rotation leaves out do not count: the
    rotation says which of them feed their provincial office this year (registry)."""
    from integrity.apps.registry.rotation import not_measured_codes

    skipped = not_measured_codes(year)
    return responses.filter(~pl.col("institution").is_in(list(skipped))) if skipped else responses


def run_from_database(year, actor=None, progress=None, on_stored=None) -> ScoringRun:
    """Score the year from the database and store the run (not yet published).
    ``progress(stage)`` hears which step is under way; ``on_stored`` as for store_run."""
    from integrity.apps.effort.services import with_effort_breakdown

    progress = progress or (lambda stage: None)
    progress("등록부·응답·감점 자료를 읽는 중")
    model, institutions, responses, deductions = year_inputs(year)
    progress(f"응답 {responses.height:,}건을 채점하는 중")
    result = score_year(model, institutions, responses, deductions)
    table = with_uncertainty(model, institutions, responses, deductions, result.institutions, progress)
    table = with_effort_breakdown(year, table)  # 2022+: the effort total by area and indicator
    progress("결과를 저장하는 중")
    hashes = {"model": f"{model.version}:{hashlib.sha256(model.text.encode('utf-8')).hexdigest()}",
              "institutions": frame_hash(institutions), "responses": frame_hash(responses), "deductions": frame_hash(deductions)}
    fingerprint = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
    run = store_run(model, table, fingerprint=fingerprint, publish=False, breakdown=result.breakdown,
                    input_hashes=hashes, parameters={"source": "database", "responses": responses.height,
                                                     "deductions": deductions.height}, on_stored=on_stored)
    record(actor, "scores.run", run, f"{year} 데이터베이스에서 채점 #{run.pk}", fingerprint=fingerprint)
    return run


def publish(run: ScoringRun, actor) -> ScoringRun:
    if run.published_at:
        raise PublishedRunError("이미 공표된 결과입니다")
    if ScoringRun.objects.filter(year=run.year, published_at__isnull=False).exists():
        raise PublishedRunError(f"{run.year}년에는 이미 공표된 결과가 있습니다. 공표된 결과는 바뀌지 않습니다")
    ScoringRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    run.refresh_from_db()
    record(actor, "scores.published", run, f"{run.year}년 채점 #{run.pk} 공표")
    return run


FIELD_LABELS = {"overall": "종합청렴도", "grade": "등급", "rank_in_type": "유형 내 순위", "status": "상태"}
CAUSE_LABELS = {"n_external": "외부 응답 수", "n_internal": "내부 응답 수", "n_policy": "정책고객 응답 수",
                "incident_external_points": "외부 부패사건 감점", "incident_internal_points": "내부 부패사건 감점",
                "credibility_points": "신뢰도 저해행위 감점"}
INPUT_LABELS = {"model": "측정모형", "institutions": "등록부", "responses": "응답", "deductions": "감점",
                "model_version": "측정모형 버전"}
# marked for the catalogue; the list's filter translates them when shown
STATUS_LABELS = {"scored": gettext_noop("채점"), "not_scored": gettext_noop("미채점"), "voided": gettext_noop("무효"),
                 "in_parent": gettext_noop("상급기관에 포함"), "not_measured": gettext_noop("측정 제외(순환)")}


def _shown(key: str, value, scale: str | None = None):
    if key == "status":
        return STATUS_LABELS.get(value, value)
    if key == "grade" and value is not None:
        return f"{value}등급"
    if key == "overall" and value is not None:
        return f"{value:.4f} ({scale})" if scale else f"{value:.4f}"
    return value


def compare(a: ScoringRun, b: ScoringRun) -> dict:
    """What changed from run a to run b, and why (which inputs differ), in words people read.
    Across the model change (10 against 100 points) each score is shown with its scale."""
    from .parts import same_scale, scale_label, scale_of

    why = [k for k in sorted(set(a.input_hashes) | set(b.input_hashes)) if a.input_hashes.get(k) != b.input_hashes.get(k)]
    if a.model_version != b.model_version:
        why.append("model_version")
    scales = None if same_scale(a, b) else (scale_label(scale_of(a)), scale_label(scale_of(b)))
    part_labels = _part_grade_labels(a) | _part_grade_labels(b)
    left = {r.institution_code: r for r in a.results.all()}
    changes = []
    for r in b.results.all().order_by("institution_code"):
        old = left.pop(r.institution_code, None)
        if old is None:
            changes.append({"institution": r.institution_code, "name": r.name, "change": "새 기관"})
            continue
        fields = {key: (getattr(old, key), getattr(r, key)) for key in FIELD_LABELS if getattr(old, key) != getattr(r, key)}
        causes = [k for k in CAUSE_LABELS if old.scores.get(k) != r.scores.get(k)]
        parts = {k: (old.scores.get(k), r.scores.get(k)) for k in part_labels if old.scores.get(k) != r.scores.get(k)}
        if fields or parts:
            lines = [(FIELD_LABELS[k], _shown(k, a_, scales and scales[0]), _shown(k, b_, scales and scales[1]))
                     for k, (a_, b_) in fields.items()]
            lines += [(part_labels[k], _shown("grade", a_), _shown("grade", b_)) for k, (a_, b_) in parts.items()]
            changes.append({"institution": r.institution_code, "name": r.name, "fields": fields | parts, "causes": causes,
                            "lines": lines, "cause_labels": [CAUSE_LABELS[k] for k in causes]})
    for code, old in sorted(left.items()):
        changes.append({"institution": code, "name": old.name, "change": "빠진 기관"})
    return {"inputs_changed": why, "input_labels": [INPUT_LABELS.get(k, k) for k in why], "changes": changes,
            "grade_changes": sum(1 for c in changes if "grade" in c.get("fields", {})), "scales": scales}


def _part_grade_labels(run: ScoringRun) -> dict[str, str]:
    """grade_<part> -> "청렴체감도 등급" for the parts the run's model grades beside the overall."""
    from .parts import graded_parts

    try:
        model = run.model
    except Exception:  # a model no longer shipped: its overall grade only
        return {}
    return {f"grade_{code}": f"{name} 등급" for code, name in graded_parts(model, "ko")}  # Korean like the labels beside it


def publication_preview(run: ScoringRun) -> dict:
    """What publishing ``run`` would change against the last published run (of any year),
    and whether it can be published at all (one published run per year, never replaced)."""
    blocker = ""
    if run.published_at:
        blocker = "이미 공표된 결과입니다"
    elif ScoringRun.objects.filter(year=run.year, published_at__isnull=False).exists():
        blocker = f"{run.year}년에는 이미 공표된 결과가 있습니다. 공표된 결과는 바뀌지 않습니다"
    last = (ScoringRun.objects.filter(published_at__isnull=False, year__lte=run.year).exclude(pk=run.pk)
            .order_by("-year").first())
    diff = compare(last, run) if last is not None else None
    return {"run": run, "last": last, "diff": diff, "blocker": blocker}
