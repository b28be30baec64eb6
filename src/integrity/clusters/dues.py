"""Annual dues (분담금): an amount per member per year, paid in cash or in kind (counted at
its valuation); kinds of members the rules exempt (civic groups) owe nothing."""

from __future__ import annotations

from dataclasses import dataclass

from .rules import DuesRule

PAID, PARTLY, UNPAID, EXEMPT = "paid", "partly", "unpaid", "exempt"
STATUS_NAMES = {PAID: "납부", PARTLY: "일부 납부", UNPAID: "미납", EXEMPT: "면제"}


@dataclass(frozen=True)
class Payment:
    cash: int = 0
    in_kind_value: int = 0  # the valuation of goods or services given instead of cash


def owed(rule: DuesRule, member_kind: str) -> int:
    return 0 if member_kind in rule.exempt_kinds else rule.amount


def dues_status(rule: DuesRule, member_kind: str, payments: list[Payment]) -> str:
    """paid when cash plus in-kind valuations reach the amount; exempt kinds: exempt."""
    due = owed(rule, member_kind)
    if due == 0:
        return EXEMPT
    paid = sum(p.cash + (p.in_kind_value if rule.in_kind else 0) for p in payments)
    if paid >= due:
        return PAID
    return PARTLY if paid > 0 else UNPAID
