"""Which bodies measured within a parent (교육지원청 within 시·도교육청) are measured in a year.

Seed 002, I.5: a parent with 10 or more of them measures each on a three-year cycle (a
third a year); one with fewer than 5 measures all of them. The thresholds, the cycle and
the 5–9 case (``middle``) come from the model file (``Rotation``).

Reproducible: the choice depends only on the bodies' codes, their parents, the year and
the rule (and, when given, the groups of an earlier year). Cycling bodies are numbered in
order of (parent code, body code), one running count over all cycling parents, and a body's
group is that number modulo the cycle length. So each parent's bodies split into shares
that differ by at most one (a third a year), the national total per year is as even as it
can be, and over any ``cycle_years`` consecutive years every body is measured exactly once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from integrity.model.schema import Rotation

ALL_BELOW, MIDDLE_ALL, CYCLE = "all_below", "middle_all", "cycle"
RULE_NAMES = {ALL_BELOW: "전수 측정(관내 {all_below}개 미만)", MIDDLE_ALL: "전수 측정(관내 {all_below}~{below_cycle}개)",
              CYCLE: "{cycle_years}년 주기 순환 측정(관내 {cycle_from}개 이상)"}


@dataclass(frozen=True)
class Choice:
    body: str
    parent: str
    measured: bool
    rule: str  # ALL_BELOW, MIDDLE_ALL or CYCLE
    group: int | None  # cycle share of a cycling body (0 .. cycle_years-1); None when all are measured
    position: int  # the year's place in the cycle (0 .. cycle_years-1)


def cycle_position(rule: Rotation, year: int) -> int:
    return (year - rule.cycle_start_year) % rule.cycle_years


def parent_rule(rule: Rotation, count: int) -> str:
    if count < rule.all_below:
        return ALL_BELOW
    if count >= rule.cycle_from or rule.middle == "cycle":
        return CYCLE
    return MIDDLE_ALL


def rule_name(rule: Rotation, code: str) -> str:
    return RULE_NAMES[code].format(all_below=rule.all_below, below_cycle=rule.cycle_from - 1,
                                   cycle_years=rule.cycle_years, cycle_from=rule.cycle_from)


def choose(rule: Rotation, bodies: Iterable[tuple[str, str]], year: int,
           previous_groups: Mapping[str, int] | None = None) -> list[Choice]:
    """One ``Choice`` per (body code, parent code), in (parent, body) order.

    ``previous_groups`` (body code -> group of an earlier year's rotation) keeps a body in
    the share it had, so a registry that gains or loses an office does not reshuffle the
    cycle; a body new to the cycle joins its parent's smallest share."""
    by_parent: dict[str, list[str]] = defaultdict(list)
    for body, parent in bodies:
        by_parent[parent].append(body)
    position = cycle_position(rule, year)
    previous = {k: v for k, v in (previous_groups or {}).items() if 0 <= v < rule.cycle_years}
    out: list[Choice] = []
    counter = 0
    for parent in sorted(by_parent):
        members = sorted(by_parent[parent])
        kind = parent_rule(rule, len(members))
        if kind != CYCLE:
            out.extend(Choice(b, parent, True, kind, None, position) for b in members)
            continue
        groups = {}
        for body in members:
            groups[body] = counter % rule.cycle_years
            counter += 1
        if previous:
            groups = _carried_over(rule, members, groups, previous)
        out.extend(Choice(b, parent, groups[b] == position, kind, groups[b], position) for b in members)
    return out


def _carried_over(rule: Rotation, members: list[str], fresh: dict[str, int], previous: Mapping[str, int]) -> dict[str, int]:
    """Known bodies keep their group; new ones fill the smallest groups (lowest first)."""
    if not any(b in previous for b in members):
        return fresh
    groups = {b: previous[b] for b in members if b in previous}
    sizes = Counter(groups.values())
    for body in members:
        if body not in groups:
            smallest = min(range(rule.cycle_years), key=lambda g: (sizes[g], g))
            groups[body] = smallest
            sizes[smallest] += 1
    return groups


def measured_codes(choices: Iterable[Choice]) -> set[str]:
    return {c.body for c in choices if c.measured}
