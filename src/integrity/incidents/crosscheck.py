"""Cross-checking the institutions' incident lists against the commission's own records
(실시계획 II.5 ①: "위원회 입력 자료 및 기관 제출 자료 대조"; a missing record can be a
credibility violation). Pure: dispositions in, findings out.

The match key is person-less, so that no name need be compared or kept in clear:
  (institution, disposition date, act type, disposition text without spaces).
Where both sides carry a name, its keyed hash (integrity.pii match_key) decides between
otherwise equal dispositions and keeps two people's dispositions from pairing up.

1. Same key (and no conflicting person) -> matched.
2. Of what is left in an institution, a record and a submission that share the person,
   or the disposition date and the act type or disposition -> mismatch: submitted
   differently; the fields that differ are named.
3. Records still left -> omissions (in the records, not submitted); submissions
   still left -> extras (submitted, not in the records).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

MATCHED, OMISSION, MISMATCH, EXTRA = "matched", "omission", "mismatch", "extra"
FIELD_NAMES = {"disposed_on": "처분일", "act_type": "부패행위 유형", "disposition": "처분"}


@dataclass(frozen=True)
class Disposition:
    ref: object  # the record's id, or the submission's (form, row)
    institution: str
    disposed_on: date | None
    act_type: str
    disposition: str
    person: str | None = None  # keyed hash of the name, never the name


@dataclass(frozen=True)
class Finding:
    kind: str
    record: Disposition | None
    submitted: Disposition | None
    differences: tuple[str, ...] = ()

    @property
    def institution(self) -> str:
        return (self.record or self.submitted).institution

    @property
    def key(self) -> str:
        """Stable across runs: a decided finding is recognised when the check runs again."""
        d = self.record or self.submitted
        return "|".join([self.kind, *map(str, match_key(d)), d.person or ""])[:200]


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text or "").casefold()


def match_key(d: Disposition) -> tuple:
    return (d.institution, d.disposed_on, d.act_type, normal(d.disposition))


def _compatible(a: Disposition, b: Disposition) -> bool:
    return a.person is None or b.person is None or a.person == b.person


def _closeness(record: Disposition, sub: Disposition) -> int:
    """How alike two dispositions of one institution are; 0: not the same case."""
    same_person = record.person is not None and record.person == sub.person
    same_day = record.disposed_on is not None and record.disposed_on == sub.disposed_on
    if not _compatible(record, sub):
        return 0
    same_act, same_disposition = record.act_type == sub.act_type, normal(record.disposition) == normal(sub.disposition)
    if same_person or (same_day and (same_act or same_disposition)):
        return 4 * same_person + 2 * same_day + same_act + same_disposition
    return 0


def _differences(record: Disposition, sub: Disposition) -> tuple[str, ...]:
    out = []
    if record.disposed_on != sub.disposed_on:
        out.append("disposed_on")
    if record.act_type != sub.act_type:
        out.append("act_type")
    if normal(record.disposition) != normal(sub.disposition):
        out.append("disposition")
    return tuple(out)


def _order(d: Disposition) -> tuple:
    return (d.disposed_on or date.min, d.act_type, normal(d.disposition), d.person or "", str(d.ref))


def cross_check(records: list[Disposition], submitted: list[Disposition]) -> list[Finding]:
    """Every record and every submission in exactly one finding (matched ones included)."""
    pools: dict[str, list[Disposition]] = defaultdict(list)
    for sub in sorted(submitted, key=_order):
        pools[sub.institution].append(sub)
    out: list[Finding] = []
    left: list[Disposition] = []
    # 1. exact facts; the same person first where names are known
    for record in sorted(records, key=_order):
        pool = pools[record.institution]
        same = [s for s in pool if match_key(s) == match_key(record) and _compatible(record, s)]
        if not same:
            left.append(record)
            continue
        chosen = next((s for s in same if record.person is not None and s.person == record.person), same[0])
        pool.remove(chosen)
        out.append(Finding(MATCHED, record, chosen))
    # 2. submitted differently: the closest remaining submission of the same institution
    for record in left:
        pool = pools[record.institution]
        scored = [(_closeness(record, s), -i, s) for i, s in enumerate(pool)]
        best = max(scored, default=None, key=lambda t: t[:2])
        if best is None or best[0] == 0:
            out.append(Finding(OMISSION, record, None))
            continue
        pool.remove(best[2])
        out.append(Finding(MISMATCH, record, best[2], _differences(record, best[2])))
    # 3. submitted but not in the records
    for institution in sorted(pools):
        out.extend(Finding(EXTRA, None, s) for s in pools[institution])
    return out


def describe(finding: Finding) -> str:
    """A Korean line for the list: what differs, or what is missing where."""
    if finding.kind == OMISSION:
        return "위원회 처분자료에 있으나 기관이 제출한 목록에 없음"
    if finding.kind == EXTRA:
        return "기관이 제출했으나 위원회 처분자료에 없음"
    if finding.kind == MISMATCH:
        parts = []
        for field in finding.differences:
            theirs, ours = getattr(finding.submitted, field), getattr(finding.record, field)
            parts.append(f"{FIELD_NAMES[field]}: 제출 '{theirs or '-'}' / 위원회 '{ours or '-'}'")
        return "; ".join(parts) or "같은 사람의 처분이 다르게 제출됨"
    return "일치"
