"""The scoring engine: institutions + responses + deductions -> one row per institution.

Pure: polars/numpy in, polars out; no Django, no files. Inputs are expected to
have passed ``integrity.interchange.validate`` (codes known, answers in range).

Order of work (DOMAIN.md, "Scoring rules and defaults"):
1. tally every item per institution and survey (integers; see ``aggregate``),
   adding pooled items (X1 -> E13 of the same body, X2 -> P13 of the supervisor);
2. item -> area -> index -> survey scores (``tree``);
3. composites and the overall weighted sum by the type's weight set;
4. incident points (capped; off the survey scores too, or the overall only: the
   model's ``incidents.deduct_from``) and credibility points subtracted; clamp at the
   scale's minimum;
5. grades and ranks within type (``grading``), then sanctions; the parts the model
   grades beside the overall score (2022+: ``grade_perceived``, ``grade_effort``).

Bodies measured within a parent (``within``: 교육지원청 in 시·도교육청) add their tallies
to the parent's after step 1 and are left out of grading; their own scores stay in
their rows (status ``in_parent``) as the parent's breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import polars.selectors as cs

from ..model.schema import Model
from . import deductions as ded
from .aggregate import RESPONSES, answers_col, points_col, tallies
from .grading import apply_downgrades, grade_parts, grade_within_types, rank_within_types
from .tree import survey_scores
from .weighting import model_weighted
from .within import IN_PARENT, NOT_MEASURED, charged_to_parents, fold, parent_bodies, parent_index

SCORED, NOT_SCORED, VOIDED = "scored", "not_scored", "voided"


@dataclass(frozen=True)
class YearResult:
    institutions: pl.DataFrame  # one row per institution
    breakdown: pl.DataFrame  # one row per (institution, task|office, survey)


def round_half_up(values: np.ndarray, decimals: int) -> np.ndarray:
    """Publication rounding: half away from zero on the decimal value (7.945 -> 7.95).

    Rounding to 9 places first removes binary noise such as 7.944999999.
    """
    factor = 10.0**decimals
    return np.floor(np.round(values * factor, 9) + 0.5) / factor


def _align(codes: pl.DataFrame, tallies: pl.DataFrame) -> pl.DataFrame:
    """Tallies in the order of ``codes`` (one row per institution), zeros where none."""
    return codes.join(tallies, on="institution", how="left", maintain_order="left").fill_null(0)


def every_item(model: Model, responses: pl.DataFrame) -> pl.DataFrame:
    """An item column a responses table leaves out is read as blank (not answered) for
    every row (docs/interchange.md), as a blank cell would be."""
    missing = [code for code in model.items if code not in responses.columns]
    return responses.with_columns(pl.lit(None, dtype=pl.Int16).alias(c) for c in missing) if missing else responses


UNITS = ("task", "office")


def keyed(institutions: pl.DataFrame, responses: pl.DataFrame, *, units: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Institution codes as an Enum in both frames: grouping a million rows by a small
    integer is several times faster than hashing the code strings. ``units``: task and
    office as Categorical too, in the same pass (the casts run side by side)."""
    codes = pl.Enum(institutions["institution"].to_list())
    bodies = institutions.select(pl.col("institution").cast(codes), pl.col("supervisor").cast(codes), "type")
    casts = [pl.col("institution").cast(codes)]
    if units:
        casts += [pl.col(u).cast(pl.Categorical) for u in UNITS if u in responses.columns]
    return bodies, responses.with_columns(casts)


def _unit_keys(responses: pl.DataFrame) -> list[str]:
    return ["institution", *[k for k in UNITS if k in responses.columns]]


def with_unit_key(responses: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr | None]:
    """Task and office as Categorical, and an expression for one integer telling every
    (institution, task, office) apart (mixed radix over their codes): grouping by it is
    several times faster than by the three columns. None when there is nothing to
    combine, or (never in a real year) when the combinations would not fit in 63 bits."""
    units = [k for k in UNITS if k in responses.columns]
    if not units:
        return responses, None
    frame = responses.with_columns(pl.col(u).cast(pl.Categorical) for u in units if responses.schema[u] != pl.Categorical)
    largest = frame.select(pl.col(units).to_physical().max()).row(0)
    key = pl.col("institution").to_physical().cast(pl.UInt64)
    span = len(frame.schema["institution"].categories)
    for unit, top in zip(units, largest):
        size = int(top or 0) + 2  # every code, and one more for blank
        span *= size
        if span >= 1 << 63:
            return responses, None
        key = key * size + pl.col(unit).to_physical().cast(pl.UInt64).fill_null(size - 1)
    return frame, key


