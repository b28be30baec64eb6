"""Standard errors, intervals and grade stability of the published scores.

Method: a stratified bootstrap, Rao–Wu rescaled (DOMAIN.md, "Statistical quality of
published scores"; docs/scoring.md says why). Every score is a smooth-ish function of
the item tallies, and a tally is a sum over response rows of the row's points, so a
replicate tally is the same sum with a replicate weight per row: ``W @ P``.

- Rows of a body and survey are split into strata (``design``: task, office or
  group as the model file says). In each stratum of n_h >= 2 rows a replicate draws
  n_h − 1 rows with replacement; a row drawn c times weighs c · n_h / (n_h − 1). This
  rescaling makes the replicate variance of a stratum mean the unbiased textbook
  one, which a plain n_h-out-of-n_h bootstrap underestimates by (n_h − 1)/n_h.
- A stratum of one row cannot be resampled: such rows of a body and survey are
  pooled into one stratum ("collapsed strata"); a single row left alone keeps weight 1
  and adds no variance.
- Rows are put in a canonical order (body, stratum, answers) before drawing, so the
  result does not depend on the order of the input rows; draws come from one seeded
  numpy Generator, so a seed gives the same figures on any machine.
- Replicate tallies go through the engine's own tree code (``tree.survey_scores``),
  pooled items (X1, X2) follow the rows they come from, the overall uses the type's
  weight set, and deductions are constants. District offices' replicate tallies are
  folded into their provincial office's as the engine folds the point tallies (``within``). Each replicate regrades every type with
  ``grading.grade_within_types`` (the engine's rule, cut points from the model).

Output per body: ``se_<survey>``, ``ci_low_<survey>``, ``ci_high_<survey>`` for each
survey score (before incident points) and for the overall score; percentile
intervals at the model's confidence; ``grade_change_probability``, the share of
replicates whose grade differs from the published one; ``near_cut``, whether the
overall score lies within one standard error of a grade cut (the cut in score
units: type mean + cut × type SD).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from ..model.schema import AMOUNT, FREQUENCY, INDIRECT, RATE, Model
from .aggregate import WEIGHT, answers_col, points_col, row_exprs
from .design import STRATUM, with_strata
from .engine import SCORED, add_composites, every_item, keyed, pooled_allowed, score_year, weighted_overall
from .grading import RELATIVE_TOLERANCE, apply_downgrades, grade_within_types
from .tree import survey_scores
from .weighting import model_weighted
from .within import parent_bodies, parent_index

REPLICATE_BLOCK = 50  # replicates per pass: bounds memory to ~100 MB for a national year
SCRATCH_ELEMENTS = 2_000_000  # replicate × row temporaries per step (16 MB as float64)
SINGLETONS = "\0singletons"  # the collapsed stratum of a body's one-row strata


@dataclass(frozen=True)
class _SurveyRows:
    """One survey's rows in canonical order, ready to be resampled."""

    items: tuple[str, ...]  # questionnaire item codes, pooled ones included
    values: np.ndarray  # (rows, 2 × items): points then counts, per row
    bounds: np.ndarray  # (bodies + 1,): the rows of body i are bounds[i]:bounds[i + 1]
    first: np.ndarray  # (rows,): index of the first row of the row's stratum
    size: np.ndarray  # (rows,): rows in the row's stratum
    drawn: np.ndarray  # (rows,): whether the row's draw is used (n_h − 1 draws per stratum)
    scale: np.ndarray  # (rows + 1,): weight of one draw of the row (then 0 for the padding row)
    buckets: list  # ``_buckets``: bodies of similar size with their padded rows and values


