"""The outcome of a motion, computed from the count (never typed): a meeting is quorate
when enough of the enrolled are present, and a motion passes when enough of those present
vote for it (회칙 제19조). An inquorate meeting decides nothing."""

from __future__ import annotations

from dataclasses import dataclass

from .rules import ClusterRules

PASSED, REJECTED, INQUORATE = "passed", "rejected", "inquorate"
OUTCOME_NAMES = {PASSED: "가결", REJECTED: "부결", INQUORATE: "정족수 미달(의결 불가)"}


class CountError(ValueError):
    """A count that cannot be right (more votes than people present, ...)."""


@dataclass(frozen=True)
class Outcome:
    result: str  # passed | rejected | inquorate
    quorum_needed: int  # the fewest present that open the meeting
    approval_needed: int  # the fewest in favour that pass it, of those present
    rule_text: str

    @property
    def decided(self) -> bool:
        return self.result != INQUORATE

    @property
    def name(self) -> str:
        return OUTCOME_NAMES[self.result]


def check_count(enrolled: int, present: int, in_favour: int = 0, against: int = 0, abstaining: int = 0) -> None:
    if min(enrolled, present, in_favour, against, abstaining) < 0:
        raise CountError("인원과 표 수는 0 이상이어야 합니다")
    if present > enrolled:
        raise CountError(f"출석({present})이 재적({enrolled})보다 많을 수 없습니다")
    if in_favour + against + abstaining > present:
        raise CountError(f"찬성·반대·기권의 합({in_favour + against + abstaining})이 출석({present})보다 많을 수 없습니다")


def is_quorate(rules: ClusterRules, kind: str, enrolled: int, present: int) -> bool:
    return rules.decision(kind).quorum.met(present, enrolled)


def outcome(rules: ClusterRules, kind: str, enrolled: int, present: int, in_favour: int, against: int,
            abstaining: int) -> Outcome:
    """Abstentions count as present and not in favour (참석위원 과반수의 찬성)."""
    check_count(enrolled, present, in_favour, against, abstaining)
    rule = rules.decision(kind)
    text = f"{rule.name}: 재적 {rule.quorum.text()} 출석, 출석 {rule.approval.text()} 찬성"
    quorum_needed, approval_needed = rule.quorum.smallest(enrolled), rule.approval.smallest(present)
    if not rule.quorum.met(present, enrolled):
        return Outcome(INQUORATE, quorum_needed, approval_needed, text)
    result = PASSED if rule.approval.met(in_favour, present) else REJECTED
    return Outcome(result, quorum_needed, approval_needed, text)