def _fine_tallies(model: Model, bodies: pl.DataFrame, responses: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """One pass per survey over its rows, by institution, task and office: every
    questionnaire item, pooled ones included. The tallies are integer sums, so the
    institution's, each task's and each office's are sums of these (``_rolled_up``)
    — exactly what a pass of their own would give, without another pass over the rows."""
    keys = _unit_keys(responses)
    responses, by = with_unit_key(responses)
    return tallies(model, responses, [(sv.code, sv.questionnaire_items, pooled_allowed(sv, bodies)) for sv in model.surveys],
                   keys, by=by)


def pooled_allowed(sv, bodies: pl.DataFrame) -> dict[str, pl.Expr]:
    """Pooled items asked only of some types (X2) count only for those types' rows."""
    allowed = {}
    for p in sv.pooled_items:
        if p.pool_only_types:
            asked = bodies.filter(pl.col("type").is_in(p.pool_only_types))["institution"]
            allowed[p.code] = pl.col("institution").is_in(asked.implode())
    return allowed


def _rolled_up(fine: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Tallies summed up to ``keys`` (e.g. per institution), rows without a key dropped."""
    others = [c for c in fine.columns if c not in UNITS and c != "institution"]
    present = fine.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
    return present.group_by(keys).agg(pl.col(others).sum())


def _survey_tallies(bodies: pl.DataFrame, fine: dict[str, pl.DataFrame], parent: np.ndarray) -> dict[str, pl.DataFrame]:
    """Per institution, in the order of the bodies (zeros where none), each part's tallies
    added to its parent's as well (``within.fold``). The institution Enum's code is the
    body's row, so the sums are one ``reduceat`` over the rows sorted by it, all columns
    at once."""
    n = bodies.height
    out = {}
    for code, frame in fine.items():
        columns = [c for c in frame.columns if c != "institution" and c not in UNITS]
        values = frame.select(columns).to_numpy()  # one 2D array: int64 (float64 when weighted)
        sums = np.zeros((n, len(columns)), dtype=values.dtype)
        if frame.height:
            row = frame["institution"].to_physical().to_numpy()
            order = np.argsort(row, kind="stable")
            row = row[order]
            starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
            sums[row[starts]] = np.add.reduceat(values[order], starts, axis=0)
        sums = fold(sums, parent)
        out[code] = pl.DataFrame(sums, schema=columns, orient="row").insert_column(0, bodies["institution"])
    return out


def _with_pooled(model: Model, bodies: pl.DataFrame, tallies: dict[str, pl.DataFrame], survey: str,
                 parts: np.ndarray | None = None) -> pl.DataFrame:
    """This survey's tallies plus the pooled items of other surveys that feed its items
    (X1 -> E13 of the same body; X2 -> P13 of the body's supervisor)."""
    combined = tallies[survey]
    receiving = {i.code for i in model.survey(survey).items}
    for source in model.surveys:
        for p in source.pooled_items:
            if p.pool_into not in receiving:
                continue
            pts = tallies[source.code][points_col(p.code)].to_numpy()
            ans = tallies[source.code][answers_col(p.code)].to_numpy()
            if p.pool_target == "supervisor":
                # move each body's tallies to its supervisor's row
                target = bodies["supervisor"].to_physical().to_numpy()
                has = ~np.isnan(target.astype(np.float64))
                if parts is not None:
                    has &= ~parts  # a part's answers already travel with its parent's
                idx = target[has].astype(np.int64)
                pts = np.bincount(idx, weights=pts[has], minlength=len(pts)).astype(pts.dtype)  # float when weighted
                ans = np.bincount(idx, weights=ans[has], minlength=len(ans)).astype(ans.dtype)
            combined = combined.with_columns(
                pl.col(points_col(p.pool_into)) + pts,
                pl.col(answers_col(p.pool_into)) + ans,
            )
    return combined


def score_year(
    model: Model,
    institutions: pl.DataFrame,
    responses: pl.DataFrame,
    deductions: pl.DataFrame | None = None,
    *,
    include_items: bool = True,
    breakdowns: bool = True,
    roster: pl.DataFrame | None = None,
) -> YearResult:
    """Score every institution of ``institutions`` (columns institution, name, type,
    staff, supervisor, and one column per model input) from ``responses``.

    ``roster``: roster sizes per institution, survey and stratum, needed when the model
    switches post-stratification weights on (``weighting``)."""
    bodies, responses = keyed(institutions, model_weighted(model, every_item(model, responses), roster), units=True)
    types = institutions["type"].to_numpy().astype(str)
    n = institutions.height
    columns: dict[str, np.ndarray] = {}
    survey_score: dict[str, np.ndarray] = {}
    survey_n: dict[str, np.ndarray] = {}

    fine = _fine_tallies(model, bodies, responses)
    parents = parent_bodies(model, institutions)
    parent = parent_index(institutions, parents)
    parts = parent >= 0
    tallies = _survey_tallies(bodies, fine, parent)
    for sv in model.surveys:
        # Pooled answers change item scores only; the survey's own count decides "scored".
        survey_n[sv.code] = tallies[sv.code][RESPONSES].to_numpy().astype(np.int64)
        combined = _with_pooled(model, bodies, tallies, sv.code, parts)
        # No own questionnaire, no score: pooled answers alone never make a survey score.
        has_own = survey_n[sv.code] > 0
        scores = {k: np.where(has_own, v, np.nan) for k, v in survey_scores(model, sv, combined).items()}
        columns[f"n_{sv.code}"] = survey_n[sv.code]
        for node in sv.root.walk():
            columns[f"score_{node.code}"] = scores[node.code]
        if include_items:
            for item in sv.items:
                columns[f"item_{item.code}"] = scores[item.code]
        survey_score[sv.code] = scores[sv.code]

    components = dict(survey_score)
    for inp in model.inputs:
        values = institutions[inp.code].cast(pl.Float64).to_numpy() if inp.code in institutions.columns else np.full(n, np.nan)
        components[inp.code] = values
        columns[f"input_{inp.code}"] = values
    add_composites(model, components)
    for comp in model.composites:
        columns[f"score_{comp.code}"] = components[comp.code]

    overall_raw, reason = _overall_and_reasons(model, types, components, survey_n)

    deductions = charged_to_parents(deductions, institutions, parents)
    per_inst = (
        _align(institutions.select("institution"), ded.per_institution(model, deductions))
        if deductions is not None else None
    )
    zeros = np.zeros(n)
    ext_pts = per_inst["incident_external_points"].to_numpy() if per_inst is not None else zeros
    int_pts = per_inst["incident_internal_points"].to_numpy() if per_inst is not None else zeros
    cred_pts = per_inst["credibility_points"].to_numpy() if per_inst is not None else zeros
    grade_down = per_inst["grade_down"].to_numpy() if per_inst is not None else zeros.astype(int)
    voided = per_inst["voided"].to_numpy().astype(bool) if per_inst is not None else zeros.astype(bool)

    floor = model.scale_min
    incident_points = {"external": ext_pts, "internal": int_pts}
    off_surveys = model.incidents.deduct_from == "surveys"  # 2022+: 부패실태 comes off the overall only
    for category, pts in incident_points.items():
        if category in survey_score:
            columns[f"{category}_reported"] = np.maximum(survey_score[category] - (pts if off_surveys else 0.0), floor)
    overall = np.maximum(overall_raw - ext_pts - int_pts - cred_pts, floor)

    status = np.where(reason != "", NOT_SCORED, SCORED).astype(object)
    answered = sum(survey_n.values()) > 0
    status[parts & answered] = IN_PARENT
    status[parts & ~answered] = NOT_MEASURED
    reason[parts & answered] = [_join(r, f"상급기관 {p} 평가에 포함(등급·순위 없음)")
                                for r, p in zip(reason[parts & answered], parents.filter(parts & answered).to_list())]
    reason[parts & ~answered] = "응답 없음: 올해 측정하지 않음(순환) 또는 미조사"
    void_reason = per_inst["void_reason"].to_list() if per_inst is not None else [None] * n
    for i in np.flatnonzero(voided):
        status[i] = VOIDED
        reason[i] = f"신뢰도 저해행위로 측정결과 무효: {void_reason[i]}" if void_reason[i] else "신뢰도 저해행위로 측정결과 무효"
    graded = status == SCORED
    overall = np.where(status == NOT_SCORED, np.nan, overall)

    scale = model.scale_max - model.scale_min
    grade_before = grade_within_types(overall, types, graded, model.grade_cut_points, model.grade_min_institutions,
                                      scale=scale)
    grade = apply_downgrades(grade_before, grade_down, model.grades)
    part_grades = grade_parts(components, model.grade_measures, types, graded, model.grade_cut_points,
                              model.grade_min_institutions, scale=scale)
    rank = rank_within_types(overall, types, graded, scale=scale)
    type_size = np.zeros(n, dtype=np.int64)
    for t in np.unique(types):
        type_size[types == t] = int((graded & (types == t)).sum())

    shown = graded | (status == IN_PARENT)  # a part's own overall is shown in its parent's breakdown
    published = np.where(shown, round_half_up(overall, model.publish_decimals), np.nan)
    frame = institutions.select("institution", "name", "type", "staff", "supervisor").with_columns(
        parents,
        pl.Series("type_name", [model.institution_types[t].name for t in types], dtype=pl.Utf8),
        pl.Series("status", status.tolist(), dtype=pl.Utf8),
        pl.Series("reason", reason.tolist(), dtype=pl.Utf8),
        *(pl.Series(k, v) for k, v in columns.items()),
        pl.Series("incident_external_points", ext_pts, dtype=pl.Float64),
        pl.Series("incident_internal_points", int_pts, dtype=pl.Float64),
        pl.Series("credibility_points", cred_pts, dtype=pl.Float64),
        pl.Series("corruption_points", ext_pts + int_pts, dtype=pl.Float64),  # 부패실태: both parts, capped
        pl.Series("overall_before_deductions", overall_raw, dtype=pl.Float64),
        pl.Series("overall", overall, dtype=pl.Float64),
        pl.Series("overall_published", published, dtype=pl.Float64),
        pl.Series("grade_before_sanctions", grade_before).cast(pl.Int64, strict=False),
        pl.Series("grade_down", grade_down).cast(pl.Int64),
        pl.Series("grade", grade).cast(pl.Int64, strict=False),
        pl.Series("rank_in_type", rank).cast(pl.Int64, strict=False),
        pl.Series("graded_in_type", type_size),
        *(pl.Series(f"grade_{code}", g).cast(pl.Int64, strict=False) for code, g in part_grades.items()),
    )
    frame = frame.with_columns(cs.float().fill_nan(None))
    breakdown = _breakdown(model, fine) if breakdowns else _empty_breakdown()
    return YearResult(institutions=frame, breakdown=breakdown)


def add_composites(model: Model, components: dict[str, np.ndarray]) -> None:
    """Composite scores (e.g. 2022's perceived integrity) from their parts, in place."""
    for comp in model.composites:
        components[comp.code] = sum(w * components[c] for c, w in comp.weights.items())


def weighted_overall(model: Model, types: np.ndarray, components: dict[str, np.ndarray]) -> np.ndarray:
    """Overall before deductions: each body's type's weight set over its components
    (arrays over bodies, or over (replicates, bodies) with ``types`` per body)."""
    shape = np.broadcast_shapes(*(np.shape(v) for v in components.values()))
    overall = np.full(shape, np.nan)
    for type_code in np.unique(types):
        members = types == type_code
        weights = model.weight_sets[model.institution_types[type_code].weight_set]
        overall[..., members] = sum(w * components[c][..., members] for c, w in weights.items())
    return overall


def _overall_and_reasons(model, types, components, survey_n) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sum by each type's weight set, and why a body cannot be scored."""
    n = len(types)
    overall = weighted_overall(model, types, components)
    reason = np.full(n, "", dtype=object)
    names = {s.code: s.name for s in model.surveys} | {i.code: i.name for i in model.inputs}
    for type_code in np.unique(types):
        members = types == type_code
        for survey in model.required_surveys(type_code):
            missing = members & ((survey_n[survey] == 0) | np.isnan(components[survey]))
            reason[missing] = [_join(r, f"{names[survey]} 응답 없음") for r in reason[missing]]
        for inp in model.required_inputs(type_code):
            missing = members & np.isnan(components[inp])
            reason[missing] = [_join(r, f"{names[inp]} 점수 없음") for r in reason[missing]]
    return overall, reason


def _join(existing: str, more: str) -> str:
    return f"{existing}; {more}" if existing else more


BREAKDOWN_SCHEMA = {
    "institution": pl.Utf8,
    "unit_kind": pl.Utf8,
    "unit": pl.Utf8,
    "survey": pl.Utf8,
    "responses": pl.Int64,
    "status": pl.Utf8,
    "score": pl.Float64,
}


def _empty_breakdown() -> pl.DataFrame:
    return pl.DataFrame(schema=BREAKDOWN_SCHEMA)


def _breakdown(model: Model, fine: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per-task (all) and per-office (scored only with enough responses) survey scores,
    from the fine tallies summed per unit.

    Pooled items are not part of these: they have no task or office.
    """
    parts = []
    for sv in model.surveys:
        for kind in UNITS:
            if kind not in fine[sv.code].columns:
                continue
            tallies = _rolled_up(fine[sv.code], ["institution", kind])
            if tallies.height == 0:
                continue
            scores = survey_scores(model, sv, tallies)
            counts = tallies[RESPONSES].to_numpy()
            enough = counts >= (model.office_min_responses if kind == "office" else 1)
            index_nodes = [c for c in sv.root.children]
            frame = pl.DataFrame(
                {
                    "institution": tallies["institution"].cast(pl.Utf8),
                    "unit_kind": [kind] * tallies.height,
                    "unit": tallies[kind].cast(pl.Utf8),
                    "survey": [sv.code] * tallies.height,
                    "responses": counts.astype(np.int64),
                    "status": np.where(enough, SCORED, "too_few_responses"),
                    "score": np.where(enough, scores[sv.code], np.nan),
                    **{f"score_{c.code}": np.where(enough, scores[c.code], np.nan) for c in index_nodes},
                }
            )
            parts.append(frame)
    if not parts:
        return _empty_breakdown()
    out = pl.concat(parts, how="diagonal")
    return out.with_columns(cs.float().fill_nan(None)).sort(["institution", "unit_kind", "unit", "survey"])
