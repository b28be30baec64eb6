"""Synthetic corruption incidents over several years with realistic seasonality, for the
early warning's training, backtest and demo (seeded, deterministic). Each institution has
a yearly expected count per field (by its type's family, incidents.yaml), scaled by a
frailty of its own; on a day inside a calendar event the field's uplift for that kind
multiplies the rate (more gifts around 설/추석, more personnel cases in 인사·채용 seasons)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from ..earlywarning.calendar import Event
from ..model import Model
from ..registry.regions import REGIONS, inherited
from .mix import MIX_2017

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Seasonality:
    rates: dict[str, dict[str, float]]  # family -> field -> incidents per institution per year
    uplift: dict[str, dict[str, float]]  # field -> calendar kind -> rate ratio inside an event
    frailty: float
    act_types: dict[str, tuple[str, ...]]


@cache
def seasonality(path: str | None = None) -> Seasonality:
    with open(path or HERE / "incidents.yaml", encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return Seasonality(raw["rates"], raw.get("uplift") or {}, float(raw.get("frailty", 0)),
                       {k: tuple(v) for k, v in (raw.get("act_types") or {}).items()})


def institutions(model: Model, seed: int = 2017) -> pl.DataFrame:
    """The generator's institutions (the 2017 mix) with type, family and 시·도, as the
    registry would hold them: 광역 and 시·도교육청 take the 17 시·도 in order, bodies under
    them inherit, national bodies have none."""
    from .year import _institutions

    frame, _, _ = _institutions(model, np.random.default_rng(seed), MIX_2017)
    own = {}
    for type_code in ("metropolitan", "provincial_education"):
        codes = frame.filter(pl.col("type") == type_code)["code"].sort().to_list()
        own |= {c: REGIONS[i % len(REGIONS)] for i, c in enumerate(codes)}
    regions = inherited(own, dict(zip(frame["code"], frame["supervisor"])))
    return frame.select(
        "code", "name", "type",
        pl.col("type").replace_strict({t: v.family for t, v in model.institution_types.items()}).alias("family"),
        pl.col("code").replace_strict(regions, default="").alias("region"))


def strata(bodies: pl.DataFrame) -> dict[tuple[str, str], int]:
    """(시·도, family) -> number of institutions: the model's exposure."""
    return {(r["region"], r["family"]): r["len"] for r in bodies.group_by("region", "family").len().iter_rows(named=True)}


def _multipliers(spec: Seasonality, events: Sequence[Event], field: str, region: str, days: list[date]) -> np.ndarray:
    out = np.ones(len(days))
    first = days[0]
    for kind, ratio in (spec.uplift.get(field) or {}).items():
        inside = np.zeros(len(days), dtype=bool)
        for e in events:
            if e.kind == kind and e.applies_to(region) and e.end >= first and e.start <= days[-1]:
                lo = max((e.start - first).days, 0)
                hi = min((e.end - first).days, len(days) - 1)
                inside[lo:hi + 1] = True
        out = np.where(inside, out * ratio, out)
    return out


def generate_incidents(bodies: pl.DataFrame, events: Sequence[Event], years: tuple[int, int], *, seed: int,
                       spec: Seasonality | None = None) -> pl.DataFrame:
    """Incidents acted between 1 January of years[0] and 31 December of years[1]: one row
    each with day, field, act type, institution (code, type, family, region)."""
    spec = spec or seasonality()
    rng = np.random.default_rng(seed)
    first, last = date(years[0], 1, 1), date(years[1], 12, 31)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    n = bodies.height
    frailty = rng.gamma(1 / spec.frailty, spec.frailty, n) if spec.frailty > 0 else np.ones(n)
    families = bodies["family"].to_list()
    regions = bodies["region"].to_list()
    rows = []
    fields = sorted({f for rates in spec.rates.values() for f in rates})
    for field in fields:
        per_region = {r: _multipliers(spec, events, field, r, days) for r in set(regions)}
        acts = spec.act_types.get(field) or ("",)
        for i in range(n):
            yearly = spec.rates.get(families[i], {}).get(field, 0.0)
            if yearly <= 0:
                continue
            counts = rng.poisson(yearly / 365.25 * frailty[i] * per_region[regions[i]])
            for d in np.flatnonzero(counts):
                for _ in range(int(counts[d])):
                    rows.append((days[d], field, str(acts[int(rng.integers(len(acts)))]), i))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    codes, types, names = bodies["code"].to_list(), bodies["type"].to_list(), bodies["name"].to_list()
    return pl.DataFrame({
        "day": [r[0] for r in rows],
        "field": [r[1] for r in rows],
        "act_type": [r[2] for r in rows],
        "institution": [codes[r[3]] for r in rows],
        "institution_name": [names[r[3]] for r in rows],
        "type": [types[r[3]] for r in rows],
        "family": [families[r[3]] for r in rows],
        "region": [regions[r[3]] for r in rows],
    }, schema={"day": pl.Date, "field": pl.String, "act_type": pl.String, "institution": pl.String,
               "institution_name": pl.String, "type": pl.String, "family": pl.String, "region": pl.String})
