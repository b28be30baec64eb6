"""Residents and parents: no roster; a draw by region, age band and sex in
proportion to the population (실시계획 III.3)."""

from __future__ import annotations

import numpy as np

from .random_draw import draw_per_group


def allocate_largest_remainder(population: np.ndarray, total: int) -> np.ndarray:
    """Integer quotas proportional to ``population`` summing to ``total`` (Hamilton)."""
    population = np.asarray(population, dtype=np.float64)
    if total < 0 or population.sum() <= 0:
        raise ValueError("인구와 표본 수는 양수여야 합니다")
    exact = population / population.sum() * total
    quotas = np.floor(exact).astype(np.int64)
    short = total - quotas.sum()
    # ties broken by cell order, so the allocation is deterministic
    remainders = exact - quotas
    quotas[np.argsort(-remainders, kind="stable")[:short]] += 1
    return quotas


def draw_stratified(cells: np.ndarray, population: np.ndarray, total: int, seed: int):
    """Draw ``total`` candidates whose cell numbers are ``cells`` (0..C-1), with cell
    quotas proportional to ``population`` (C cells). A cell with too few candidates
    gives what it has. Returns (indices, quotas)."""
    quotas = allocate_largest_remainder(population, total)
    chosen, _ = draw_per_group(cells, quotas, seed)
    return chosen, quotas
