"""Scope rules for corruption incidents (실시계획 II.5, III.4).

- Period: the disposition date, or the re-disposition date where the disposition
  changed, within the model's period; a major case that happened in the period
  counts even if not yet disposed. Public-service organisations' incident index
  uses its own period (last year's cut-off to this year's publication).
- Corrupt acts only: the act types the model lists (simple negligence is not one).
- Externally detected only: a self-detected case does not count.
- Attribution: to the body where the act happened, even if disciplined elsewhere;
  seconded staff count at both bodies; retirees and private persons performing
  public duties are included.
- Classification: external (e.g. bribes from outside firms) or internal
  (embezzlement, bribes in personnel matters): the act type's default, which a
  case's counterpart (외부/내부) or the administrator may override.
- A press-based case the institution rebutted with evidence, accepted by the
  administrator, does not count.
- Incident index (부패사건지수): public-service organisations' staff and the
  political appointees (정무직) of administrative bodies, over the index period.
- A case already deducted in a prior year counts again only when new facts or
  people came to light (dated within the period) as the proceedings went on;
  otherwise it is not counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model.schema import IncidentRules

SELF_DETECTED = "self"


@dataclass(frozen=True)
class CaseFacts:
    act_type: str
    detected_by: str  # detection code (commission, press ...) or "self"
    disciplined_at: str  # institution code where the case was disposed
    acted_at: str = ""  # institution code where the act happened, if elsewhere
    disposed_on: date | None = None
    redisposed_on: date | None = None
    acted_on: date | None = None
    major: bool = False
    seconded_from: str = ""  # home institution of seconded staff
    counterpart: str = ""  # external | internal: overrides the act type's default
    category: str = ""  # the administrator's classification, if decided
    public_service: bool = False  # the incident index (its own period)
    rebuttal_accepted: bool = False
    political: bool = False  # a political appointee (정무직): incident index
    prior_year: bool = False  # deducted in a prior year's assessment
    new_facts_on: date | None = None  # when new facts or people came to light (prior-year case)


@dataclass(frozen=True)
class Decision:
    counts: bool
    reason: str
    institutions: tuple[str, ...] = ()
    category: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    index: str = "disciplinary"  # disciplinary (징계지수) | incident (부패사건지수)
    recount: bool = False  # a prior-year case counted again


def _in(period: tuple[date, date] | None, day: date | None) -> bool:
    return period is not None and day is not None and period[0] <= day <= period[1]


def decide(rules: IncidentRules, case: CaseFacts) -> Decision:
    if case.act_type not in rules.act_types:
        return Decision(False, f"부패행위 유형이 아님('{case.act_type}')")
    if case.detected_by == SELF_DETECTED or case.detected_by not in rules.detection:
        return Decision(False, "자체 적발 사건은 반영하지 않음")
    if case.rebuttal_accepted:
        return Decision(False, "기관의 소명이 받아들여짐")
    index = "incident" if case.public_service or case.political else "disciplinary"
    period = rules.index_period if index == "incident" else rules.disciplinary_period
    effective = case.redisposed_on or case.disposed_on
    notes = []
    if case.prior_year:
        if not _in(period, case.new_facts_on):
            return Decision(False, "전년도 감점 사건: 기간 안에 새로 드러난 사실·관련자가 없음")
        notes.append("전년도 사건: 새 사실·관련자로 다시 반영")
    elif effective is not None:
        if not _in(period, effective):
            return Decision(False, f"처분일({effective:%Y-%m-%d})이 반영 기간 밖")
        if case.redisposed_on:
            notes.append("재처분일 기준")
    elif case.major and _in(period, case.acted_on):
        notes.append("처분 전 중대 사건")
    else:
        return Decision(False, "처분일이 없고 기간 안의 중대 사건도 아님")
    where = case.acted_at or case.disciplined_at
    institutions = (where,)
    if case.seconded_from and case.seconded_from != where:
        institutions = (where, case.seconded_from)
        notes.append("파견 직원: 두 기관 모두 반영")
    category = case.category or case.counterpart or rules.act_types[case.act_type]
    if category not in ("external", "internal"):
        return Decision(False, f"외부/내부 구분을 알 수 없음('{category}')")
    return Decision(True, "반영", institutions, category, tuple(notes), index, case.prior_year)
