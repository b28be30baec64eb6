"""Careless responding (Curran 2016; Meade & Craig 2012): long strings of the same
answer, no intra-individual variability, and multivariate outliers."""

from __future__ import annotations

import math

import numpy as np


def longstring(matrix: np.ndarray) -> np.ndarray:
    """Longest run of identical consecutive answers per row (NaN breaks a run)."""
    n, k = matrix.shape
    if k == 0:
        return np.zeros(n, dtype=np.int64)
    run = np.ones(n, dtype=np.int64)
    best = np.ones(n, dtype=np.int64)
    for j in range(1, k):  # a loop over items (a few dozen), not over respondents
        same = matrix[:, j] == matrix[:, j - 1]
        run = np.where(same, run + 1, 1)
        best = np.maximum(best, run)
    return best


def irv(matrix: np.ndarray) -> np.ndarray:
    """Intra-individual response variability: the SD of a row's answers."""
    with np.errstate(invalid="ignore"):
        return np.nanstd(matrix, axis=1)


def mahalanobis_squared(matrix: np.ndarray) -> np.ndarray:
    """Squared Mahalanobis distance of each row from the column means (missing
    answers take the column mean; the pseudo-inverse copes with collinear items)."""
    filled = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
    centred = filled - filled.mean(axis=0)
    cov = np.cov(filled, rowvar=False)
    inverse = np.linalg.pinv(np.atleast_2d(cov))
    return np.einsum("ij,jk,ik->i", centred, inverse, centred)


def chi2_critical(dof: int, z: float = 3.09) -> float:
    """Upper chi-square quantile (z=3.09: p = 0.001) by the Wilson–Hilferty approximation."""
    h = 2.0 / (9.0 * dof)
    return dof * (1.0 - h + z * math.sqrt(h)) ** 3


def careless_flags(matrix: np.ndarray) -> np.ndarray:
    """A row is flagged when every answer is the same (longstring = all items, or no
    variability) or it is a multivariate outlier at p < 0.001."""
    n, k = matrix.shape
    if n == 0 or k < 3:
        return np.zeros(n, dtype=bool)
    answered = (~np.isnan(matrix)).sum(axis=1)
    straight = (longstring(matrix) >= answered) & (answered >= 3)
    flat = irv(matrix) == 0
    outlier = mahalanobis_squared(matrix) > chi2_critical(k) if n > k + 1 else np.zeros(n, dtype=bool)
    return straight | flat | outlier
