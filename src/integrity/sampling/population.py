"""Residents and parents (pure): reading a body's population frame or panel file,
allocating its sample across strata, and drawing from the panel per stratum.

A stratum is (시·군·구, age band, sex). The frame gives each stratum's population;
the panel lists people (with contact data) in those strata. A body's sample size
is allocated in proportion to the population (largest remainder, exact sum), and
``allocated x draw_multiple`` people are drawn from the panel in each stratum
(all of them where the panel has fewer).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from ..model.policy_customers import PolicyCustomers
from ..model.schema import Fieldwork
from ..rosters.forms import Form, forms_from_file
from ..rosters.problems import Problem
from ..rosters.validate import RosterCheck, RosterContext, check_roster
from ..rosters.workbook import ROW, SheetText
from .random_draw import draw_per_group
from .stratified import allocate_largest_remainder

FRAME, PANEL = "population_frame", "panel"
STRATUM = ("district", "age_band", "sex")
SEX_ALIASES = {"남자": "남", "여자": "여", "M": "남", "F": "여", "m": "남", "f": "여"}
CSV_MAGIC_MAX = 4096


@lru_cache(maxsize=1)
def frame_forms() -> dict[str, Form]:
    return forms_from_file(Path(__file__).with_name("frames.yaml"))


def frame_form(kind: str) -> Form:
    return frame_forms()[kind]


# --- checking ----------------------------------------------------------------------

def _strata_checks(check: RosterCheck, form: Form, headers: dict[str, str], rules: PolicyCustomers) -> None:
    frame = check.entries
    sex = frame["sex"].replace(SEX_ALIASES)
    check.entries = frame = frame.with_columns(sex.alias("sex"))

    def rows(mask: pl.Series, message: str, key: str | None) -> None:
        for row in frame.filter(mask.fill_null(False)).head(1000)[ROW].to_list():
            check.problems.append(Problem(message, row, headers.get(key, key) if key else None))

    rows(frame["age_band"].is_not_null() & ~frame["age_band"].is_in(rules.age_bands),
         f"연령대가 맞지 않습니다 (허용: {', '.join(rules.age_bands)})", "age_band")
    rows(frame["sex"].is_not_null() & ~frame["sex"].is_in(rules.sexes),
         f"성별이 맞지 않습니다 (허용: {', '.join(rules.sexes)})", "sex")
    if form.code == FRAME:
        rows(frame["population"] < 0, "인구수는 0 이상이어야 합니다", "population")
        key = pl.concat_str([pl.col(c).fill_null("") for c in STRATUM], separator="\x1f")
        stratum = frame.select(key.alias("k"), pl.col(ROW))
        first = stratum.select(pl.col(ROW).min().over("k"))[ROW]
        first_of = dict(zip(stratum[ROW].to_list(), first.to_list()))
        for row in stratum.filter(first != stratum[ROW])[ROW].to_list()[:1000]:
            check.problems.append(Problem(f"같은 층(시·군·구·연령대·성별)이 {first_of[row]}행에도 있습니다", row,
                                          headers.get("district")))
        if not check.problems and int(frame["population"].sum() or 0) <= 0:
            check.problems.append(Problem("인구수의 합이 0입니다"))


def check_frame_file(kind: str, sheet: SheetText, rules: PolicyCustomers, fieldwork: Fieldwork,
                     strata: set[tuple[str, str, str]] | None = None) -> RosterCheck:
    """Problems (row and column named) and the normalised rows. ``strata``: for a
    panel, the strata of the body's frame; a panel row outside them is a problem."""
    form = frame_form(kind)
    check = check_roster(form, sheet, RosterContext(fieldwork=fieldwork))
    if check.entries.height == 0:
        return check
    _strata_checks(check, form, sheet.headers, rules)
    if kind == PANEL and strata is not None and not any(p.column in (sheet.headers.get("age_band"), sheet.headers.get("sex"))
                                                          for p in check.problems):
        known = ["\x1f".join(s) for s in strata]
        keys = check.entries.select(pl.concat_str(list(STRATUM), separator="\x1f").alias("k"))["k"]
        outside = ~keys.is_in(known).fill_null(False)
        for row in check.entries.filter(outside)[ROW].to_list()[:1000]:
            check.problems.append(Problem("모집단 파일에 없는 층입니다 (시·군·구·연령대·성별이 모집단 파일과 같아야 합니다)",
                                          row, sheet.headers.get("district")))
    check.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return check


# --- allocation and draw -----------------------------------------------------------

@dataclass(frozen=True)
class StratumPlan:
    district: str
    age_band: str
    sex: str
    population: int
    exact: float  # the stratum's exact share of the sample size
    allocated: int  # completes wanted (largest remainder)
    wanted: int  # people to draw: allocated x draw multiple
    available: int  # panel members in the stratum
    drawn: int

    @property
    def short(self) -> bool:
        return self.available < self.wanted


def allocate(strata: list[tuple[str, str, str, int]], sample_size: int, multiple: int,
             available: dict[tuple[str, str, str], int] | None = None) -> list[StratumPlan]:
    """The body's sample size across its strata (district, age band, sex, population)."""
    if not strata:
        return []
    population = np.asarray([s[3] for s in strata], dtype=np.int64)
    quotas = allocate_largest_remainder(population, sample_size)
    total = int(population.sum())
    available = available or {}
    plans = []
    for (district, age, sex, pop), quota in zip(strata, quotas.tolist()):
        have = available.get((district, age, sex), 0)
        wanted = quota * multiple
        plans.append(StratumPlan(district, age, sex, int(pop), pop * sample_size / total if total else 0.0,
                                 quota, wanted, have, min(wanted, have)))
    return plans


def draw_panel(member_strata: list[tuple[str, str, str]], plans: list[StratumPlan], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the panel members drawn (and their contact order within their
    stratum): ``wanted`` of each stratum at random, reproducible from ``seed``.
    Members are given in a fixed order (the caller's stored order)."""
    index = {(p.district, p.age_band, p.sex): i for i, p in enumerate(plans)}
    groups = np.asarray([index.get(s, len(plans)) for s in member_strata], dtype=np.int64)
    wanted = np.asarray([p.wanted for p in plans] + [0], dtype=np.int64)  # outside every stratum: never drawn
    return draw_per_group(groups, wanted, seed)
