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
reaches cut c when (score − mean) >= c · SD − tolerance, with the mean and SD summed
exactly (math.fsum), and a type whose SD is within the tolerance has no spread. The
tolerance (the engine passes 1e-9 of the score scale) is far below any difference
that could be published (two decimals) and far above floating-point noise (~1e-15).
"""

from __future__ import annotations

import math

import numpy as np


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
    tolerance: float = 0.0,
) -> np.ndarray:
    """Grades (float array, NaN where not graded) for each institution; ``tolerance``
    in score units decides bodies on a cut and types without spread (module doc)."""
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


def apply_downgrades(grades: np.ndarray, levels: np.ndarray, last_grade: int) -> np.ndarray:
    return np.where(np.isnan(grades), np.nan, np.minimum(grades + levels, last_grade))


def rank_within_types(scores: np.ndarray, types: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Competition rank (1, 2, 2, 4 ...) by score, highest first, within each type."""
    ranks = np.full(scores.shape, np.nan)
    for type_code in np.unique(types[ranked]):
        members = np.flatnonzero(ranked & (types == type_code))
        values = scores[members]
        # rank = 1 + number of members with a strictly higher score
        ranks[members] = 1 + (values[None, :] > values[:, None]).sum(axis=1)
    return ranks
