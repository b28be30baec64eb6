"""The warning model: monthly incident counts per cell (시·도 × 기관 유형군 × 분야) follow a
Poisson law with

    log E[count] = log(institutions in the stratum × days in the month)
                   + base[시·도, 유형군, 분야] + Σ_kind cal[분야, kind] × share_kind(month, 시·도)

where share_kind is the share of the month's days inside a calendar event of that kind.
The baseline of a cell is the same rate with every calendar share at zero (a month with
no 명절, 인사, 채용 or 선거); the uplift is the ratio of the two, exp(Σ cal × share), with
an interval from the coefficients' covariance (quasi-Poisson: widened by the dispersion).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist

import numpy as np
import polars as pl

from .calendar import Event, month_days, month_share
from .config import Settings
from .glm import PoissonFit, fit_poisson_strata

INCIDENT_SCHEMA = {"day": pl.Date, "field": pl.String, "region": pl.String, "family": pl.String,
                   "ref": pl.String, "label": pl.String}

Month = tuple[int, int]


def months_between(first: Month, last: Month) -> list[Month]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def incidents_frame(rows: Iterable[dict]) -> pl.DataFrame:
    """Incidents as the model reads them: day, field, region ("" = national body),
    family, and a reference and label for the evidence."""
    return pl.DataFrame(list(rows), schema=INCIDENT_SCHEMA)


def count_table(incidents: pl.DataFrame, strata: dict[tuple[str, str], int], fields: Sequence[str],
                months: Sequence[Month]) -> pl.DataFrame:
    """One row per stratum × field × month with the incidents counted (zeros included)
    and the exposure (institutions × days)."""
    grid = pl.DataFrame(
        [{"region": r, "family": f, "field": fd, "year": y, "month": m, "institutions": n}
         for (r, f), n in strata.items() if n > 0 for fd in fields for (y, m) in months],
        schema={"region": pl.String, "family": pl.String, "field": pl.String, "year": pl.Int32, "month": pl.Int32,
                "institutions": pl.Int64})
    counts = (incidents.with_columns(pl.col("day").dt.year().cast(pl.Int32).alias("year"),
                                     pl.col("day").dt.month().cast(pl.Int32).alias("month"))
              .group_by("region", "family", "field", "year", "month").agg(pl.len().alias("count")))
    return (grid.join(counts, on=["region", "family", "field", "year", "month"], how="left")
            .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
            .sort("region", "family", "field", "year", "month"))


@dataclass(frozen=True)
class Prediction:
    region: str
    family: str
    field: str
    year: int
    month: int
    expected: float  # predicted incidents in the month
    baseline: float  # the same cell in a month with no calendar event
    uplift: float  # expected / baseline
    lower: float  # interval of the uplift
    upper: float
    history: int  # incidents of the cell in the training months
    kinds: tuple[tuple[str, float], ...]  # calendar kinds active in the month (kind, share of days)
    alert: bool = False
    reasons: tuple[str, ...] = field(default_factory=tuple)  # why not, when not


@dataclass
class WarningModel:
    settings: Settings
    fit: PoissonFit
    columns: list[str]
    cells: list[tuple[str, str, str]]  # (시·도, family, field) with a baseline of their own
    regions: list[str]
    strata: dict[tuple[str, str], int]
    history: dict[tuple[str, str, str], int]
    months: list[Month]
    _index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self._index = {c: i for i, c in enumerate(self.columns)}

    def coefficient(self, name: str) -> tuple[float, float]:
        i = self._index[name]
        return float(self.fit.coef[i]), float(self.fit.se[i])

    def calendar_effect(self, field_code: str, kind: str) -> tuple[float, float]:
        """The rate ratio for a month fully inside an event of ``kind``, and its SE on the log scale."""
        coef, se = self.coefficient(f"cal:{field_code}:{kind}")
        return math.exp(coef), se


def _shares(events: Sequence[Event], kinds: Sequence[str], regions: Iterable[str],
            months: Sequence[Month]) -> dict[tuple[str, int, int], dict[str, float]]:
    return {(r, y, m): {k: month_share(events, k, y, m, r) for k in kinds} for r in set(regions) for (y, m) in months}


def _design(table: pl.DataFrame, cells: dict[tuple[str, str, str], int], shares, kinds: Sequence[str],
            fields: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's cell (its baseline's index), the calendar covariates (one column per
    field × kind: the kind's share of the month where the row is of that field, else 0)
    and the offset."""
    keys = list(zip(table["region"], table["family"], table["field"]))
    cell = np.array([cells.get(k, -1) for k in keys], dtype=np.intp)
    field_index = {f: i for i, f in enumerate(fields)}
    share = np.array([[shares[(r, y, m)][k] for k in kinds]
                      for r, y, m in zip(table["region"], table["year"], table["month"])]).reshape(table.height, len(kinds))
    cal = np.zeros((table.height, len(fields) * len(kinds)))
    rows = np.arange(table.height)
    which = np.array([field_index[f] for f in table["field"]], dtype=np.intp)
    for j in range(len(kinds)):
        cal[rows, which * len(kinds) + j] = share[:, j]
    days = np.array([month_days(y, m) for y, m in zip(table["year"], table["month"])], dtype=float)
    offset = np.log(table["institutions"].to_numpy() * days)
    return cell, cal, offset


