"""청렴노력도 (the 2022+ anti-corruption effort evaluation) as model data.

Areas hold indicators; each indicator has a kind and the rule that turns what the
institution submitted (a figure) or what the panel decided (a rubric level, a survey
score) into points. The file's ``total`` is what the non-bonus indicators add up to;
bonus indicators come on top, each capped, and the total stays capped at ``total``
(DOMAIN.md "How the 2022+ year is run"; the scoring itself is integrity.effort).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .names import Named, english, english_text

QUANTITATIVE, QUALITATIVE, SURVEY, BONUS = "quantitative", "qualitative", "survey", "bonus"
KINDS = (QUANTITATIVE, QUALITATIVE, SURVEY, BONUS)
KIND_NAMES = {QUANTITATIVE: "정량", QUALITATIVE: "정성", SURVEY: "설문", BONUS: "가점"}
LINEAR, THRESHOLDS = "linear", "thresholds"
# Figures the system computes instead of the institution typing them: source -> what may be
# counted (``counts``). cluster_activity: integrity.clusters.activity.
CLUSTER_ACTIVITY = "cluster_activity"
SOURCES = {CLUSTER_ACTIVITY: ("events_organised", "meetings_attended")}
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Level(Named):
    """One step of a qualitative rubric: its name and the points it earns."""

    code: str
    name: str
    points: float
    name_en: str = ""


@dataclass(frozen=True)
class Indicator(Named):
    code: str
    name: str
    kind: str
    points: float  # the most it can earn (a bonus: its cap)
    evidence: str  # what the performance report must show
    unit: str = ""  # the submitted figure's unit (quantitative, bonus)
    rule: str = ""  # quantitative: linear | thresholds
    floor: float | None = None  # linear: at or past the floor, 0 points ...
    target: float | None = None  # ... at or past the target, all points; floor > target: lower is better
    thresholds: tuple[tuple[float, float], ...] = ()  # (figure at least, points), figures ascending
    levels: tuple[Level, ...] = ()  # qualitative rubric, best first
    survey: str = ""  # survey: the model's survey whose answers score it (the staff survey, ``internal``) ...
    survey_items: tuple[str, ...] = ()  # ... and the codes of its Likert items that do (integrity.effort.survey)
    per_unit: float = 0.0  # bonus: points per unit of the figure, up to ``points``
    source: str = ""  # the figure is computed by the system (SOURCES), not reported
    counts: tuple[str, ...] = ()  # source: which of its activities count
    name_en: str = ""
    evidence_en: str = ""
    unit_en: str = ""

    def evidence_in(self, language: str | None = "ko") -> str:
        return self.evidence_en if english(language) and self.evidence_en else self.evidence

    def unit_in(self, language: str | None = "ko") -> str:
        return self.unit_en if english(language) and self.unit_en else self.unit

    @property
    def needs_figure(self) -> bool:
        return self.kind in (QUANTITATIVE, BONUS)

    @property
    def panel_scored(self) -> bool:
        """Scored by the panel (a level or an entered survey score), not from the figure."""
        return self.kind in (QUALITATIVE, SURVEY)

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)


@dataclass(frozen=True)
class Area(Named):
    code: str
    name: str
    indicators: tuple[Indicator, ...]
    name_en: str = ""

    @property
    def points(self) -> float:
        return sum(i.points for i in self.indicators if i.kind != BONUS)


@dataclass(frozen=True)
class EffortFramework:
    total: float
    input: str  # the model's entered input the effort total feeds (``inputs``)
    areas: tuple[Area, ...]
    submission_deadline: date | None = None
    period: tuple[date, date] | None = None  # the evaluation period the reports cover
    objection_days: int = 7  # the objection window (이의신청) after preliminary scores are released
    rubrics: dict[str, tuple[Level, ...]] = field(default_factory=dict)
    # Two evaluators' points on a qualitative indicator may differ by at most this share of
    # its points before the indicator goes to reconciliation (조정); 0.2 = one step of a
    # five-level rubric. 0: any difference is reconciled.
    reconciliation_gap: float = 0.2

    def gap_points(self, ind: Indicator) -> float:
        return self.reconciliation_gap * ind.points

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for a in self.areas for i in a.indicators)

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


AREA_KEYS = {"code", "name", "name_en", "indicators"}
INDICATOR_KEYS = {"code", "name", "name_en", "kind", "points", "evidence", "evidence_en", "unit", "unit_en", "rule", "floor",
                  "target", "thresholds", "rubric", "levels", "survey", "items", "per_unit", "cap", "source", "counts"}


def _num(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _levels(check, raw, path, scale: float | None) -> tuple[Level, ...]:
    """Rubric levels, best first. ``scale`` given: the levels hold ``share`` (0..1) of it."""
    if not isinstance(raw, list) or not raw:
        check.fail(path, "수준(levels)이 하나 이상 있어야 합니다")
        return ()
    out = []
    key = "share" if scale is None else "points"
    for n, spec in enumerate(raw):
        where = f"{path}[{n}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("code"), str) or not spec.get("name"):
            check.fail(where, "code와 name이 있어야 합니다")
            continue
        value = spec.get(key)
        if not _num(value) or value < 0:
            check.fail(f"{where}.{key}", f"0 이상의 수여야 합니다 (값: {value!r})")
            continue
        out.append(Level(spec["code"], str(spec["name"]), float(value), english_text(check, spec, "name_en", where)))
    if len({lv.code for lv in out}) != len(out):
        check.fail(path, "수준 코드가 중복됩니다")
    if any(a.points <= b.points for a, b in zip(out, out[1:])):
        check.fail(path, "수준은 높은 점수부터 차례로 내려가야 합니다")
    return tuple(out)


def _rubrics(check, raw) -> dict[str, tuple[Level, ...]]:
    """Shared rubrics: levels as shares of an indicator's points (1.0 = all of them)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.fail("effort.rubrics", "키-값 목록이어야 합니다")
        return {}
    out = {}
    for name, levels in raw.items():
        parsed = _levels(check, levels, f"effort.rubrics.{name}", None)
        if parsed and not math.isclose(parsed[0].points, 1.0, abs_tol=TOLERANCE):
            check.fail(f"effort.rubrics.{name}", "가장 높은 수준의 share는 1이어야 합니다")
        if any(lv.points > 1 for lv in parsed):
            check.fail(f"effort.rubrics.{name}", "share는 0~1 사이여야 합니다")
        out[str(name)] = parsed
    return out


