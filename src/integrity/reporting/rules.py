"""The vocabulary of 청렴신문고 and the registers (``reporting.yaml``) and the few rules
that turn dates and amounts into decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

VOCABULARY = Path(__file__).with_name("reporting.yaml")
SECTIONS = ("fields", "kinds", "protection_measures", "solicitation_methods", "solicitation_handling",
            "disciplinary_outcomes", "auditor_kinds")
PRECISIONS = ("day", "week")


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    name_en: str
    dismissal: bool = False
    incident_field: str = ""  # fields only: the incidents register's / early warning's code


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, Term]]:
    raw = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    missing = [s for s in SECTIONS if not raw.get(s)]
    if missing:
        raise ValueError(f"reporting.yaml에 {', '.join(missing)} 항목이 없습니다")
    return {section: {code: Term(code, t["name"], t.get("name_en", t["name"]), bool(t.get("dismissal", False)),
                                 t.get("incident_field") or "")
                      for code, t in raw[section].items()} for section in SECTIONS}


def terms(section: str) -> dict[str, Term]:
    return vocabulary()[section]


def name_of(section: str, code: str, english: bool = False) -> str:
    term = terms(section).get(code)
    if term is None:
        return code or "–"
    return term.name_en if english else term.name


def coarse_date(day: date, precision: str = "day") -> date:
    """What is stored of when a report or message arrived: the day, or the Monday of its
    week. Never a time of day (docs/reporting.md, threat model)."""
    if precision not in PRECISIONS:
        raise ValueError(f"알 수 없는 날짜 단위입니다: {precision} (day 또는 week)")
    return day - timedelta(days=day.weekday()) if precision == "week" else day


def due_date(received_on: date, days: int) -> date:
    """The handling deadline: so many days after the (coarse) day of receipt."""
    return received_on + timedelta(days=days)


def is_overdue(due_on: date | None, today: date, finished: bool) -> bool:
    return bool(due_on) and not finished and today > due_on


def one_strike_applies(amount: int | None, threshold: int) -> bool:
    """원스트라이크 아웃 (seed 004): money or gifts of ``threshold`` KRW (1,000,000) or more
    received flag the official for dismissal from office."""
    return amount is not None and amount >= threshold


def is_dismissal(outcome: str) -> bool:
    term = terms("disciplinary_outcomes").get(outcome)
    return bool(term and term.dismissal)


def one_strike_gap(amount: int | None, threshold: int, outcome: str) -> bool:
    """A flagged case decided with a disciplinary outcome short of dismissal: shown on
    the register so that the lighter outcome has to be explained."""
    return one_strike_applies(amount, threshold) and outcome not in ("", "pending") and not is_dismissal(outcome)
