"""Terms of office (회칙 제8조·제11조·제13조): a term lasts ``years``; the same holder may be
renewed ``renewals`` times in a row. A further renewal is refused, and a term ending within
``warn_days`` is flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .rules import TermRule

SECOND_RENEWAL, ENDING_SOON, ENDED = "second_renewal", "ending_soon", "ended"


@dataclass(frozen=True)
class Term:
    holder: str  # who holds it (a member's key)
    starts_on: date
    ends_on: date


def term_end(rule: TermRule, starts_on: date) -> date:
    """The last day of a term starting on ``starts_on`` (a year later, less a day; 29 Feb -> 28 Feb)."""
    year = starts_on.year + rule.years
    try:
        anniversary = starts_on.replace(year=year)
    except ValueError:  # 29 February
        anniversary = starts_on.replace(year=year, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


def consecutive_terms(history: list[Term], holder: str, starts_on: date) -> int:
    """How many terms the holder has served back to back up to ``starts_on`` (a gap of more
    than a day breaks the run)."""
    run, edge = 0, starts_on
    own = sorted((t for t in history if t.holder == holder and t.starts_on < starts_on),
                 key=lambda t: t.starts_on, reverse=True)
    for term in own:
        if term.ends_on < edge - timedelta(days=1):
            break
        run += 1
        edge = term.starts_on
    return run


def renewal_problem(rule: TermRule, history: list[Term], holder: str, starts_on: date) -> str | None:
    """Korean reason when a new term for ``holder`` would renew more often than the rules allow."""
    before = consecutive_terms(history, holder, starts_on)
    if before > rule.renewals:
        return (f"임기는 {rule.years}년이고 {rule.renewals}회에 한하여 연임할 수 있습니다: "
                f"이미 연속 {before}번 재임했으므로 {before}번째 연임은 할 수 없습니다")
    return None


def term_warning(rule: TermRule, term: Term, today: date) -> str | None:
    """ENDED, ENDING_SOON (within ``warn_days``) or None."""
    if term.ends_on < today:
        return ENDED
    if (term.ends_on - today).days <= rule.warn_days:
        return ENDING_SOON
    return None
