"""Corruption-incident points and credibility sanctions, per institution.

Input: one row per case (the ``deductions`` interchange file, validated).
- ``kind == "incident"``: ``category`` external|internal; ``points`` decided by
  the committee, or else computed from position, amount, people and detection
  with the model's coefficients, then by the terms of the case's index
  (실시계획 II.5): the disciplinary index (행정기관) scales by organisation size
  (``staff``), the incident index (공직유관단체, 정무직) by habitualness
  (``habitual``) and ripple effect (``ripple``); a prior-year case counted again
  for new facts or people (``recount``) by the model's recount factor.
- ``kind == "credibility"``: ``points`` to subtract, ``grade_down`` levels,
  ``void`` the result.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..model.schema import IncidentRules, Model

DEDUCTION_COLUMNS = {
    "institution": pl.Utf8,
    "kind": pl.Utf8,
    "category": pl.Utf8,
    "points": pl.Float64,
    "position": pl.Utf8,
    "amount": pl.Int64,
    "people": pl.Int64,
    "detection": pl.Utf8,
    "violation": pl.Utf8,
    "grade_down": pl.Int64,
    "void": pl.Boolean,
    "note": pl.Utf8,
    # incident index terms (optional; absent = disciplinary index, neutral terms)
    "index_kind": pl.Utf8,  # disciplinary | incident; empty: incident for political appointees, else disciplinary
    "staff": pl.Int64,  # the institution's size (정원), disciplinary index
    "habitual": pl.Boolean,  # 관행적·상습적, incident index
    "ripple": pl.Utf8,  # ripple level of the model, incident index
    "recount": pl.Boolean,  # prior-year case counted again for new facts or people
}

DISCIPLINARY, INCIDENT_INDEX = "disciplinary", "incident"
POLITICAL = "political"  # position class of political appointees (정무직): incident index

PER_INSTITUTION = {
    "incident_external_points": pl.Float64,
    "incident_internal_points": pl.Float64,
    "incident_cases": pl.Int64,
    "incident_cap_applied": pl.Boolean,
    "credibility_points": pl.Float64,
    "grade_down": pl.Int64,
    "voided": pl.Boolean,
    "void_reason": pl.Utf8,
}


def empty_deductions() -> pl.DataFrame:
    return pl.DataFrame(schema=DEDUCTION_COLUMNS)


def index_kinds(position, index_kind=None) -> list[str]:
    """The index each case is scored in: as given, else the incident index for political
    appointees (정무직) and the disciplinary index for everyone else."""
    given = index_kind if index_kind is not None else [None] * len(position)
    return [k if k else INCIDENT_INDEX if p == POLITICAL else DISCIPLINARY for k, p in zip(given, position)]


def size_factor(rules: IncidentRules, staff) -> np.ndarray:
    """Organisation-size multiplier of the band the staff count falls in; 1.0 when unknown."""
    staff = np.asarray(staff, dtype=np.float64)
    lower = np.asarray([b[0] for b in rules.size_bands], dtype=np.float64)
    factors = np.asarray([b[1] for b in rules.size_bands], dtype=np.float64)
    band = np.clip(np.searchsorted(lower, np.nan_to_num(staff, nan=0.0), side="right") - 1, 0, None)
    return np.where(np.isnan(staff), 1.0, factors[band])


def index_terms(rules: IncidentRules, kinds, staff, habitual, ripple, recount) -> np.ndarray:
    """Per case, the multiplier of its index's terms and of a prior-year recount."""
    n = len(kinds)
    staff = np.full(n, np.nan) if staff is None else np.asarray(staff, dtype=np.float64)
    habitual = np.asarray([bool(h) for h in (habitual if habitual is not None else [False] * n)])
    ripple = ripple if ripple is not None else [None] * n
    recount = np.asarray([bool(r) for r in (recount if recount is not None else [False] * n)])
    incident = np.asarray([k == INCIDENT_INDEX for k in kinds])
    ripple_factor = np.asarray([rules.ripple.get(r or "limited", 1.0) for r in ripple], dtype=np.float64)
    index_factor = np.where(
        incident, np.where(habitual, rules.habitual, 1.0) * ripple_factor, size_factor(rules, staff))
    return index_factor * np.where(recount, rules.recount, 1.0)


