"""Population frames and panels for residents and parents (pure, seeded).

Each metropolitan government (residents) and education office (parents) of a
generated year gets a frame shaped like a real 시·도 of 2017: adult population and
number of 시·군·구 as published by Statistics Korea (rounded), districts of unequal
size, age bands shifted by the region's ageing, a male share falling with age.
Parents (of school-age children) are about a fifth of adults, mostly in their 30s
and 40s. The panel — people with contact data, the candidates a draw picks from —
holds about 1.3 times what the body's draw needs, spread over the strata with some
noise, so that a few strata come up short as real panels do. Names and numbers are
fictional (010-0xxx-xxxx is not a number plan a Korean mobile uses)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ..model.schema import Model
from ..sampling.stratified import allocate_largest_remainder
from .names import GIVEN, SURNAMES

# (adult population in thousands, number of 시·군·구, ageing -1 young .. +1 old, metropolitan city)
REGIONS_2017 = [
    (8200, 25, -0.3, True), (2850, 16, 0.3, True), (2000, 8, 0.1, True), (2400, 10, -0.1, True),
    (1180, 5, -0.3, True), (1220, 5, -0.3, True), (930, 5, -0.2, True), (210, 1, -1.0, True),
    (10400, 31, -0.4, False), (1290, 18, 0.8, False), (1310, 11, 0.4, False), (1720, 15, 0.4, False),
    (1510, 14, 0.7, False), (1560, 22, 1.0, False), (2200, 23, 0.9, False), (2750, 18, 0.3, False), (530, 2, 0.1, False),
]
# Adults by age band, national 2017 (19–29, 30s, 40s, 50s, 60+), and the shift per unit of ageing.
ADULT_SHARES = np.array([0.16, 0.18, 0.21, 0.20, 0.25])
AGEING_SHIFT = np.array([-0.03, -0.03, -0.01, 0.01, 0.06])
MALE_SHARE = np.array([0.52, 0.51, 0.51, 0.50, 0.45])
PARENT_SHARES = np.array([0.01, 0.22, 0.58, 0.18, 0.01])
PARENTS_PER_ADULT = 0.21
PANEL_COVER = 1.3  # panel size / people a draw wants
SYLLABLES = "가나다라마바사아자차카타파하한누리솔빛온새별미래푸른해달"


@dataclass(frozen=True)
class Populations:
    frames: pl.DataFrame  # institution, group, district, age_band, sex, population
    panels: pl.DataFrame  # institution, group, district, age_band, sex, name, phone, email


def _districts(rng: np.random.Generator, count: int, metropolitan: bool) -> list[str]:
    suffixes = ["구", "구", "구", "군"] if metropolitan else ["시", "시", "군"]
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(list(SYLLABLES), 2)) + str(rng.choice(suffixes)))
    return sorted(names)


def _frame(rng, code: str, group: str, region: tuple, bands, sexes) -> list[dict]:
    adults, n_districts, ageing, metropolitan = region
    total = adults * 1000 * (PARENTS_PER_ADULT if group == "parent" else 1.0)
    shares = PARENT_SHARES if group == "parent" else np.clip(ADULT_SHARES + ageing * AGEING_SHIFT, 0.01, None)
    shares = shares / shares.sum()
    sizes = rng.lognormal(0.0, 0.6, n_districts)
    rows = []
    for district, size in zip(_districts(rng, n_districts, metropolitan), sizes / sizes.sum()):
        local = shares * rng.uniform(0.85, 1.15, len(shares))  # districts age differently
        local = local / local.sum()
        for band, band_share, male in zip(bands, local, MALE_SHARE):
            people = total * size * band_share
            for sex, part in zip(sexes, (male, 1 - male)):
                rows.append({"institution": code, "group": group, "district": district, "age_band": band, "sex": sex,
                             "population": int(round(people * part))})
    return rows


def _panel(rng, frame: list[dict], wanted: int) -> list[dict]:
    population = np.array([r["population"] for r in frame])
    base = allocate_largest_remainder(population, int(wanted * PANEL_COVER))
    sizes = rng.poisson(np.maximum(base, 0) * rng.uniform(0.6, 1.2, len(base)))
    rows = []
    for stratum, size in zip(frame, sizes.tolist()):
        for _ in range(size):
            name = str(rng.choice(list(SURNAMES))) + "".join(rng.choice(list(GIVEN), 2))
            number = int(rng.integers(0, 10**7))
            rows.append({**{k: stratum[k] for k in ("institution", "group", "district", "age_band", "sex")},
                         "name": name, "phone": f"+82100{number:07d}",
                         "email": f"panel{number:07d}@example.com" if rng.random() < 0.4 else None})
    return rows


def generate_populations(model: Model, institutions: pl.DataFrame, *, seed: int = 2017) -> Populations:
    """Frames and panels for every body of ``institutions`` (columns institution/code and
    type) whose type polls residents or parents (``policy_groups``)."""
    rules = model.policy_customers
    empty = Populations(pl.DataFrame(), pl.DataFrame())
    if rules is None:
        return empty
    code_col = "institution" if "institution" in institutions.columns else "code"
    rng = np.random.default_rng(seed)
    frames, panels = [], []
    seen: dict[str, int] = {}
    for code, type_code in institutions.select(code_col, "type").sort(code_col).iter_rows():
        groups = [g for g in model.institution_types[type_code].policy_groups if g in rules.groups]
        for group in groups:
            region = REGIONS_2017[seen.get(group, 0) % len(REGIONS_2017)]
            seen[group] = seen.get(group, 0) + 1
            frame = _frame(rng, code, group, region, rules.age_bands, rules.sexes)
            frames.extend(frame)
            panels.extend(_panel(rng, frame, rules.groups[group].sample_size * rules.draw_multiple))
    if not frames:
        return empty
    return Populations(pl.DataFrame(frames), pl.DataFrame(panels, schema_overrides={"email": pl.Utf8}))