def _indicator(check, spec, path, rubrics, surveys) -> Indicator | None:
    if not isinstance(spec, dict):
        check.fail(path, "키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(spec, INDICATOR_KEYS, path)
    code = check.need(spec, "code", path, str)
    name = check.need(spec, "name", path, str)
    kind = check.need(spec, "kind", path, str)
    evidence = check.need(spec, "evidence", path, str)
    if kind is not None and kind not in KINDS:
        check.fail(f"{path}.kind", f"알 수 없는 지표 종류 '{kind}' (가능: {', '.join(KINDS)})")
        return None
    points = check.number(spec, "cap" if kind == BONUS else "points", path, positive=True)
    if None in (code, name, kind, evidence, points):
        return None
    extra: dict[str, Any] = {"unit": str(spec.get("unit", "")), "unit_en": english_text(check, spec, "unit_en", path),
                             "name_en": english_text(check, spec, "name_en", path),
                             "evidence_en": english_text(check, spec, "evidence_en", path)}
    if kind == QUANTITATIVE:
        rule = spec.get("rule")
        extra["rule"] = rule
        if rule == LINEAR:
            floor, target = check.number(spec, "floor", path), check.number(spec, "target", path)
            if floor is not None and target is not None and floor == target:
                check.fail(path, "floor와 target이 같으면 선형 배점을 할 수 없습니다")
            extra.update(floor=floor, target=target)
        elif rule == THRESHOLDS:
            raw = spec.get("thresholds")
            rows = []
            if not isinstance(raw, list) or not raw:
                check.fail(f"{path}.thresholds", "[실적 이상, 점수] 목록이 하나 이상 있어야 합니다")
                raw = []
            for n, row in enumerate(raw):
                if not (isinstance(row, list) and len(row) == 2 and all(_num(v) for v in row)):
                    check.fail(f"{path}.thresholds[{n}]", f"[실적 이상, 점수] 형식이어야 합니다 (값: {row!r})")
                    continue
                if not 0 <= row[1] <= points + TOLERANCE:
                    check.fail(f"{path}.thresholds[{n}]", f"점수는 0~{points:g} 사이여야 합니다 (값: {row[1]})")
                rows.append((float(row[0]), float(row[1])))
            if any(a[0] >= b[0] for a, b in zip(rows, rows[1:])):
                check.fail(f"{path}.thresholds", "구간의 실적 값은 작은 것부터 차례로 커져야 합니다")
            extra["thresholds"] = tuple(rows)
        else:
            check.fail(f"{path}.rule", f"정량 지표의 배점 방식은 {LINEAR} 또는 {THRESHOLDS}여야 합니다 (값: {rule!r})")
    elif kind == QUALITATIVE:
        if "levels" in spec:
            levels = _levels(check, spec["levels"], f"{path}.levels", points)
            if levels and not math.isclose(levels[0].points, points, abs_tol=TOLERANCE):
                check.fail(f"{path}.levels", f"가장 높은 수준의 점수가 배점({points:g})과 같아야 합니다")
        elif spec.get("rubric") in rubrics:
            levels = tuple(Level(lv.code, lv.name, round(lv.points * points, 4), lv.name_en) for lv in rubrics[spec["rubric"]])
        else:
            check.fail(path, f"정성 지표에는 levels 또는 effort.rubrics에 있는 rubric이 있어야 합니다 (값: {spec.get('rubric')!r})")
            levels = ()
        extra["levels"] = levels
    elif kind == SURVEY:
        survey = spec.get("survey")
        items = spec.get("items")
        if survey not in surveys:
            check.fail(f"{path}.survey", f"surveys에 없는 설문 '{survey}'입니다 (가능: {', '.join(surveys)})")
        elif not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            check.fail(f"{path}.items", "그 설문의 문항 코드 목록이 하나 이상 있어야 합니다")
        else:
            for item_code in items:
                item = surveys[survey].get(item_code)
                if item is None:
                    check.fail(f"{path}.items", f"설문 '{survey}'에 없는 문항 '{item_code}'입니다")
                elif item.method != "likert":
                    check.fail(f"{path}.items", f"문항 '{item_code}'은 리커트 문항이 아닙니다 (설문 지표는 리커트 문항의 평균으로 매깁니다)")
        extra["survey"] = str(survey or "")
        extra["survey_items"] = tuple(items) if isinstance(items, list) else ()
    elif kind == BONUS:
        per_unit = check.number(spec, "per_unit", path, positive=True)
        extra["per_unit"] = per_unit or 0.0
    if "source" in spec:
        source = spec["source"]
        if kind not in (QUANTITATIVE, BONUS) or source not in SOURCES:
            check.fail(f"{path}.source", f"실적 수치가 있는 지표에만, {', '.join(SOURCES)} 중 하나를 쓸 수 있습니다 (값: {source!r})")
        else:
            counts = spec.get("counts", list(SOURCES[source]))
            if not isinstance(counts, list) or not counts or any(c not in SOURCES[source] for c in counts):
                check.fail(f"{path}.counts", f"{', '.join(SOURCES[source])} 중에서 하나 이상 골라야 합니다 (값: {counts!r})")
                counts = []
            extra.update(source=source, counts=tuple(counts))
    elif "counts" in spec:
        check.fail(f"{path}.counts", "source가 있는 지표에만 쓸 수 있습니다")
    return Indicator(code=code, name=name, kind=kind, points=points, evidence=evidence, **extra)


def parse_effort(check, raw: Any, input_codes: set[str], surveys: dict | None = None) -> EffortFramework | None:
    """``check``: the loader's problem collector; ``input_codes``: the model's ``inputs``;
    ``surveys``: survey code -> {item code: Item} (what survey indicators may name)."""
    surveys = surveys or {}
    if raw is None:
        return None
    path = "effort"
    if not isinstance(raw, dict):
        check.fail(path, "키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(raw, {"total", "input", "submission_deadline", "period", "objection_days", "rubrics", "areas",
                                  "reconciliation_gap"}, path)
    objection_days = raw.get("objection_days", 7)
    if not isinstance(objection_days, int) or isinstance(objection_days, bool) or not 1 <= objection_days <= 60:
        check.fail(f"{path}.objection_days", f"1~60 사이의 날 수여야 합니다 (값: {objection_days!r})")
        objection_days = 7
    total = check.number(raw, "total", path, positive=True)
    target = check.need(raw, "input", path, str)
    if target is not None and target not in input_codes:
        check.fail(f"{path}.input", f"inputs에 없는 입력 점수 '{target}'입니다")
    deadline = raw.get("submission_deadline")
    if deadline is not None and not isinstance(deadline, date):
        check.fail(f"{path}.submission_deadline", f"날짜(YYYY-MM-DD)가 아닙니다 (값: {deadline!r})")
        deadline = None
    period = None
    if raw.get("period") is not None:
        p = raw["period"]
        if not (isinstance(p, dict) and isinstance(p.get("start"), date) and isinstance(p.get("end"), date)
                and p["start"] <= p["end"]):
            check.fail(f"{path}.period", "start와 end 날짜가 있어야 하고 start가 end보다 늦으면 안 됩니다")
        else:
            period = (p["start"], p["end"])
    rubrics = _rubrics(check, raw.get("rubrics"))
    gap = raw.get("reconciliation_gap", 0.2)
    if not _num(gap) or not 0 <= gap <= 1:
        check.fail(f"{path}.reconciliation_gap", f"지표 배점에 대한 비율로 0~1 사이의 수여야 합니다 (값: {gap!r})")
        gap = 0.2
    areas = []
    for a, spec in enumerate(check.need(raw, "areas", path, list) or []):
        where = f"{path}.areas[{spec.get('code', a) if isinstance(spec, dict) else a}]"
        if not isinstance(spec, dict):
            check.fail(where, "키-값 목록이어야 합니다")
            continue
        check.no_unknown_keys(spec, AREA_KEYS, where)
        code, name = check.need(spec, "code", where, str), check.need(spec, "name", where, str)
        indicators = [
            _indicator(check, ind, f"{where}.indicators[{ind.get('code', n) if isinstance(ind, dict) else n}]", rubrics, surveys)
            for n, ind in enumerate(check.need(spec, "indicators", where, list) or [])
        ]
        if code and name:
            areas.append(Area(code, name, tuple(i for i in indicators if i is not None),
                              english_text(check, spec, "name_en", where)))
    codes = [i.code for a in areas for i in a.indicators]
    for dup in sorted({c for c in codes if codes.count(c) > 1}):
        check.fail(f"{path}.areas", f"지표 코드 '{dup}'가 중복됩니다")
    if len({a.code for a in areas}) != len(areas):
        check.fail(f"{path}.areas", "영역 코드가 중복됩니다")
    summed = sum(a.points for a in areas)
    if total is not None and not math.isclose(summed, total, abs_tol=TOLERANCE):
        check.fail(f"{path}.areas", f"가점을 뺀 지표 배점의 합({summed:g})이 total({total:g})과 다릅니다")
    if total is None or target is None:
        return None
    return EffortFramework(total=total, input=target, areas=tuple(areas), submission_deadline=deadline,
                           period=period, objection_days=objection_days, rubrics=rubrics, reconciliation_gap=float(gap))
