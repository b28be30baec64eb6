"""Random draws per task with quotas, reproducible from a stored seed."""

from __future__ import annotations

import numpy as np


def draw_per_group(groups: np.ndarray, wanted: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Choose ``wanted[g]`` members of each group ``g`` at random (all if fewer).

    ``groups`` holds a group number (0..G-1) per candidate. Returns the chosen
    candidates' indices and their contact order within their group (0 = first),
    both sorted by (group, order). Vectorised: one permutation and one sort.
    """
    groups = np.asarray(groups, dtype=np.int64)
    wanted = np.asarray(wanted, dtype=np.int64)
    rng = np.random.default_rng(seed)
    keys = rng.random(len(groups))
    order = np.lexsort((keys, groups))  # by group, then by random key
    sorted_groups = groups[order]
    starts = np.searchsorted(sorted_groups, np.arange(len(wanted)), side="left")
    rank = np.arange(len(groups)) - starts[sorted_groups]
    keep = rank < wanted[sorted_groups]
    return order[keep], rank[keep]
