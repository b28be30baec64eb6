"""Do the 95% intervals cover the truth 95% of the time, and are the grade-change
probabilities calibrated? (issue 16; DOMAIN.md "Statistical quality of published scores")

A generated year (``integrity.generate``) with many times the usual responses per
stratum is the *population*: its scores are the true scores and its grades the true
grades. Each simulated survey draws the usual number of responses in every stratum
(body, survey, task / office / group) with replacement from the population's
stratum — the design the bootstrap assumes — and is scored and bootstrapped like a
real year. Coverage is the share of (body, sample) pairs whose interval holds the
true score; calibration compares, in bins of the predicted grade-change probability,
the mean prediction with the share of samples whose grade differs from the true grade.
Deductions are left out: they are constants and shift score and interval alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ..generate import DEFAULT_RESPONSES, generate_year
from ..generate.mix import MIX_2017, TypeMix
from ..model.schema import Model
from ..scoring import score_year
from ..scoring.design import STRATUM, with_strata
from ..scoring.uncertainty import score_uncertainty

BODIES_2017 = sum(t.count for t in MIX_2017.values())
CALIBRATION_BINS = (0.0, 0.05, 0.15, 0.3, 0.5, 1.0000001)


@dataclass(frozen=True)
class SimulationResult:
    bodies: int
    samples: int
    responses_per_sample: int
    coverage: dict[str, float]  # survey code or "overall" -> share of intervals holding the truth
    pairs: dict[str, int]  # how many (body, sample) intervals each share is over
    calibration: pl.DataFrame  # bin, pairs, predicted (mean), observed (share of grade changes)


def small_mix(bodies: int) -> dict[str, TypeMix]:
    """The 2017 mix scaled to about ``bodies`` bodies, at least 3 per type (grading needs them)."""
    return {code: TypeMix(**{**t.__dict__, "count": max(3, round(t.count * bodies / BODIES_2017))})
            for code, t in MIX_2017.items()}


def simulate_coverage(model: Model, *, bodies: int = 60, samples: int = 200, seed: int = 1, multiple: int = 20,
                      replicates: int | None = None, progress=None) -> SimulationResult:
    """``multiple``: population size over sample size in every stratum."""
    mix = small_mix(bodies)
    n_bodies = sum(t.count for t in mix.values())
    per_body = DEFAULT_RESPONSES / BODIES_2017
    population = generate_year(model, seed=seed, responses=int(per_body * n_bodies * multiple), mix=mix)
    inst = population.institutions.rename({"code": "institution"})
    truth = score_year(model, inst, population.responses, include_items=False, breakdowns=False).institutions

    rows = with_strata(model, population.responses).with_row_index("row")
    strata = rows.group_by("institution", "survey", STRATUM).agg(pl.col("row")).with_columns(
        pl.col("row").list.len().alias("N"))
    starts = [np.asarray(r, dtype=np.int64) for r in strata["row"].to_list()]
    sizes = strata["N"].to_numpy().astype(np.int64)
    draws = np.maximum(2, np.round(sizes / multiple)).astype(np.int64)
    owner = np.repeat(np.arange(len(sizes)), draws)
    members = np.concatenate(starts)
    offset = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pop = population.responses.drop([c for c in (STRATUM,) if c in population.responses.columns])

    rng = np.random.default_rng(seed)
    surveys = [*model.survey_codes, "overall"]
    hits = {s: 0 for s in surveys}
    pairs = {s: 0 for s in surveys}
    predicted, observed = [], []
    true = {s: truth[f"score_{s}" if s != "overall" else "overall"].to_numpy() for s in surveys}
    true_grade = truth["grade"].to_numpy()
    for k in range(samples):
        picked = members[offset[owner] + (rng.random(len(owner)) * sizes[owner]).astype(np.int64)]
        sample = pop[picked]
        point = score_year(model, inst, sample, include_items=False, breakdowns=False).institutions
        unc = score_uncertainty(model, inst, sample, point=point, replicates=replicates, seed=seed * 100_003 + k)
        for s in surveys:
            low, high = unc[f"ci_low_{s}"].to_numpy(), unc[f"ci_high_{s}"].to_numpy()
            t = true[s]
            ok = ~np.isnan(t) & ~np.isnan(low.astype(float))
            hits[s] += int(((low[ok] <= t[ok]) & (t[ok] <= high[ok])).sum())
            pairs[s] += int(ok.sum())
        graded = point["grade"].is_not_null().to_numpy() & ~np.isnan(true_grade.astype(float))
        predicted.append(unc["grade_change_probability"].to_numpy()[graded])
        observed.append(point["grade"].to_numpy()[graded] != true_grade[graded])
        if progress:
            progress(k + 1, samples)
    return SimulationResult(
        bodies=n_bodies, samples=samples, responses_per_sample=int(draws.sum()),
        coverage={s: hits[s] / pairs[s] if pairs[s] else float("nan") for s in surveys}, pairs=pairs,
        calibration=_calibration(np.concatenate(predicted), np.concatenate(observed)),
    )


def _calibration(predicted: np.ndarray, observed: np.ndarray) -> pl.DataFrame:
    bins = np.digitize(predicted, CALIBRATION_BINS) - 1
    rows = []
    for b in range(len(CALIBRATION_BINS) - 1):
        inside = bins == b
        if inside.any():
            rows.append({"bin": f"{CALIBRATION_BINS[b]:.2f}–{min(CALIBRATION_BINS[b + 1], 1.0):.2f}",
                         "pairs": int(inside.sum()), "predicted": float(predicted[inside].mean()),
                         "observed": float(observed[inside].mean())})
    return pl.DataFrame(rows, schema={"bin": pl.Utf8, "pairs": pl.Int64, "predicted": pl.Float64, "observed": pl.Float64})
