"""A cluster's operating rules (회칙) as data: decision thresholds, terms of office and
dues. The defaults are the seed's rules (``default_rules.yaml``); each cluster may keep its
own copy, changed, and every copy is validated on load with Korean messages naming the key."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_FILE = Path(__file__).with_name("default_rules.yaml")
MEMBER_KINDS = ("public", "civic", "business")  # 공공기관(등록부), 시민사회단체, 경제단체
DECISION_KINDS = ("ordinary", "admission", "formation", "dissolution", "expulsion")


class RulesError(ValueError):
    """Rules that cannot be used; ``problems`` names each key at fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Threshold:
    """A share that must be passed (``strict``: more than) or reached (at least)."""

    share: Fraction
    strict: bool

    def met(self, part: int, whole: int) -> bool:
        """Exact integer arithmetic: part/whole > share (strict) or >= share."""
        if whole <= 0:
            return False
        left, right = part * self.share.denominator, self.share.numerator * whole
        return left > right if self.strict else left >= right

    def smallest(self, whole: int) -> int:
        """The fewest of ``whole`` that meet it (whole + 1 when none can)."""
        return next((n for n in range(whole + 1) if self.met(n, whole)), whole + 1)

    def text(self) -> str:
        return f"{self.share.numerator}/{self.share.denominator} {'초과' if self.strict else '이상'}"


@dataclass(frozen=True)
class DecisionRule:
    kind: str
    name: str
    quorum: Threshold  # of the enrolled, present
    approval: Threshold  # of those present, in favour


@dataclass(frozen=True)
class TermRule:
    years: int
    renewals: int
    warn_days: int


@dataclass(frozen=True)
class DuesRule:
    amount: int  # KRW per member per year
    in_kind: bool
    exempt_kinds: tuple[str, ...]


@dataclass(frozen=True)
class OfficeRule:
    auditor_apart_from_chair: bool  # the auditor comes from a member other than the chair's
    secretariat_kinds: tuple[str, ...]  # kinds of member that may run the secretariat (empty: any)


@dataclass(frozen=True)
class ClusterRules:
    decisions: dict[str, DecisionRule]
    terms: TermRule
    dues: DuesRule
    offices: OfficeRule = OfficeRule(False, ())

    def decision(self, kind: str) -> DecisionRule:
        return self.decisions.get(kind) or self.decisions["ordinary"]


def _threshold(raw: Any, path: str, problems: list[str]) -> Threshold | None:
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in ("more_than", "at_least"):
        problems.append(f"{path}: more_than 또는 at_least 하나로 비율을 적어야 합니다 (값: {raw!r})")
        return None
    key, value = next(iter(raw.items()))
    try:
        share = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        problems.append(f"{path}.{key}: 비율은 '1/2', '2/3', 0.5처럼 적어야 합니다 (값: {value!r})")
        return None
    if not (0 < share < 1 if key == "more_than" else 0 < share <= 1):
        problems.append(f"{path}.{key}: 비율은 0보다 크고 1 이하여야 합니다(more_than은 1 미만) (값: {value!r})")
        return None
    return Threshold(share, strict=key == "more_than")


def _whole(raw: Any, key: str, path: str, problems: list[str], *, least: int) -> int | None:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        problems.append(f"{path}.{key}: {least} 이상의 정수여야 합니다 (값: {value!r})")
        return None
    return value


def parse_rules(raw: Any) -> ClusterRules:
    """Validate a rules mapping (from YAML or a cluster's stored JSON); every problem at once."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise RulesError(["회칙: 키-값 목록이어야 합니다"])
    for key in raw:
        if key not in ("decisions", "terms", "dues", "offices"):
            problems.append(f"{key}: 알 수 없는 키입니다 (오타인지 확인하세요)")
    decisions: dict[str, DecisionRule] = {}
    spec = raw.get("decisions")
    if not isinstance(spec, dict) or "ordinary" not in spec:
        problems.append("decisions: 일반 의결(ordinary)의 정족수가 있어야 합니다")
        spec = spec if isinstance(spec, dict) else {}
    for kind, rule in spec.items():
        path = f"decisions.{kind}"
        if kind not in DECISION_KINDS:
            problems.append(f"{path}: 알 수 없는 의결 종류입니다 (가능: {', '.join(DECISION_KINDS)})")
            continue
        if not isinstance(rule, dict):
            problems.append(f"{path}: quorum과 approval이 있어야 합니다")
            continue
        quorum = _threshold(rule.get("quorum"), f"{path}.quorum", problems)
        approval = _threshold(rule.get("approval"), f"{path}.approval", problems)
        if quorum and approval:
            decisions[kind] = DecisionRule(kind, str(rule.get("name") or kind), quorum, approval)
    terms_raw, dues_raw = raw.get("terms"), raw.get("dues")
    years = _whole(terms_raw, "years", "terms", problems, least=1)
    renewals = _whole(terms_raw, "renewals", "terms", problems, least=0)
    warn_days = _whole(terms_raw, "warn_days", "terms", problems, least=0)
    amount = _whole(dues_raw, "amount", "dues", problems, least=0)
    exempt = dues_raw.get("exempt_kinds", []) if isinstance(dues_raw, dict) else []
    if not isinstance(exempt, list) or any(k not in MEMBER_KINDS for k in exempt):
        problems.append(f"dues.exempt_kinds: 회원 종류({', '.join(MEMBER_KINDS)}) 목록이어야 합니다 (값: {exempt!r})")
        exempt = []
    offices_raw = raw.get("offices") or {}
    secretariat = offices_raw.get("secretariat_kinds", []) if isinstance(offices_raw, dict) else None
    if not isinstance(secretariat, list) or any(k not in MEMBER_KINDS for k in secretariat):
        problems.append(f"offices.secretariat_kinds: 회원 종류({', '.join(MEMBER_KINDS)}) 목록이어야 합니다 (값: {secretariat!r})")
        secretariat = []
    if problems:
        raise RulesError(problems)
    return ClusterRules(decisions=decisions, terms=TermRule(years, renewals, warn_days),
                        dues=DuesRule(amount, bool(dues_raw.get("in_kind", True)), tuple(exempt)),
                        offices=OfficeRule(bool(offices_raw.get("auditor_apart_from_chair", False)), tuple(secretariat)))


@cache
def _default_raw() -> dict:
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


def default_rules_data() -> dict:
    """The seed's rules as plain data (a copy: a cluster stores and edits its own)."""
    return copy.deepcopy(_default_raw())


def default_rules() -> ClusterRules:
    return parse_rules(_default_raw())
