"""청렴노력도 work: the liaison's drafts and submission, the panel's scores, and each
body's effort total for a scoring run (computed by integrity.effort from what is stored)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.effort import EffortScore, IndicatorResult, score_institution, survey_value
from integrity.model.effort import QUALITATIVE, QUANTITATIVE, SURVEY, EffortFramework

from .models import Deadline, Report, Score, Status, Submission


class EffortError(ValueError):
    """Input that cannot be saved; ``problems`` names each indicator at fault. Nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# Figures the system computes for indicators with a ``source`` in the model file (e.g.
# cluster_activity): source -> (figures(year, indicator) -> {institution code: figure},
# evidence(institution, indicator) -> [rows shown on the report]). The app that records the
# activity registers itself (clusters.apps.ready), so this app does not import it.
FIGURE_SOURCES: dict[str, tuple] = {}


def register_figure_source(source: str, figures, evidence) -> None:
    FIGURE_SOURCES[source] = (figures, evidence)


def _sourced_figures(year, framework) -> dict[str, dict[str, float]]:
    """Indicator code -> institution code -> the computed figure (no source registered: none)."""
    return {ind.code: FIGURE_SOURCES[ind.source][0](year, ind) for ind in framework.indicators
            if ind.source and ind.source in FIGURE_SOURCES}


def sourced_evidence(institution) -> dict[str, list]:
    """Indicator code -> what the computed figure counted for this body (read-only evidence)."""
    framework = framework_of(institution.year)
    return {ind.code: FIGURE_SOURCES[ind.source][1](institution, ind) for ind in (framework.indicators if framework else ())
            if ind.source and ind.source in FIGURE_SOURCES}


def framework_of(year) -> EffortFramework | None:
    return year.model.effort


def deadline_of(year) -> date | None:
    """The submission deadline: the administrator's for this year, else the model file's
    ``effort.submission_deadline`` (None: no deadline)."""
    own = Deadline.objects.filter(year=year).first()
    if own is not None:
        return own.submission_deadline
    framework = framework_of(year)
    return framework.submission_deadline if framework else None


@transaction.atomic
def set_deadline(year, actor, value: date) -> Deadline:
    before = deadline_of(year)
    deadline, _ = Deadline.objects.update_or_create(year=year, defaults={"submission_deadline": value})
    record(actor, "effort.deadline_set", year, f"{year} 청렴노력도 실적 제출 기한: {before} -> {value}",
           before=str(before), after=str(value))
    return deadline


def submission_of(institution) -> Submission:
    return Submission.objects.filter(institution=institution).first() or Submission(institution=institution)


def editable(institution, today: date | None = None) -> bool:
    """The liaison may still change the report: not yet submitted and the deadline not passed."""
    if framework_of(institution.year) is None:
        return False
    deadline = deadline_of(institution.year)
    today = today or timezone.localdate()
    return submission_of(institution).status != Status.SUBMITTED and (deadline is None or today <= deadline)


def _figure(text: str, ind, problems: list[str]) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{ind.code} {ind.name}: 실적 수치가 수가 아닙니다 (값: {text[:30]})")
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(f"{ind.code} {ind.name}: 실적 수치는 0 이상이어야 합니다 (값: {text[:30]})")
        return None
    return value


@transaction.atomic
def save_draft(institution, actor, entries: dict[str, tuple[str, str]], today: date | None = None) -> int:
    """Save the liaison's report: indicator code -> (figure text, narrative). Every entry is
    checked first; one bad figure saves nothing."""
    framework = framework_of(institution.year)
    if not editable(institution, today):
        raise EffortError(["제출했거나 제출 기한이 지나 실적을 고칠 수 없습니다"])
    problems: list[str] = []
    rows = []
    for ind in framework.indicators:
        if ind.kind == SURVEY or ind.code not in entries:
            continue  # the panel's staff survey: nothing to report
        figure_text, narrative = entries[ind.code]
        figure = _figure(figure_text, ind, problems) if ind.needs_figure and not ind.source else None
        narrative = (narrative or "").strip()
        if len(narrative) > 5000:
            problems.append(f"{ind.code} {ind.name}: 실적 내용은 5,000자까지 쓸 수 있습니다 ({len(narrative):,}자)")
        rows.append((ind.code, figure, narrative))
    if problems:
        raise EffortError(problems)
    for code, figure, narrative in rows:
        Report.objects.update_or_create(institution=institution, indicator=code,
                                        defaults={"figure": figure, "narrative": narrative, "updated_by": actor})
    Submission.objects.get_or_create(institution=institution)
    record(actor, "effort.draft_saved", institution, f"{institution.name} 청렴노력도 실적 임시저장 ({len(rows)}개 지표)")
    return len(rows)


def missing_for_submission(institution) -> list[str]:
    """What the report still lacks: a figure for every quantitative indicator and a
    narrative for every qualitative one (the bonus may be left empty: no bonus)."""
    framework = framework_of(institution.year)
    reports = {r.indicator: r for r in Report.objects.filter(institution=institution)}
    lacking = []
    for ind in framework.indicators:
        report = reports.get(ind.code)
        if ind.kind == QUANTITATIVE and (report is None or report.figure is None):
            lacking.append(f"{ind.code} {ind.name}: 실적 수치가 없습니다")
        elif ind.kind == QUALITATIVE and (report is None or not report.narrative):
            lacking.append(f"{ind.code} {ind.name}: 실적 내용이 없습니다")
    return lacking


