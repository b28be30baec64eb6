"""A realistic synthetic assessment year in the interchange format.

Every body has a latent integrity q (0-10, around its type's published 2017
average). Respondents answer from it: a Likert answer's points (code - 1 for
negative wording) are Binomial(k - 1, p) with p = respondent's perceived
integrity / 10, so the item's expected score is p × 10; direct experience is
rare (about 0.5% of external respondents gave money etc. in 2017) and more
frequent where q is low. Everything is drawn from one seeded generator, so a
seed gives the same year on any machine; sizes scale to millions of rows, all
vectorised.

The generator reads the model file for items, codes and types: the same code
makes a 2017 or a 2022 year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ..model.schema import FREQUENCY, INDIRECT, LIKERT, RATE, Item, Model
from ..scoring.deductions import DEDUCTION_COLUMNS
from ..registry.rotation import choose, measured_codes
from .mix import (DISTRICT_OFFICES_2017, MIN_PER_TASK, NAME_PATTERNS, NAME_SYLLABLES, RESPONSES_2017, TASK_NAMES, Calibration,
                  TypeMix, calibration_for, mix_for)

DEFAULT_SEED = 2017
DEFAULT_RESPONSES = sum(RESPONSES_2017.values())

# Offsets from a body's latent integrity to what each survey's respondents perceive,
# per model year (mix.Calibration): fitted so that the national averages come out near
# the published ones (2017: external 8.13, internal 7.66, overall 7.94; 2022+: mix.NATIONAL_2022).
# Experience items hardly move with latent integrity, so perception must move
# more than the overall score does: a survey score changes by about 0.56 per
# point of perception (2017). The gain widens latent differences to match published gaps.
RESPONDENT_SD = 0.13  # spread of respondents' perceived integrity (as a fraction)
LATENT_SD = 0.30  # spread of bodies' latent integrity within a type
ITEM_BLANK_RATE = 0.01  # Likert items left blank
# Direct-experience rate at the national mean, per survey; indirect is ~3x.
EXPERIENCE_RATE = {"external": 0.005, "internal": 0.012, "policy": 0.01}
EXPERIENCE_SLOPE = 0.9  # rates multiply by exp(-slope × (q - type mean))
FREQUENCY_CODES = {1: 0.5, 2: 0.25, 3: 0.18, 4: 0.07}
AMOUNT_CODES = {1: 0.40, 2: 0.35, 3: 0.15, 4: 0.07, 5: 0.03}
MODES = {
    "external": {"phone": 0.7, "mobile": 0.2, "email": 0.1},
    "internal": {"email": 0.6, "mobile": 0.4},
    "policy": {"phone": 0.6, "email": 0.3, "visit": 0.1},
}


@dataclass(frozen=True)
class GeneratedYear:
    institutions: pl.DataFrame
    tasks: pl.DataFrame
    responses: pl.DataFrame
    deductions: pl.DataFrame


def generate_year(
    model: Model,
    *,
    seed: int = DEFAULT_SEED,
    responses: int = DEFAULT_RESPONSES,
    mix: dict[str, TypeMix] | None = None,
    progress=None,
) -> GeneratedYear:
    """A year of about ``responses`` questionnaires for ``model``.

    ``progress(step, total)`` is called after each stage, for a progress bar. ``mix``: the
    institution mix (default: the model year's, mix.mix_for).
    """
    mix = mix if mix is not None else mix_for(model)
    calibration = calibration_for(model)
    unknown = [t for t in mix if t not in model.institution_types]
    if unknown:
        raise ValueError(f"측정모형 {model.version}에 없는 기관유형: {', '.join(unknown)}")
    rng = np.random.default_rng(seed)
    scale = responses / DEFAULT_RESPONSES
    institutions, latent, type_mean = _institutions(model, rng, mix, calibration)
    tasks, offices = _tasks(model, rng, institutions, mix, scale, _not_measured(model, institutions))
    stages = len(model.surveys) + 1
    frames = []
    for step, sv in enumerate(model.surveys, start=1):
        frames.append(_survey_rows(model, rng, sv.code, institutions, latent, type_mean, tasks, offices, scale, calibration))
        if progress:
            progress(step, stages)
    responses_frame = pl.concat(frames, how="diagonal")
    deductions = _deductions(model, rng, institutions, latent, type_mean)
    if progress:
        progress(stages, stages)
    return GeneratedYear(institutions, tasks, responses_frame, deductions)


def _name(rng: np.random.Generator, pattern: str, used: set[str]) -> str:
    for _ in range(1000):
        stem = "".join(rng.choice(list(NAME_SYLLABLES), size=rng.integers(2, 4)))
        name = pattern.format(stem)
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("이름을 더 만들 수 없습니다")


def _institutions(model: Model, rng: np.random.Generator, mix: dict[str, TypeMix],
                  calibration: Calibration | None = None):
    calibration = calibration or calibration_for(model)
    rows = []
    used: set[str] = set()
    by_type: dict[str, list[str]] = {}
    for type_index, (type_code, spec) in enumerate(mix.items(), start=1):
        for seq in range(1, spec.count + 1):
            code = f"{type_index:02d}{seq:05d}"  # leading zeros: codes are text
            by_type.setdefault(type_code, []).append(code)
            rows.append({
                "code": code,
                "name": _name(rng, NAME_PATTERNS.get(type_code, "{}기관"), used),
                "type": type_code,
                "staff": int(rng.integers(spec.staff[0], spec.staff[1] + 1)),
                "latent": float(np.clip(rng.normal(spec.target_overall, LATENT_SD), 4.0, 9.9)),
                "type_mean": spec.target_overall,
            })
    for row in rows:
        sup_type = mix[row["type"]].supervisor_type
        row["supervisor"] = str(rng.choice(by_type[sup_type])) if sup_type in by_type else None
    _place_in_provinces(model, rows, by_type)
    frame = pl.DataFrame(rows)
    inputs = {}
    for inp in model.inputs:
        span = inp.max - inp.min
        raw = inp.min + span * (frame["latent"].to_numpy() / 10 + rng.normal(calibration.input_shift, calibration.input_sd, frame.height))
        inputs[inp.code] = np.round(np.clip(raw, inp.min, inp.max), 1)
    out = frame.select("code", "name", "type", "staff", "supervisor").with_columns(
        *(pl.Series(k, v) for k, v in inputs.items())
    )
    return out, frame["latent"].to_numpy(), frame["type_mean"].to_numpy()


def _place_in_provinces(model: Model, rows: list[dict], by_type: dict[str, list[str]]) -> None:
    """Bodies measured within a parent type (교육지원청) go to their parents in the 2017
    numbers per province (mix.DISTRICT_OFFICES_2017), in code order, not at random."""
    for t in model.institution_types.values():
        parents = by_type.get(t.measured_within or "", [])
        members = by_type.get(t.code, [])
        if not parents or not members or len(parents) != len(DISTRICT_OFFICES_2017):
            continue
        slots = [p for p, k in zip(parents, DISTRICT_OFFICES_2017) for _ in range(k)]
        slots += [parents[i % len(parents)] for i in range(len(members) - len(slots))]  # a larger mix: round robin
        parent_of = dict(zip(members, slots))
        for row in rows:
            if row["code"] in parent_of:
                row["supervisor"] = parent_of[row["code"]]


def _not_measured(model: Model, institutions: pl.DataFrame) -> set[str]:
    """Bodies the model's rotation leaves out in the model's year: no tasks, no responses."""
    out: set[str] = set()
    for t in model.institution_types.values():
        if t.rotation is None:
            continue
        members = institutions.filter(pl.col("type") == t.code, pl.col("supervisor").is_not_null())
        pairs = list(zip(members["code"].to_list(), members["supervisor"].to_list()))
        out |= {c for c, _ in pairs} - measured_codes(choose(t.rotation, pairs, model.year))
    return out


def _family(model: Model, type_code: str) -> str:
    return model.institution_types[type_code].family


def _tasks(model: Model, rng, institutions: pl.DataFrame, mix: dict[str, TypeMix], scale: float,
           not_measured: set[str] = frozenset()):
    """Target tasks with quotas (>= 50 at the 2017 size) and local offices; none for a
    body the rotation leaves out this year."""
    external_total = RESPONSES_2017["external"] * scale
    rows, offices = [], {}
    for code, type_code in zip(institutions["code"], institutions["type"]):
        spec = mix[type_code]
        if code in not_measured:
            continue
        n_tasks = int(rng.integers(spec.tasks[0], spec.tasks[1] + 1))
        names = TASK_NAMES.get(_family(model, type_code), TASK_NAMES["central"])
        for t, name in enumerate(rng.choice(names, size=min(n_tasks, len(names)), replace=False), start=1):
            rows.append({"institution": code, "task": f"{code}-T{t}", "task_name": str(name), "weight": rng.uniform(0.8, 1.6)})
        if rng.random() < spec.offices:
            offices[code] = [f"{code}-O{o}" for o in range(1, int(rng.integers(3, 9)) + 1)]
    tasks = pl.DataFrame(rows)
    weights = tasks["weight"].to_numpy()
    quota = np.round(weights / weights.sum() * external_total)
    floor = MIN_PER_TASK if scale >= 1 else max(3, int(MIN_PER_TASK * scale))
    tasks = tasks.with_columns(pl.Series("quota", np.maximum(quota, floor).astype(np.int64))).drop("weight")
    return tasks, offices


def _rows_per_body(model, rng, survey, institutions, tasks, scale) -> tuple[np.ndarray, np.ndarray | None]:
    """Row → institution index (and task for the external survey)."""
    codes = institutions["code"].to_list()
    index = {c: i for i, c in enumerate(codes)}
    if survey == "external":
        inst = np.repeat([index[c] for c in tasks["institution"]], tasks["quota"].to_numpy())
        task = np.repeat(tasks["task"].to_numpy(), tasks["quota"].to_numpy())
        return inst, task
    measured = institutions["code"].is_in(tasks["institution"].implode()).to_numpy()  # the rotation's choice
    takers = np.array([survey in model.required_surveys(t) for t in institutions["type"]]) & measured
    if not takers.any():
        return np.zeros(0, dtype=np.int64), None
    if survey == "internal":
        weight = np.sqrt(institutions["staff"].to_numpy().astype(float))
    else:
        weight = np.ones(institutions.height)
    weight = np.where(takers, weight, 0.0)
    total = RESPONSES_2017.get(survey, RESPONSES_2017["internal"]) * scale
    counts = np.maximum(np.round(weight / weight.sum() * total), np.where(takers, 10 if scale >= 1 else 3, 0))
    return np.repeat(np.arange(institutions.height), counts.astype(np.int64)), None


def _survey_rows(model, rng, survey, institutions, latent, type_mean, tasks, offices, scale, calibration) -> pl.DataFrame:
    inst, task = _rows_per_body(model, rng, survey, institutions, tasks, scale)
    n = len(inst)
    codes = institutions["code"].to_numpy()
    offset = calibration.perception_offset.get(survey, -0.8)
    centre = calibration.national_latent
    perceived = centre + calibration.perception_gain * (latent[inst] - centre) + offset
    p = np.clip(perceived / 10 + rng.normal(0, RESPONDENT_SD, n), 0.01, 0.99)
    rate = EXPERIENCE_RATE.get(survey, 0.01) * np.exp(-EXPERIENCE_SLOPE * (latent[inst] - type_mean[inst]))
    columns: dict[str, object] = {
        "institution": codes[inst],
        "survey": np.full(n, survey),
        "task": task if task is not None else np.full(n, None),
        "office": _offices(rng, codes[inst], offices, survey),
        "group": _groups(model, rng, institutions["type"].to_numpy()[inst], survey),
        "mode": _choice(rng, MODES.get(survey, {"email": 1.0}), n),
    }
    types = institutions["type"].to_numpy()[inst]
    sv = model.survey(survey)
    answered_yes: dict[str, np.ndarray] = {}
    for item in sv.questionnaire_items:
        if item.gate:
            continue  # drawn with its gate below
        columns[item.code] = _answers(model, rng, item, p, rate, types, answered_yes)
    for item in sv.questionnaire_items:
        if item.gate:
            columns[item.code] = _gated(rng, item, answered_yes[item.gate])
    meta = [pl.Series(c, np.asarray(columns[c], dtype=object).tolist(), dtype=pl.Utf8) for c in ("institution", "survey", "task", "office", "group", "mode")]
    items = [
        pl.Series(i.code, columns[i.code], dtype=pl.Float64, nan_to_null=True).cast(pl.Int16)
        for i in sv.questionnaire_items
    ]
    return pl.DataFrame([*meta, *items])


def _answers(model, rng, item: Item, p, rate, types, answered_yes) -> np.ndarray:
    n = len(p)
    answer = item.answer
    if item.method == LIKERT:
        k = answer.points
        points = rng.binomial(k, p)
        first, last = min(answer.codes), max(answer.codes)
        codes = (first + points) if item.polarity == "negative" else (last - points)
        codes = codes.astype(np.float64)
        codes[rng.random(n) < ITEM_BLANK_RATE] = np.nan
        return codes
    if item.method == INDIRECT:
        yes = rng.random(n) < np.clip(rate * 3.0, 0, 1)
        codes = np.where(yes, answer.yes, answer.no).astype(np.float64)
        if item.pool_only_types:
            codes[~np.isin(types, item.pool_only_types)] = np.nan
        return codes
    if item.method == RATE:
        yes = rng.random(n) < np.clip(rate, 0, 1)
        answered_yes[item.code] = yes
        return np.where(yes, answer.yes, answer.no).astype(np.float64)
    raise ValueError(f"{item.code}: 관문 문항 없이 빈도·규모 문항을 만들 수 없습니다")


def _gated(rng, item: Item, yes: np.ndarray) -> np.ndarray:
    """Frequency/amount: asked only after "yes"; blank (skipped) after "no"."""
    table = FREQUENCY_CODES if item.method == FREQUENCY else AMOUNT_CODES
    allowed = {c: w for c, w in table.items() if c in item.answer.codes}
    codes = np.full(len(yes), np.nan)
    codes[yes] = _choice(rng, allowed, int(yes.sum())).astype(np.float64)
    return codes


def _choice(rng, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    probs = np.asarray([weights[k] for k in keys], dtype=float)
    return np.asarray(keys)[rng.choice(len(keys), size=n, p=probs / probs.sum())]


def _offices(rng, inst_codes: np.ndarray, offices: dict[str, list[str]], survey: str) -> np.ndarray:
    out = np.full(len(inst_codes), None, dtype=object)
    if survey != "external":
        return out
    for code, names in offices.items():
        rows = np.flatnonzero(inst_codes == code)
        # Uneven office sizes: some reach the 30-response bar, some do not.
        share = rng.dirichlet(np.full(len(names), 0.8))
        out[rows] = np.asarray(names, dtype=object)[rng.choice(len(names), size=len(rows), p=share)]
    return out


def _groups(model, rng, types: np.ndarray, survey: str) -> np.ndarray:
    if survey == "external":
        return _choice(rng, {"citizen": 0.8, "business": 0.2}, len(types))
    if survey == "internal":
        return np.full(len(types), "staff")
    out = np.empty(len(types), dtype=object)
    for t in np.unique(types):
        groups = model.institution_types[t].policy_groups or ("expert", "stakeholder")
        rows = types == t
        out[rows] = rng.choice(list(groups), size=int(rows.sum()))
    return out


def _deductions(model: Model, rng, institutions: pl.DataFrame, latent, type_mean) -> pl.DataFrame:
    """A few incidents (more likely where latent integrity is low) and three sanctions."""
    rows = []
    codes = institutions["code"].to_list()
    categories = [c for c in ("external", "internal") if c in model.survey_codes]
    positions = list(model.incidents.position)
    detections = list(model.incidents.detection)
    span = model.scale_max - model.scale_min
    chance = np.clip(0.08 * np.exp(-1.2 * (latent - type_mean)), 0, 0.6)
    # A provincial education office's draw stands for its district offices too (their cases
    # are charged to it when scored): drawing for each of 176 offices again would give a
    # province ten bodies' worth of cases.
    parts = [t.code for t in model.institution_types.values() if t.measured_within]
    chance = np.where(institutions["type"].is_in(parts).to_numpy(), 0.0, chance)
    for i in np.flatnonzero(rng.random(len(codes)) < chance):
        for _ in range(int(rng.integers(1, 3))):
            committee = rng.random() < 0.25
            rows.append({
                "institution": codes[i],
                "kind": "incident",
                "category": str(rng.choice(categories)),
                "points": round(float(rng.uniform(0.05, 0.6)) * span / 10, 2) if committee else None,
                "position": None if committee else str(rng.choice(positions)),
                "amount": None if committee else int(rng.choice([300_000, 2_000_000, 8_000_000, 30_000_000, 80_000_000])),
                "people": None if committee else int(rng.integers(1, 4)),
                "detection": str(rng.choice(detections)),
                "note": "위원회 결정 점수" if committee else "징계 처분 자료",
            })
    lo, hi = model.credibility.points_range
    sanctions = [
        ("favourable_answer_request", {"points": round(float(rng.uniform(lo, hi)), 2)}, "사전 접촉으로 호의적 응답 요청"),
        ("critic_blacklisting", {"grade_down": 1}, "비판적 응답자 명부 제외"),
        ("organised_coaching", {"grade_down": 1, "void": True}, "공문으로 응답 요령 배포"),
    ]
    graded = np.flatnonzero(chance > 0) if parts else np.arange(len(codes))
    picked = rng.choice(graded, size=len(sanctions), replace=False)
    for i, (violation, what, note) in zip(picked, sanctions):
        if violation in model.credibility.violations:
            rows.append({"institution": codes[i], "kind": "credibility", "violation": violation, "note": note, **what})
    return pl.DataFrame([{k: r.get(k) for k in DEDUCTION_COLUMNS} for r in rows], schema=DEDUCTION_COLUMNS)