def train(incidents: pl.DataFrame, strata: dict[tuple[str, str], int], events: Sequence[Event], settings: Settings,
          months: Sequence[Month]) -> WarningModel:
    fields = list(settings.fields)
    kinds = list(settings.kinds)
    table = count_table(incidents, strata, fields, months)
    if table.height == 0:
        raise ValueError("학습할 기관·기간이 없습니다")
    cells = sorted((r, f, fd) for (r, f), n in strata.items() if n > 0 for fd in fields)
    regions = sorted({r for r, _, _ in cells})
    columns = [f"base:{r}:{f}:{fd}" for r, f, fd in cells] + [f"cal:{fd}:{k}" for fd in fields for k in kinds]
    shares = _shares(events, kinds, regions, months)
    cell, cal, offset = _design(table, {c: i for i, c in enumerate(cells)}, shares, kinds, fields)
    fit = fit_poisson_strata(cell, len(cells), cal, table["count"].to_numpy(), offset, quasi=True)
    history = {(r["region"], r["family"], r["field"]): r["count"] for r in
               table.group_by("region", "family", "field").agg(pl.col("count").sum()).iter_rows(named=True)}
    return WarningModel(settings, fit, columns, cells, regions, dict(strata), history, list(months))


def predict(model: WarningModel, events: Sequence[Event], targets: Sequence[Month]) -> list[Prediction]:
    """Every cell's prediction for the target months, with the alert decision."""
    settings = model.settings
    rule = settings.alert
    kinds = list(settings.kinds)
    fields = list(settings.fields)
    strata = {k: n for k, n in model.strata.items() if n > 0}
    table = count_table(incidents_frame([]), strata, fields, targets)
    shares = _shares(events, kinds, {r for r, _ in strata}, targets)
    cell, cal, offset = _design(table, {c: i for i, c in enumerate(model.cells)}, shares, kinds, fields)
    if np.any(cell < 0):
        raise ValueError("학습하지 않은 시·도·유형군은 예측할 수 없습니다")
    n_cells = len(model.cells)
    beta = model.fit.coef[n_cells:]
    cal_eta = cal @ beta
    cal_se = np.sqrt(np.clip(((cal @ model.fit.cov[n_cells:, n_cells:]) * cal).sum(axis=1), 0, None))
    eta = model.fit.coef[cell] + cal_eta + offset
    z = NormalDist().inv_cdf(0.5 + rule.interval_level / 2)
    out = []
    for i, r in enumerate(table.iter_rows(named=True)):
        share = shares[(r["region"], r["year"], r["month"])]
        history = model.history.get((r["region"], r["family"], r["field"]), 0)
        expected = math.exp(eta[i])
        uplift = math.exp(cal_eta[i])
        lower, upper = math.exp(cal_eta[i] - z * cal_se[i]), math.exp(cal_eta[i] + z * cal_se[i])
        reasons = []
        if uplift < rule.factor:
            reasons.append("factor")
        if lower <= 1:
            reasons.append("interval")
        if expected < rule.min_expected:
            reasons.append("expected")
        if history < rule.min_history:
            reasons.append("history")
        out.append(Prediction(r["region"], r["family"], r["field"], r["year"], r["month"], expected,
                              expected / uplift, uplift, lower, upper, history,
                              tuple((k, round(share[k], 3)) for k in kinds if share[k] > 0), not reasons, tuple(reasons)))
    return out


def training_months(target: Month, years: int) -> list[Month]:
    """The ``years`` × 12 months before the target month."""
    return months_between(shift(target, -12 * years), shift(target, -1))


def forecast(incidents: pl.DataFrame, strata: dict[tuple[str, str], int], events: Sequence[Event], settings: Settings,
             target: Month) -> tuple[WarningModel, list[Prediction]]:
    """Train on the history before ``target`` and predict it: what issuing a month's warnings does."""
    months = training_months(target, settings.alert.history_years)
    if incidents.height:  # not before the first incident: empty years would read as quiet ones
        first = incidents["day"].min()
        months = [m for m in months if m >= (first.year, first.month)] or months
    model = train(incidents, strata, events, settings, months)
    return model, predict(model, events, [target])


def evidence(incidents: pl.DataFrame, prediction: Prediction, events: Sequence[Event], settings: Settings,
             before: date) -> pl.DataFrame:
    """The past incidents behind an alert: the cell's incidents of the field (before the
    target month) that happened inside an event of a kind active in the alert's month,
    most recent first."""
    kinds = {k for k, _ in prediction.kinds}
    rows = incidents.filter(pl.col("region") == prediction.region, pl.col("family") == prediction.family,
                            pl.col("field") == prediction.field, pl.col("day") < before)
    relevant = [e for e in events if e.kind in kinds and e.applies_to(prediction.region)]
    keep = [any(e.start <= d <= e.end for e in relevant) for d in rows["day"].to_list()]
    return rows.filter(pl.Series(keep, dtype=pl.Boolean)).sort("day", descending=True).head(settings.alert.evidence_limit)
