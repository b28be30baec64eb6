"""Grades and ranks within each institution type.

z = (score - mean) / population SD of the type's graded institutions; grade g
is the first cut point c_g with z >= c_g (else the last grade). A type with
fewer than ``min_institutions`` graded bodies, or no spread, gives the middle
grade to all. Institutions that are not scored or voided are left out of the
mean and SD and get no grade. Sanctions lower a grade afterwards, never past
the last grade.

Exactly at a cut. Scores are floats computed from integer tallies, so a body whose
exact z is 0.5 may come out as 0.49999999999999982, and equal scores reached by
different sums may differ in the 16th digit. z is therefore never formed: a body
reaches cut c when (score − mean) >= c · SD − t, with the mean and SD summed
exactly (math.fsum), a type whose SD is within t has no spread, and scores within t
of each other rank equal. t is ``RELATIVE_TOLERANCE`` of the score scale: far below
any difference that could be published (two decimals) and far above the noise of the
float arithmetic that made the scores (~1e-15 of the scale). Exact rational
arithmetic would not help: the scores arrive as floats already (weights such as
0.638 are floats in the model file), so their noise is in the input, not in z.
"""

from __future__ import annotations

import math

import numpy as np

RELATIVE_TOLERANCE = 1e-9  # of the score scale (module doc)


def grades_from_z(z: np.ndarray, cut_points: tuple[float, ...]) -> np.ndarray:
    """Grade 1 for z >= cut_points[0], 2 for z >= cut_points[1], ...; last grade below all."""
    cuts = np.asarray(cut_points, dtype=np.float64)
    # Number of cut points that z fails to reach = grade - 1 (cuts are descending).
    return 1 + (z[:, None] < cuts[None, :]).sum(axis=1)


def grade_within_types(
    scores: np.ndarray,
    types: np.ndarray,
    graded: np.ndarray,
    cut_points: tuple[float, ...],
    min_institutions: int,
    *,
    scale: float,
) -> np.ndarray:
    """Grades (float array, NaN where not graded) for each institution; ``scale`` is the
    width of the score scale (10 or 100), which sets the tolerance (module doc)."""
    tolerance = RELATIVE_TOLERANCE * scale
    grades = np.full(scores.shape, np.nan)
    middle = (len(cut_points) + 2) // 2
    cuts = np.asarray(cut_points, dtype=np.float64)
    for type_code in np.unique(types[graded]):
        members = graded & (types == type_code)
        values = scores[members]
        deviations = values - math.fsum(values) / len(values)
        sd = math.sqrt(math.fsum(deviations * deviations) / len(values))  # population SD (ddof=0)
        if members.sum() < min_institutions or sd <= tolerance:
            grades[members] = middle
            continue
        # Cut points not reached (they descend) = grade - 1.
        grades[members] = 1 + (deviations[:, None] < cuts[None, :] * sd - tolerance).sum(axis=1)
    return grades


def grade_parts(
    components: dict[str, np.ndarray],
    measures: tuple[str, ...],
    types: np.ndarray,
    graded: np.ndarray,
    cut_points: tuple[float, ...],
    min_institutions: int,
    *,
    scale: float,
) -> dict[str, np.ndarray]:
    """Grades of the parts published beside the overall grade (2022+: 청렴체감도, 청렴노력도),
    each within type by the same rule as the overall score, over the bodies graded overall
    that have that part's score. ``measures`` as the model file lists them; "overall" is
    graded by the engine itself (with sanctions) and skipped here."""
    out = {}
    for code in measures:
        if code == "overall":
            continue
        values = components[code]
        has = graded & ~np.isnan(values)
        out[code] = grade_within_types(np.where(has, values, 0.0), types, has, cut_points, min_institutions, scale=scale)
    return out


def apply_downgrades(grades: np.ndarray, levels: np.ndarray, last_grade: int) -> np.ndarray:
    return np.where(np.isnan(grades), np.nan, np.minimum(grades + levels, last_grade))


def rank_within_types(scores: np.ndarray, types: np.ndarray, ranked: np.ndarray, *, scale: float) -> np.ndarray:
    """Competition rank (1, 2, 2, 4 ...) by score, highest first, within each type; scores
    within the tolerance of each other are equal (module doc)."""
    tolerance = RELATIVE_TOLERANCE * scale
    ranks = np.full(scores.shape, np.nan)
    for type_code in np.unique(types[ranked]):
        members = np.flatnonzero(ranked & (types == type_code))
        values = scores[members]
        # rank = 1 + number of members with a clearly higher score
        ranks[members] = 1 + (values[None, :] > values[:, None] + tolerance).sum(axis=1)
    return ranks