@transaction.atomic
def submit(institution, actor, today: date | None = None) -> Submission:
    """Submit the report: from now on it is what the panel scores; it gets a receipt."""
    if not editable(institution, today):
        raise EffortError(["이미 제출했거나 제출 기한이 지났습니다"])
    lacking = missing_for_submission(institution)
    if lacking:
        raise EffortError(lacking)
    submission, _ = Submission.objects.select_for_update().get_or_create(institution=institution)
    submission.status = Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor
    submission.receipt = f"EF{institution.year.year}-{submission.pk:05d}"
    submission.save()
    record(actor, "effort.submitted", institution, f"{institution.name} 청렴노력도 실적 제출 (접수번호 {submission.receipt})",
           receipt=submission.receipt)
    return submission


@transaction.atomic
def reopen(institution, actor, reason: str) -> Submission:
    """An administrator returns a submitted report to the institution (e.g. evidence missing)."""
    reason = (reason or "").strip()
    if not reason:
        raise EffortError(["되돌리는 사유를 적어 주세요"])
    submission = Submission.objects.select_for_update().get(institution=institution)
    submission.status = Status.DRAFT
    submission.save(update_fields=["status"])
    record(actor, "effort.reopened", institution, f"{institution.name} 청렴노력도 실적을 작성 중으로 되돌림: {reason}"[:300],
           receipt=submission.receipt, reason=reason)
    return submission


@transaction.atomic
def record_score(institution, indicator_code: str, actor, *, level: str = "", value: str = "", reason: str = "") -> Score:
    """The panel's score on one qualitative (rubric level) or survey (0..100) indicator, with
    its reason; every change is audited with the old and new score."""
    framework = framework_of(institution.year)
    ind = next((i for i in framework.indicators if i.code == indicator_code), None) if framework else None
    if ind is None or not ind.panel_scored:
        raise EffortError([f"평가단이 점수를 매기는 지표가 아닙니다 ({indicator_code})"])
    reason = (reason or "").strip()
    problems = [] if reason else [f"{ind.code} {ind.name}: 평가 사유를 적어 주세요"]
    new_level, new_value = "", None
    if ind.kind == QUALITATIVE:
        if ind.level(level) is None:
            problems.append(f"{ind.code} {ind.name}: 평가 수준을 고르세요")
        new_level = level
    else:
        try:
            new_value = float((value or "").strip())
            if not 0 <= new_value <= 100:
                raise ValueError
        except ValueError:
            problems.append(f"{ind.code} {ind.name}: 설문 점수는 0~100 사이의 수여야 합니다 (값: {(value or '')[:20]})")
    if submission_of(institution).status != Status.SUBMITTED:
        problems.append("제출되지 않은 실적은 평가할 수 없습니다")
    if problems:
        raise EffortError(problems)
    old = Score.objects.select_for_update().filter(institution=institution, indicator=ind.code).first()
    before = {"level": old.level, "value": old.value} if old else None
    score, _ = Score.objects.update_or_create(institution=institution, indicator=ind.code,
                                              defaults={"level": new_level, "value": new_value, "reason": reason,
                                                        "scored_by": actor})
    shown = ind.level(new_level).name if new_level else f"{new_value:g}점"
    record(actor, "effort.scored", institution, f"{institution.name} {ind.code} {ind.name}: {shown}"[:300],
           indicator=ind.code, before=before, after={"level": new_level, "value": new_value}, reason=reason)
    return score


def survey_counts(year, institution=None) -> dict[int, dict[str, dict[int, int]]]:
    """Institution pk -> item code -> answer code -> answers, for the items the survey
    indicators name (one grouped query per item: a year has hundreds of thousands of answers)."""
    from django.db.models import Count
    from django.db.models.fields.json import KeyTextTransform

    from integrity.apps.fieldwork.models import Response

    framework = framework_of(year)
    wanted = sorted({(i.survey, code) for i in framework.indicators if i.kind == SURVEY for code in i.survey_items}) \
        if framework else []
    out: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = Response.objects.filter(institution=institution) if institution is not None \
        else Response.objects.filter(institution__year=year)
    for survey, code in wanted:
        answers = (rows.filter(survey=survey).annotate(answer=KeyTextTransform(code, "answers"))
                   .exclude(answer=None).values_list("institution_id", "answer").annotate(n=Count("pk")).order_by())
        for pk, answer, n in answers:
            try:
                out[pk][code][int(answer)] = n
            except ValueError:
                continue  # not an answer code: counts for nothing
    return out


def survey_values(framework, counts: dict[str, dict[int, int]], model) -> dict[str, float]:
    """Indicator code -> value (0..100) from the staff's answers, where there are any."""
    values = {}
    for ind in framework.indicators:
        if ind.kind == SURVEY:
            value = survey_value(tuple(model.items[c] for c in ind.survey_items), counts)
            if value is not None:
                values[ind.code] = value
    return values


