"""Residents and parents: no roster; a draw by region, age band and sex in
proportion to the population (실시계획 III.3)."""

from __future__ import annotations

import numpy as np

from .random_draw import draw_per_group


def allocate_largest_remainder(population: np.ndarray, total: int) -> np.ndarray:
    """Integer quotas proportional to ``population`` summing to ``total`` (Hamilton).

    Exact integer arithmetic: each quota is the floor of its share ``p * total / P``,
    and the ones left over go to the largest remainders (``p * total mod P``), ties to
    the earlier cell — so the sum is exact, every quota is within 1 of its share, and
    an empty cell (remainder 0) never gets one."""
    counts = np.asarray(population)
    if counts.size and not np.all(np.equal(np.mod(counts, 1), 0)):
        raise ValueError("인구는 정수여야 합니다")
    counts = [int(c) for c in counts.tolist()]
    whole = sum(counts)
    if total < 0 or any(c < 0 for c in counts) or (total > 0 and whole <= 0):
        raise ValueError("인구와 표본 수는 양수여야 합니다")
    if total == 0:
        return np.zeros(len(counts), dtype=np.int64)
    quotas = [c * total // whole for c in counts]  # Python integers: no overflow, no rounding
    remainders = [c * total % whole for c in counts]
    short = total - sum(quotas)
    for i in sorted(range(len(counts)), key=lambda i: (-remainders[i], i))[:short]:
        quotas[i] += 1
    return np.asarray(quotas, dtype=np.int64)


def draw_stratified(cells: np.ndarray, population: np.ndarray, total: int, seed: int):
    """Draw ``total`` candidates whose cell numbers are ``cells`` (0..C-1), with cell
    quotas proportional to ``population`` (C cells). A cell with too few candidates
    gives what it has. Returns (indices, quotas)."""
    quotas = allocate_largest_remainder(population, total)
    chosen, _ = draw_per_group(cells, quotas, seed)
    return chosen, quotas