def score_uncertainty(
    model: Model,
    institutions: pl.DataFrame,
    responses: pl.DataFrame,
    deductions: pl.DataFrame | None = None,
    *,
    point: pl.DataFrame | None = None,
    replicates: int | None = None,
    seed: int | None = None,
    roster: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per institution (in the order of ``institutions``) with the standard
    errors, intervals and grade stability described above.

    ``point`` is ``score_year``'s institutions frame for the same inputs (computed here
    when not given); ``replicates`` and ``seed`` default to the model file's.
    """
    replicates = replicates or model.uncertainty.replicates
    seed = model.uncertainty.seed if seed is None else seed
    if point is None:
        point = score_year(model, institutions, responses, deductions, include_items=False, breakdowns=False,
                           roster=roster).institutions
    weighted = model_weighted(model, every_item(model, responses), roster)
    bodies, rows = keyed(institutions, with_strata(model, weighted))
    n = institutions.height
    prepared = {sv.code: _survey_rows(model, bodies, rows, sv) for sv in model.surveys}
    own = {sv.code: point[f"n_{sv.code}"].to_numpy() > 0 for sv in model.surveys}
    supervisor = _supervisor_matrix(bodies)
    parent = parent_index(institutions, parent_bodies(model, institutions))
    fold = _fold_matrix(parent)  # district offices' rows count in their provincial office (engine: within.fold)
    supervisor[parent >= 0, :] = 0.0  # a part's pooled answers travel with its parent's

    rng = np.random.default_rng(seed)
    survey_reps = {sv.code: np.empty((replicates, n)) for sv in model.surveys}
    with threadpool_limits(limits=1, user_api="blas"):  # many tiny products: BLAS threads only contend
        _replicate_scores(model, prepared, own, supervisor, rng, survey_reps, replicates, n, fold)
    overall_reps = _replicate_overall(model, institutions, point, survey_reps)
    return _summary(model, institutions, point, survey_reps, overall_reps, replicates)


def _replicate_scores(model, prepared, own, supervisor, rng, survey_reps, replicates: int, n: int,
                      fold: np.ndarray | None = None) -> None:
    """Fill ``survey_reps`` (replicates, bodies) block by block."""
    pseudo = {code: _pseudo_yes(model, rows, n, fold) for code, rows in prepared.items()}
    lam = model.uncertainty.rare_event_pseudo_count
    for start in range(0, replicates, REPLICATE_BLOCK):
        block = min(REPLICATE_BLOCK, replicates - start)
        tallies = {code: _replicate_tallies(prepared[code], rng, block, n) for code in prepared}
        if fold is not None:  # before the pseudo-counts: a parent's sample is its parts' too
            tallies = {code: values @ fold for code, values in tallies.items()}
        if lam > 0:
            for code, tally in tallies.items():
                _add_pseudo_yes(tally, pseudo[code], len(prepared[code].items), lam, rng)
        for sv in model.surveys:
            flat = _pooled_into(model, sv, tallies, prepared, supervisor)
            scores = survey_scores(model, sv, flat)[sv.code].reshape(block, n)
            survey_reps[sv.code][start:start + block] = np.where(own[sv.code], scores, np.nan)


def _pseudo_yes(model: Model, rows: _SurveyRows, bodies: int,
                fold: np.ndarray | None = None) -> list[tuple[int, float, np.ndarray]]:
    """For the survey's experience items: (item index, points of one "yes", the bodies
    whose sample holds no "yes" to it). Points of a "yes": 1 for a rate, 0 for indirect
    experience (its points count "no"), for frequency and amount the mean of the positive
    answers in the sample (else the smallest positive value)."""
    items = len(rows.items)
    starts = rows.bounds[:-1]
    filled = np.diff(rows.bounds) > 0
    sums = np.zeros((bodies, rows.values.shape[1]))
    if rows.values.shape[0]:
        sums[filled] = np.add.reduceat(rows.values, starts[filled], axis=0)
    if fold is not None:
        sums = fold.T @ sums  # a provincial office's sample holds its district offices' rows
    out = []
    for k, code in enumerate(rows.items):
        item = model.items[code]
        points, answers = sums[:, k], sums[:, items + k]
        if item.method == RATE:
            out.append((k, 1.0, (points == 0) & (answers > 0)))
        elif item.method == INDIRECT:
            out.append((k, 0.0, (points == answers) & (answers > 0)))
        elif item.method in (FREQUENCY, AMOUNT):
            column = rows.values[:, k]
            positive = column[column > 0]
            fallback = min(v for v in item.answer.values.values() if v > 0)
            out.append((k, float(positive.mean()) if positive.size else float(fallback), (points == 0) & (answers > 0)))
    return out


def _add_pseudo_yes(tally: np.ndarray, pseudo: list[tuple[int, float, np.ndarray]], items: int, lam: float,
                    rng: np.random.Generator) -> None:
    """Add Poisson(lam) pseudo "yes" answers to each replicate's experience items of the
    bodies whose sample caught none: their replicates would otherwise never see one and
    give the item an interval of zero width at the top of the scale, while the rate
    behind it is small but not zero (the simulation's misses below the interval;
    docs/scoring.md). A body with a "yes" in its sample is resampled as it is."""
    for k, value, empty in pseudo:
        extra = rng.poisson(lam, size=tally[k].shape) * (empty & (tally[items + k] > 0))
        tally[k] += extra * value
        tally[items + k] += extra


def _survey_rows(model: Model, bodies: pl.DataFrame, rows: pl.DataFrame, sv) -> _SurveyRows:
    items = tuple(i.code for i in sv.questionnaire_items)
    allowed = pooled_allowed(sv, bodies)
    pairs = [row_exprs(model, model.items[code], allowed=allowed.get(code)) for code in items]
    exprs = [points for points, _ in pairs] + [counts for _, counts in pairs]  # points of every item, then counts
    frame = rows.filter(pl.col("survey") == sv.code)
    weight = pl.col(WEIGHT) if WEIGHT in frame.columns else pl.lit(1.0)
    frame = frame.select(
        pl.col("institution").to_physical().alias("body"), STRATUM,
        *[e * weight for e in exprs],  # post-stratification weight (1 when off) scales points and counts
    )
    # Strata of one row are collapsed into one stratum per body (module doc).
    one = pl.len().over("body", STRATUM) == 1
    frame = frame.with_columns(pl.when(one).then(pl.lit(SINGLETONS)).otherwise(pl.col(STRATUM)).alias(STRATUM))
    # Canonical order: the input's row order must not matter.
    frame = frame.sort(["body", STRATUM, *frame.columns[2:]])
    body = frame["body"].to_numpy().astype(np.int64)
    bounds = np.searchsorted(body, np.arange(bodies.height + 1), side="left")
    in_stratum = pl.int_range(pl.len()).over("body", STRATUM)
    strata = frame.with_row_index("row").select(
        pl.col("row").first().over("body", STRATUM).cast(pl.Int64).alias("first"),
        pl.len().over("body", STRATUM).cast(pl.Int64).alias("size"),
        (in_stratum < pl.len().over("body", STRATUM) - 1).alias("drawn"),
    )
    size = strata["size"].to_numpy()
    drawn = strata["drawn"].to_numpy() | (size == 1)
    values = frame.select(frame.columns[2:]).to_numpy().astype(np.float64)
    scale = np.where(size > 1, size / np.maximum(size - 1, 1), 1.0)  # Rao–Wu: n_h − 1 draws weigh n_h/(n_h − 1)
    return _SurveyRows(items, values, bounds, strata["first"].to_numpy(), size, drawn, np.append(scale, 0.0),
                       _buckets(values, bounds))


def _replicate_tallies(rows: _SurveyRows, rng: np.random.Generator, block: int, bodies: int) -> np.ndarray:
    """(2 × items, block, bodies) replicate tallies: Rao–Wu weights drawn within strata
    for every row at once, then per body the weights times its rows' points and counts."""
    n, width = rows.values.shape
    out = np.zeros((width, block, bodies))
    if n == 0:
        return out
    # A stratum of n_h rows makes n_h − 1 draws (a lone row "draws" itself).
    first, size = rows.first[rows.drawn], rows.size[rows.drawn]
    # u · n_h · (1 − 2⁻²⁰) stays below n_h after float32 rounding, so no clamp is needed;
    # the last row of a stratum loses a millionth of its chance.
    size32 = (size * (1.0 - 2.0**-20)).astype(np.float32)
    # Few replicates at a time: temporaries under ~16 MB are reused by the allocator,
    # larger ones are fresh pages every time (several times slower).
    step = max(1, min(block, SCRATCH_ELEMENTS // (n + 1)))
    for lo in range(0, block, step):
        k = min(step, block - lo)
        draws = rng.random((k, len(first)), dtype=np.float32)
        draws *= size32
        picks = draws.astype(np.int64)
        picks += first
        picks += (np.arange(k, dtype=np.int64) * (n + 1))[:, None]
        # Column n of each replicate stays 0: the padding rows of ``_buckets`` point at it.
        weights = np.bincount(picks.ravel(), minlength=k * (n + 1)).reshape(k, n + 1) * rows.scale
        for members, padded_rows, padded_values in rows.buckets:
            # (bodies, k, L) @ (bodies, L, width): one batched product per bucket of similar sizes
            out[:, lo:lo + k, members] = np.matmul(weights[:, padded_rows].transpose(1, 0, 2),
                                                   padded_values).transpose(2, 1, 0)
    return out


def _buckets(values: np.ndarray, bounds: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Bodies grouped by row count rounded up to a power of two, each with its rows'
    indices padded to that length (padding points at row n, a row of zeros) and the
    padded values: a few batched matrix products instead of one per body."""
    n = values.shape[0]
    counts = np.diff(bounds)
    length = np.where(counts > 0, 2 ** np.ceil(np.log2(np.maximum(counts, 8))).astype(np.int64), 0)
    extended = np.vstack([values, np.zeros((1, values.shape[1]))])
    out = []
    for size in np.unique(length[length > 0]):
        members = np.flatnonzero(length == size)
        offsets = np.arange(size)[None, :]
        index = bounds[members][:, None] + offsets
        index = np.where(offsets < counts[members][:, None], index, n)
        out.append((members, index, extended[index]))
    return out


def _fold_matrix(parent: np.ndarray) -> np.ndarray | None:
    """(bodies, bodies): identity plus a 1 at (part, its parent); None when no body is a part."""
    parts = np.flatnonzero(parent >= 0)
    if not len(parts):
        return None
    matrix = np.eye(len(parent))
    matrix[parts, parent[parts]] = 1.0
    return matrix


def _supervisor_matrix(bodies: pl.DataFrame) -> np.ndarray:
    """(bodies, bodies) with a 1 at (body, its supervisor): tallies @ it move to the supervisor."""
    n = bodies.height
    target = bodies["supervisor"].to_physical().to_numpy().astype(np.float64)
    has = ~np.isnan(target)
    matrix = np.zeros((n, n))
    matrix[np.flatnonzero(has), target[has].astype(np.int64)] = 1.0
    return matrix


def _pooled_into(model: Model, sv, tallies: dict[str, np.ndarray], prepared: dict[str, _SurveyRows],
                 supervisor: np.ndarray) -> pl.DataFrame:
    """This survey's replicate tallies plus pooled items of other surveys (the engine's
    ``_with_pooled``, replicate by replicate), flattened to (block × bodies) rows."""
    own = prepared[sv.code]
    _, block, n = tallies[sv.code].shape
    columns = {}
    for k, code in enumerate(own.items):
        columns[points_col(code)] = tallies[sv.code][k]
        columns[answers_col(code)] = tallies[sv.code][len(own.items) + k]
    receiving = {i.code for i in sv.items}
    for source in model.surveys:
        src = prepared[source.code]
        for p in source.pooled_items:
            if p.pool_into not in receiving:
                continue
            k = src.items.index(p.code)
            pts, ans = tallies[source.code][k], tallies[source.code][len(src.items) + k]
            if p.pool_target == "supervisor":
                pts, ans = pts @ supervisor, ans @ supervisor
            columns[points_col(p.pool_into)] = columns[points_col(p.pool_into)] + pts  # never in place: views
            columns[answers_col(p.pool_into)] = columns[answers_col(p.pool_into)] + ans
    return pl.DataFrame({name: values.reshape(block * n) for name, values in columns.items()})


def _replicate_overall(model: Model, institutions: pl.DataFrame, point: pl.DataFrame,
                       survey_reps: dict[str, np.ndarray]) -> np.ndarray:
    """(replicates, bodies) overall scores: the type's weights over replicate survey
    scores and the entered inputs, minus the (constant) deductions, clamped."""
    types = point["type"].to_numpy().astype(str)
    components: dict[str, np.ndarray] = dict(survey_reps)
    for inp in model.inputs:
        components[inp.code] = point[f"input_{inp.code}"].fill_null(np.nan).to_numpy().astype(np.float64)
    add_composites(model, components)
    raw = weighted_overall(model, types, components)
    deducted = sum(point[c].fill_null(0.0).to_numpy() for c in
                   ("incident_external_points", "incident_internal_points", "credibility_points"))
    overall = np.maximum(raw - deducted, model.scale_min)
    scored = point["overall"].is_not_null().to_numpy()
    return np.where(scored, overall, np.nan)


def _summary(model: Model, institutions: pl.DataFrame, point: pl.DataFrame, survey_reps: dict[str, np.ndarray],
             overall_reps: np.ndarray, replicates: int) -> pl.DataFrame:
    alpha = 1.0 - model.uncertainty.confidence
    columns: dict[str, np.ndarray] = {}
    for code, reps in [*survey_reps.items(), ("overall", overall_reps)]:
        se, low, high = _spread(reps, alpha)
        # The interval always holds the score it is published with: with rare-event
        # pseudo-counts the replicates of an all-"no" sample sit below the estimate.
        published = point["overall" if code == "overall" else f"score_{code}"].fill_null(np.nan).to_numpy()
        low, high = np.fmin(low, np.where(np.isnan(low), np.nan, published)), np.fmax(high, np.where(np.isnan(high), np.nan, published))
        columns[f"se_{code}"], columns[f"ci_low_{code}"], columns[f"ci_high_{code}"] = se, low, high
    probability, near = _grade_stability(model, point, overall_reps, columns["se_overall"])
    return institutions.select(pl.col("institution").cast(pl.Utf8)).with_columns(
        pl.lit(replicates, dtype=pl.Int64).alias("replicates"),
        *(pl.Series(name, values, dtype=pl.Float64, nan_to_null=True) for name, values in columns.items()),
        pl.Series("grade_change_probability", probability, dtype=pl.Float64, nan_to_null=True),
        pl.Series("near_cut", near, dtype=pl.Boolean),
    )


def _spread(reps: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standard error (SD of the replicates) and the percentile interval, NaN where no score."""
    n = reps.shape[1]
    present = ~np.isnan(reps).all(axis=0)
    se, low, high = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    if present.any():
        kept = reps[:, present]
        holes = np.isnan(kept).any()  # only a graded body's odd replicate with nothing drawn
        se[present] = (np.nanstd if holes else np.std)(kept, axis=0, ddof=1)
        low[present], high[present] = (np.nanquantile if holes else np.quantile)(kept, [alpha / 2, 1 - alpha / 2], axis=0)
    return se, low, high


def _grade_stability(model: Model, point: pl.DataFrame, overall_reps: np.ndarray,
                     se: np.ndarray) -> tuple[np.ndarray, list[bool | None]]:
    """Share of replicates regraded differently, and whether the score is within one SE
    of a cut (None for bodies without a grade)."""
    types = point["type"].to_numpy().astype(str)
    graded = (point["status"] == SCORED).to_numpy()
    overall = point["overall"].fill_null(np.nan).to_numpy()
    grade = point["grade"].fill_null(np.nan).to_numpy().astype(np.float64)
    grade_down = point["grade_down"].fill_null(0).to_numpy()
    scale = model.scale_max - model.scale_min
    tolerance = RELATIVE_TOLERANCE * scale  # the grading's own (grading module doc)
    # A replicate with no score for a graded body (every row of an item drawn blank) keeps its point score.
    reps = np.where(np.isnan(overall_reps) & graded, overall, overall_reps)
    changed = np.zeros(len(types))
    for b in range(reps.shape[0]):
        before = grade_within_types(reps[b], types, graded, model.grade_cut_points, model.grade_min_institutions,
                                    scale=scale)
        changed += apply_downgrades(before, grade_down, model.grades) != grade
    probability = np.where(graded, changed / reps.shape[0], np.nan)
    distance = _distance_to_cut(model, overall, types, graded, tolerance)
    # A score that cannot move (SE within the grading tolerance) is never "near" a cut.
    near = [bool(s > tolerance and d <= s) if g else None for d, s, g in zip(distance, se, graded)]
    return probability, near


def _distance_to_cut(model: Model, overall: np.ndarray, types: np.ndarray, graded: np.ndarray,
                     tolerance: float) -> np.ndarray:
    """Distance from each graded body's score to the nearest grade cut of its type in
    score units (mean + cut × population SD, as ``grading`` places them); infinite
    where the type is too small or has no spread (everyone gets the middle grade)."""
    distance = np.full(len(types), np.inf)
    cuts = np.asarray(model.grade_cut_points, dtype=np.float64)
    for type_code in np.unique(types[graded]):
        members = graded & (types == type_code)
        values = overall[members]
        mean = math.fsum(values) / len(values)
        deviations = values - mean
        sd = math.sqrt(math.fsum(deviations * deviations) / len(values))
        if members.sum() < model.grade_min_institutions or sd <= tolerance:
            continue
        distance[members] = np.abs(deviations[:, None] - cuts[None, :] * sd).min(axis=1)
    return distance
