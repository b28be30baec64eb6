"""The internal roster's interval method (실시계획 III.2, 예시 1·2).

Departments in organisation-chart order (smallest unit), audit office removed:
take the 1st and 2nd whole; then every position (multiple of k) + 2; while the
list is short of its target size, add positions (multiple of k) + 3, then + 4 …
Our reading where the seed is silent: the top-up counts 0 as a multiple of k
(so position 3 comes first), and goes on to + 4 … for lists still short, which
guarantees the target is reached whenever the whole list is large enough.
k=2 gives 4, 6, 8 …; k=3 gives 5, 8, 11 … The same on staff in 가나다 order picks
individuals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model.schema import Fieldwork


@dataclass(frozen=True)
class IntervalPlan:
    whole_list: bool
    list_size: int | None  # target size of the submitted list
    k: int | None


def interval_plan(fieldwork: Fieldwork, staff: int) -> IntervalPlan:
    """The k table: list size and interval for an institution of ``staff`` people."""
    if staff < 0:
        raise ValueError("정원은 0 이상이어야 합니다")
    for row in fieldwork.k_table:
        if staff <= row.max_staff:
            return IntervalPlan(row.list_size is None, row.list_size, row.k)
    last = fieldwork.k_table[-1]
    extra = -(-(staff - last.max_staff) // fieldwork.beyond_staff_per_k)  # ceiling division
    return IntervalPlan(False, fieldwork.beyond_list_size, (last.k or 1) + extra)


def select_by_interval(sizes: Sequence[int], k: int, target: int) -> list[int]:
    """1-based positions chosen from units of the given sizes (in order).

    Positions 1 and 2, then m*k + 2 for m >= 1; while the chosen total is below
    ``target``, m*k + 3 for m >= 0, then m*k + 4 … in increasing order.
    """
    if k < 2:
        raise ValueError("구간값 k는 2 이상이어야 합니다")
    n = len(sizes)
    chosen = [p for p in (1, 2) if p <= n] + [p for p in range(k + 2, n + 1, k)]
    total = sum(sizes[p - 1] for p in chosen)
    for offset in range(3, k + 2):
        if total >= target:
            break
        for p in range(offset, n + 1, k):
            if total >= target:
                break
            chosen.append(p)
            total += sizes[p - 1]
    return sorted(chosen)


@dataclass(frozen=True)
class Department:
    name: str
    headcount: int
    audit_office: bool = False


def select_departments(departments: Sequence[Department], k: int, target: int) -> list[Department]:
    """Departments whose whole staff go on the list; the audit office never does."""
    eligible = [d for d in departments if not d.audit_office]
    positions = select_by_interval([d.headcount for d in eligible], k, target)
    return [eligible[p - 1] for p in positions]


def select_names(names: Sequence[str], k: int, target: int) -> list[str]:
    """Individuals chosen by the same method on the staff sorted by name (가나다순).

    Hangul syllables sort in 가나다 order by code point, so plain string order is it.
    """
    ordered = sorted(names)
    return [ordered[p - 1] for p in select_by_interval([1] * len(ordered), k, target)]