def _results(framework, submitted: bool, reports: list, scores: list,
             sourced: dict[str, float] | None = None, surveyed: dict[str, float] | None = None
             ) -> dict[str, IndicatorResult]:
    """What the core scores: the figures of a submitted report (a draft counts for nothing),
    the computed figures of indicators with a source (``sourced``: indicator code -> figure;
    never what the body typed), the panel's levels, and survey indicators from the staff's
    answers (``surveyed``) or, where the body has none, the panel's entered survey score."""
    computed = {i.code for i in framework.indicators if i.source}
    figures = {r.indicator: r.figure for r in reports if r.indicator not in computed} if submitted else {}
    figures |= sourced or {}
    decided = {s.indicator: s for s in scores}
    surveyed = surveyed or {}
    results: dict[str, IndicatorResult] = {}
    for ind in framework.indicators:
        if ind.needs_figure and figures.get(ind.code) is not None:
            results[ind.code] = IndicatorResult(figure=figures[ind.code])
        elif ind.kind == SURVEY and ind.code in surveyed:
            results[ind.code] = IndicatorResult(value=surveyed[ind.code])
        elif ind.panel_scored and ind.code in decided:
            results[ind.code] = IndicatorResult(level=decided[ind.code].level or None, value=decided[ind.code].value)
    return results


def score_of(institution) -> EffortScore | None:
    framework = framework_of(institution.year)
    if framework is None:
        return None
    submitted = submission_of(institution).status == Status.SUBMITTED
    sourced = {ind: by_code.get(institution.code, 0.0)
               for ind, by_code in _sourced_figures(institution.year, framework).items()}
    counts = survey_counts(institution.year, institution).get(institution.pk, {})
    return score_institution(framework, _results(framework, submitted, list(institution.effort_reports.all()),
                                                 list(institution.effort_scores.all()), sourced,
                                                 survey_values(framework, counts, institution.year.model)))


def year_scores(year) -> dict[str, EffortScore]:
    """Every body's 청렴노력도 (institution code -> score), in a few light queries (rows as
    tuples: a year has thousands of reports)."""
    framework = framework_of(year)
    if framework is None:
        return {}
    submitted = set(Submission.objects.filter(institution__year=year, status=Status.SUBMITTED)
                    .values_list("institution_id", flat=True))
    reports, scores = defaultdict(list), defaultdict(list)
    for pk, indicator, figure in Report.objects.filter(institution__year=year).values_list("institution_id", "indicator", "figure"):
        reports[pk].append(_Figure(indicator, figure))
    for pk, indicator, level, value in (Score.objects.filter(institution__year=year)
                                        .values_list("institution_id", "indicator", "level", "value")):
        scores[pk].append(_Decided(indicator, level, value))
    computed = _sourced_figures(year, framework)
    counts = survey_counts(year)
    model = year.model
    return {code: score_institution(framework, _results(framework, pk in submitted, reports[pk], scores[pk],
                                                        {ind: f.get(code, 0.0) for ind, f in computed.items()},
                                                        survey_values(framework, counts.get(pk, {}), model)))
            for pk, code in year.institutions.values_list("pk", "code")}


class _Figure(NamedTuple):
    indicator: str
    figure: float | None


class _Decided(NamedTuple):
    indicator: str
    level: str
    value: float | None


def effort_totals(year) -> dict[str, float | None]:
    """Institution code -> effort total on the framework's scale (None: not complete)."""
    return {code: score.total for code, score in year_scores(year).items()}


def with_effort_input(year, raw):
    """The registry frame of ``results.year_inputs`` with the 청렴노력도 total as the model's
    entered input column (text, as a file would have it; empty while a body's evaluation is
    incomplete, so the engine leaves it not scored). Models without ``effort:`` unchanged."""
    import polars as pl

    framework = framework_of(year)
    if framework is None or framework.input in raw.columns:
        return raw
    totals = effort_totals(year)
    values = [None if totals.get(code) is None else repr(float(totals[code])) for code in raw["code"]]
    return raw.with_columns(pl.Series(framework.input, values, dtype=pl.Utf8))


def with_effort_breakdown(year, table):
    """A run's table with each body's 청렴노력도 by area and indicator (``effort_area_<code>``,
    ``effort_indicator_<code>``; the bonus is its area's): stored with the run, so the
    published report shows where the effort total came from as it was when scored
    (results.parts reads them)."""
    import polars as pl

    framework = framework_of(year)
    if framework is None or table.is_empty():
        return table
    scores = year_scores(year)
    codes = table["institution"].to_list()
    columns = {}
    for area in framework.areas:
        columns[f"effort_area_{area.code}"] = [scores[c].areas.get(area.code) if c in scores else None for c in codes]
    for ind in framework.indicators:
        columns[f"effort_indicator_{ind.code}"] = [scores[c].indicators.get(ind.code) if c in scores else None for c in codes]
    return table.with_columns(*(pl.Series(name, values, dtype=pl.Float64) for name, values in columns.items()))