def formula_points(rules: IncidentRules, position, amount, people, detection, *, index_kind=None, staff=None,
                   habitual=None, ripple=None, recount=None) -> np.ndarray:
    """Points of each case by the model's formula (position + amount band + people) × detection,
    times its index's terms (organisation size; habitualness and ripple effect) and the recount factor."""
    position_codes = list(position)
    position = np.asarray([rules.position.get(p, 0.0) if p else 0.0 for p in position_codes], dtype=np.float64)
    amount = np.nan_to_num(np.asarray(amount, dtype=np.float64), nan=0.0)
    lower = np.asarray([b[0] for b in rules.amount_bands], dtype=np.float64)
    band_points = np.asarray([b[1] for b in rules.amount_bands], dtype=np.float64)
    band = np.searchsorted(lower, amount, side="right") - 1
    amount_points = np.where(band >= 0, band_points[np.clip(band, 0, None)], 0.0)
    people = np.nan_to_num(np.asarray(people, dtype=np.float64), nan=1.0)
    extra_people = np.maximum(people - 1.0, 0.0) * rules.per_additional_person
    multiplier = np.asarray([rules.detection.get(d, 1.0) if d else 1.0 for d in detection], dtype=np.float64)
    base = (position + amount_points + extra_people) * multiplier
    return base * index_terms(rules, index_kinds(list(position_codes), index_kind), staff, habitual, ripple, recount)


def case_points(model: Model, incidents: pl.DataFrame) -> np.ndarray:
    """The committee's points where given, else the formula's."""
    computed = formula_points(
        model.incidents,
        incidents["position"].to_list(),
        incidents["amount"].to_numpy(),
        incidents["people"].to_numpy(),
        incidents["detection"].to_list(),
        **{key: _optional(incidents, key) for key in ("index_kind", "staff", "habitual", "ripple", "recount")},
    )
    decided = incidents["points"].to_numpy().astype(np.float64)
    return np.where(np.isnan(decided), computed, decided)


def _optional(frame: pl.DataFrame, column: str):
    if column not in frame.columns:
        return None
    return frame[column].to_numpy() if column == "staff" else frame[column].to_list()


def per_institution(model: Model, deductions: pl.DataFrame | None) -> pl.DataFrame:
    """One row per institution that has any case, with the capped incident points."""
    if deductions is None or deductions.height == 0:
        return pl.DataFrame(schema={"institution": pl.Utf8, **PER_INSTITUTION})
    incidents = deductions.filter(pl.col("kind") == "incident")
    incidents = incidents.with_columns(pl.Series("case_points", case_points(model, incidents), dtype=pl.Float64))
    raw = incidents.group_by("institution").agg(
        pl.col("case_points").filter(pl.col("category") == "external").sum().alias("ext"),
        pl.col("case_points").filter(pl.col("category") == "internal").sum().alias("int"),
        pl.len().alias("incident_cases"),
    )
    cap = model.incidents.cap
    total = pl.col("ext") + pl.col("int")
    # Where the cap binds, both parts shrink in proportion so they still add up to the cap.
    scale = pl.when(total > cap).then(cap / total).otherwise(1.0)
    capped = raw.select(
        "institution",
        (pl.col("ext") * scale).alias("incident_external_points"),
        (pl.col("int") * scale).alias("incident_internal_points"),
        pl.col("incident_cases").cast(pl.Int64),
        (total > cap).alias("incident_cap_applied"),
    )
    credibility = deductions.filter(pl.col("kind") == "credibility").group_by("institution").agg(
        pl.col("points").fill_null(0.0).sum().alias("credibility_points"),
        pl.col("grade_down").fill_null(0).sum().clip(0, model.credibility.max_grade_down).cast(pl.Int64),
        pl.col("void").fill_null(False).any().alias("voided"),
        pl.col("note").filter(pl.col("void").fill_null(False)).first().alias("void_reason"),
    )
    merged = capped.join(credibility, on="institution", how="full", coalesce=True)
    return merged.with_columns(
        pl.col("incident_external_points").fill_null(0.0),
        pl.col("incident_internal_points").fill_null(0.0),
        pl.col("incident_cases").fill_null(0),
        pl.col("incident_cap_applied").fill_null(False),
        pl.col("credibility_points").fill_null(0.0),
        pl.col("grade_down").fill_null(0),
        pl.col("voided").fill_null(False),
    ).select("institution", *PER_INSTITUTION)
