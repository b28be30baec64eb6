"""The evaluation panel's rules (pure): who evaluates which institution, and what two
independent scores on one qualitative indicator decide.

Assignment: every institution gets two distinct evaluators of its panel, never one who
declared a tie with it (이해충돌 신고); one internal and one external when both kinds are
free of conflict for it; otherwise the least loaded. Institutions with the fewest eligible
evaluators are served first, so the scarce ones are not used up elsewhere.

Decision: two evaluators' points within the gap -> their mean; beyond it -> reconciliation
(조정) by an administrator or the panel's chair, who chooses a level with a reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

INTERNAL, EXTERNAL = "internal", "external"
PER_INSTITUTION = 2
TOLERANCE = 1e-9


class AssignmentError(ValueError):
    """Some institutions cannot get two evaluators without a conflict; nothing was assigned."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def assign(institutions: Iterable[Hashable], evaluators: Mapping[Hashable, str],
           ties: Iterable[tuple[Hashable, Hashable]] = (), *,
           existing: Mapping[Hashable, Iterable[Hashable]] | None = None,
           names: Mapping[Hashable, str] | None = None,
           load: Mapping[Hashable, int] | None = None,
           prefer_mixed: bool = True) -> dict[Hashable, tuple[Hashable, ...]]:
    """Institution -> its two evaluators (sorted by evaluator id).

    ``evaluators``: evaluator -> kind (internal/external); ``ties``: (evaluator,
    institution) pairs that may never meet; ``existing``: assignments kept as they are
    when still valid (a panel member, no tie), counted in the load and topped up to two;
    ``names``: institution -> name for the messages; ``load``: assignments each evaluator
    already carries elsewhere (balanced with these). Raises AssignmentError naming every
    institution with fewer than two eligible evaluators.
    """
    institutions = list(dict.fromkeys(institutions))
    blocked = set(ties)
    names = names or {}
    existing = existing or {}
    load = {e: (load or {}).get(e, 0) for e in evaluators}
    kept: dict[Hashable, list[Hashable]] = {}
    for inst in institutions:
        valid = [e for e in dict.fromkeys(existing.get(inst, ())) if e in evaluators and (e, inst) not in blocked]
        kept[inst] = valid[:PER_INSTITUTION]
        for e in kept[inst]:
            load[e] += 1
    eligible = {inst: [e for e in evaluators if (e, inst) not in blocked] for inst in institutions}
    problems = [
        f"{names.get(inst, inst)}: 이해충돌이 없는 평가위원이 {len(eligible[inst])}명뿐이라 두 명을 배정할 수 없습니다"
        for inst in institutions if len(eligible[inst]) < PER_INSTITUTION
    ]
    if problems:
        raise AssignmentError(problems)
    order = sorted(institutions, key=lambda inst: (len(eligible[inst]), str(inst)))
    result: dict[Hashable, tuple[Hashable, ...]] = {}
    for inst in order:
        chosen = list(kept[inst])
        while len(chosen) < PER_INSTITUTION:
            free = [e for e in eligible[inst] if e not in chosen]
            if prefer_mixed and chosen:  # the second takes the kind the first is not, if one is free
                other = [e for e in free if evaluators[e] not in {evaluators[c] for c in chosen}]
                free = other or free
            pick = min(free, key=lambda e: (load[e], str(e)))
            chosen.append(pick)
            load[pick] += 1
        result[inst] = tuple(sorted(chosen, key=str))
    return {inst: result[inst] for inst in institutions}


@dataclass(frozen=True)
class PairDecision:
    """What two independent scores decide: ``points`` (their mean) when within the gap,
    else ``reconcile`` with the difference."""

    reconcile: bool
    points: float | None
    difference: float


def decide_pair(first: float, second: float, gap: float) -> PairDecision:
    """``first``, ``second``: the two evaluators' points; ``gap``: the most they may differ
    (in points) and still be averaged."""
    difference = abs(first - second)
    if difference > gap + TOLERANCE:
        return PairDecision(reconcile=True, points=None, difference=difference)
    return PairDecision(reconcile=False, points=round((first + second) / 2, 4), difference=difference)
