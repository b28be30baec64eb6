"""Load a model YAML file and validate it, naming the key path of every fault.

A broken file never yields a half-usable model: ``load_model`` either returns a
complete ``Model`` or raises ``ModelError`` listing every problem found.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import schema as s
from . import staff_rules
from .effort import parse_effort
from .names import english_names, english_text
from .policy_customers import parse_policy_customers

MODELS_DIR = Path(__file__).parent / "models"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: several times faster
WEIGHT_TOLERANCE = 1e-6

ANSWER_KINDS = ("likert", "yes_no", "frequency", "amount")
MEASURES = ("perception", "direct", "indirect")
ITEM_KEYS = {"code", "name", "name_en", "text", "text_en", "measure", "answer", "polarity", "gate"}
POOLED_KEYS = ITEM_KEYS | {"into", "target", "only_types"}
NODE_KEYS = {"code", "name", "name_en", "weight", "children", "items"}
SANCTIONS = ("warning", "points", "grade_down", "void")


class ModelError(ValueError):
    """A model file that cannot be used; ``problems`` holds one line per fault."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"측정모형 파일 {source}에 오류가 {len(problems)}건 있습니다:\n{lines}")


class _Checker:
    """Collects problems with the key path where each was found."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def need(self, data: Any, key: str, path: str, kind: type | tuple = object) -> Any:
        if not isinstance(data, dict) or key not in data or data[key] is None:
            self.fail(f"{path}.{key}" if path else key, "필수 항목이 없습니다")
            return None
        value = data[key]
        if kind is not object and not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(f"{path}.{key}" if path else key, f"형식이 맞지 않습니다 (값: {value!r})")
            return None
        return value

    def number(self, data: Any, key: str, path: str, *, positive: bool = False) -> float | None:
        value = self.need(data, key, path, (int, float))
        if value is None:
            return None
        if positive and value <= 0:
            self.fail(f"{path}.{key}", f"0보다 커야 합니다 (값: {value})")
            return None
        return float(value)

    def no_unknown_keys(self, data: dict, allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(f"{path}.{key}", "알 수 없는 키입니다 (오타인지 확인하세요)")

    def weights_sum_to_one(self, weights: dict | list, path: str) -> None:
        total = sum(weights.values() if isinstance(weights, dict) else weights)
        if not math.isclose(total, 1.0, abs_tol=WEIGHT_TOLERANCE):
            self.fail(path, f"가중치의 합이 1이 아닙니다 (합계: {total:g})")


def model_path(name: str | Path) -> Path:
    """A model year ("2017") names a packaged file; anything else is a path."""
    text = str(name)
    if text.isdigit():
        return MODELS_DIR / f"{text}.yaml"
    return Path(text)


def available_models() -> list[str]:
    return sorted(p.stem for p in MODELS_DIR.glob("*.yaml"))


def load_model(name: str | Path) -> s.Model:
    path = model_path(name).resolve()
    if not path.exists():
        hint = ", ".join(available_models())
        raise ModelError(str(name), [f"파일이 없습니다 (내장 모형: {hint})"])
    if not path.is_file():
        raise ModelError(str(name), ["파일이 아니라 폴더입니다"])
    return _load_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int) -> s.Model:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(path, [f"UTF-8 글자가 아닙니다 ({exc.start}번째 바이트); YAML 파일을 UTF-8로 저장하세요"]) from exc
    except OSError as exc:
        raise ModelError(path, [f"파일을 읽을 수 없습니다 ({exc.strerror or exc})"]) from exc
    return _parse_text(text, path)


def _parse_text(text: str, source: str) -> s.Model:
    """Validate YAML text; the model keeps the text, so a scoring run can store exactly
    what it was scored with."""
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}행 {mark.column + 1}열" if mark else "알 수 없는 위치"
        raise ModelError(source, [f"YAML 문법 오류 ({where}): {getattr(exc, 'problem', exc)}"]) from exc
    return dataclasses.replace(parse_model(data, source=source), text=text)


def load_model_text(text: str, source: str = "<stored>") -> s.Model:
    """A model from the YAML text itself (as a scoring run stored it), validated like a
    file; the same text is parsed once per process."""
    return _load_text_cached(hashlib.sha256(text.encode("utf-8")).hexdigest(), text, source)


@lru_cache(maxsize=16)
def _load_text_cached(_digest: str, text: str, source: str) -> s.Model:
    return _parse_text(text, source)


def parse_model(data: Any, source: str = "<memory>") -> s.Model:
    check = _Checker()
    if not isinstance(data, dict):
        raise ModelError(source, ["파일의 최상위가 키-값 목록이 아닙니다"])
    answer_types = _answer_types(check, data.get("answer_types"))
    conversion = _conversion(check, data)
    types_raw = check.need(data, "institution_types", "", list) or []
    type_codes = [t.get("code") for t in types_raw if isinstance(t, dict)]

    surveys = _surveys(check, data.get("surveys"), answer_types, type_codes)
    inputs = _inputs(check, data.get("inputs") or [])
    composites = _composites(check, data.get("composites") or [], surveys, inputs)
    overall_raw = data.get("overall") if isinstance(data.get("overall"), dict) else {}
    family_names = dict(data.get("family_names") or {})
    overall_name_en = english_text(check, overall_raw, "name_en", "overall")
    family_names_en = english_names(check, data, "family_names_en", "", family_names)
    title_en = english_text(check, data, "title_en", "")
    components = {x.code for x in surveys} | {x.code for x in inputs} | {x.code for x in composites}
    weight_sets = _weight_sets(check, data.get("overall"), components)
    institution_types = _institution_types(check, types_raw, weight_sets)
    incidents = _incidents(check, data.get("incidents"))
    credibility = _credibility(check, data.get("credibility"))
    cut_points, min_institutions = _grading(check, data.get("grading"))
    grade_measures = _grade_measures(check, data.get("grading"), components)
    uncertainty = _uncertainty(check, data.get("uncertainty"), [sv.code for sv in surveys])
    weighting = _weighting(check, data.get("weighting"))
    policy_customers = parse_policy_customers(check, data.get("policy_customers"),
                                              {g for t in institution_types.values() for g in t.policy_groups})
    effort = parse_effort(check, data.get("effort"), {x.code for x in inputs},
                          {sv.code: {i.code: i for i in sv.items} for sv in surveys})
    scale = check.need(data, "scale", "", dict) or {}
    scale_min = check.number(scale, "min", "scale")
    scale_max = check.number(scale, "max", "scale")
    if scale_min is not None and scale_max is not None and scale_max <= scale_min:
        check.fail("scale", "max가 min보다 커야 합니다")
    elif incidents is not None and incidents.cap is not None and scale_min is not None and scale_max is not None \
            and incidents.cap > scale_max - scale_min:
        check.fail("incidents.cap", f"감점 상한({incidents.cap:g})이 척도 폭({scale_max - scale_min:g})보다 큽니다")
    version = check.need(data, "version", "", (str, int, float))
    year = check.need(data, "year", "", int)
    fieldwork = _fieldwork(check, data["fieldwork"], institution_types) if "fieldwork" in data else None
    breakdowns = data.get("breakdowns") or {}
    office_min = breakdowns.get("office_min_responses", 30)

    if check.problems:
        raise ModelError(source, check.problems)
    return s.Model(
        version=str(version),
        year=year,
        title=str(data.get("title", "")),
        scale_min=scale_min,
        scale_max=scale_max,
        publish_decimals=int(data.get("publish_decimals", 2)),
        answer_types=answer_types,
        conversion=conversion,
        surveys=tuple(surveys),
        inputs=tuple(inputs),
        composites=tuple(composites),
        overall_name=str(overall_raw.get("name", "종합청렴도")),
        overall_name_en=overall_name_en,
        weight_sets=weight_sets,
        institution_types=institution_types,
        incidents=incidents,
        credibility=credibility,
        grade_cut_points=cut_points,
        grade_min_institutions=min_institutions,
        office_min_responses=int(office_min),
        fieldwork=fieldwork,
        family_names=family_names,
        family_names_en=family_names_en,
        title_en=title_en,
        questionnaire=_questionnaire(data.get("questionnaire") or {}),
        uncertainty=uncertainty,
        weighting=weighting,
        policy_customers=policy_customers,
        effort=effort,
        grade_measures=grade_measures,
        source=source,
    )


def _answer_types(check: _Checker, raw: Any) -> dict[str, s.AnswerType]:
    if not isinstance(raw, dict) or not raw:
        check.fail("answer_types", "필수 항목이 없습니다")
        return {}
    out = {}
    for code, spec in raw.items():
        path = f"answer_types.{code}"
        kind = check.need(spec, "kind", path, str)
        codes = check.need(spec, "codes", path, dict)
        if kind is None or codes is None:
            continue
        if kind not in ANSWER_KINDS:
            check.fail(f"{path}.kind", f"알 수 없는 응답 유형 '{kind}' (허용: {', '.join(ANSWER_KINDS)})")
            continue
        if not all(isinstance(k, int) and not isinstance(k, bool) for k in codes):
            check.fail(f"{path}.codes", "응답 코드는 정수여야 합니다")
            continue
        values = None
        yes = no = None
        if kind == "likert" and sorted(codes) != list(range(1, len(codes) + 1)):
            check.fail(f"{path}.codes", "리커트 코드는 1부터 빠짐없이 이어져야 합니다")
        if kind == "likert" and len(codes) < 2:
            check.fail(f"{path}.codes", "리커트 척도는 2점 이상이어야 합니다")
        if kind == "yes_no":
            # "yes"/"no" would be YAML 1.1 booleans as keys, hence yes_code/no_code.
            yes, no = spec.get("yes_code"), spec.get("no_code")
            for key, val in (("yes_code", yes), ("no_code", no)):
                if val not in codes:
                    check.fail(f"{path}.{key}", f"응답 코드 {val!r}가 codes에 없습니다")
        if kind in ("frequency", "amount"):
            values = check.need(spec, "values", path, dict) or {}
            for c in codes:
                if c not in values:
                    check.fail(f"{path}.values", f"응답 코드 {c}의 환산값이 없습니다")
                elif not isinstance(values[c], int) or values[c] < 0:
                    check.fail(f"{path}.values.{c}", "환산값은 0 이상의 정수여야 합니다")
            for c in values:
                if c not in codes:
                    check.fail(f"{path}.values.{c}", "codes에 없는 응답 코드입니다")
        out[code] = s.AnswerType(code=code, kind=kind, codes=dict(codes), values=values, yes=yes, no=no,
                                 codes_en=dict(spec.get("codes_en") or {}))
    return out


def _conversion(check: _Checker, data: dict) -> s.Conversion:
    raw = check.need(data, "conversion", "", dict) or {}
    return s.Conversion(
        rate_ceiling=check.number(raw, "rate_ceiling", "conversion", positive=True),
        frequency_ceiling=check.number(raw, "frequency_ceiling", "conversion", positive=True),
        amount_ceiling=check.number(raw, "amount_ceiling", "conversion", positive=True),
    )


def _item(check, raw, path, survey, answer_types, *, pooled=False, type_codes=()) -> s.Item | None:
    if not isinstance(raw, dict):
        check.fail(path, "문항은 키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(raw, POOLED_KEYS if pooled else ITEM_KEYS, path)
    code = check.need(raw, "code", path, str)
    text = check.need(raw, "text", path, str)
    measure = check.need(raw, "measure", path, str)
    answer_code = check.need(raw, "answer", path, str)
    if None in (code, text, measure, answer_code):
        return None
    if measure not in MEASURES:
        check.fail(f"{path}.measure", f"알 수 없는 측정 방식 '{measure}' (허용: {', '.join(MEASURES)})")
        return None
    answer = answer_types.get(answer_code)
    if answer is None:
        check.fail(f"{path}.answer", f"정의되지 않은 응답 유형 '{answer_code}'")
        return None
    allowed = {"perception": ("likert",), "indirect": ("yes_no",), "direct": ("yes_no", "frequency", "amount")}
    if answer.kind not in allowed[measure]:
        check.fail(f"{path}.answer", f"{measure} 문항에 {answer.kind} 응답은 쓸 수 없습니다")
        return None
    polarity = raw.get("polarity")
    if measure == "perception" and polarity not in ("positive", "negative"):
        check.fail(f"{path}.polarity", "인식 문항은 polarity가 positive 또는 negative여야 합니다")
    if measure != "perception" and polarity is not None:
        check.fail(f"{path}.polarity", "polarity는 인식(리커트) 문항에만 씁니다")
    target = raw.get("target")
    if pooled and target not in ("self", "supervisor"):
        check.fail(f"{path}.target", "target은 self 또는 supervisor여야 합니다")
    only_types = tuple(raw.get("only_types") or ())
    for t in only_types:
        if t not in type_codes:
            check.fail(f"{path}.only_types", f"정의되지 않은 기관유형 '{t}'")
    return s.Item(
        code=code,
        name=str(raw.get("name", code)),
        text=text,
        measure=measure,
        answer=answer,
        survey=survey,
        polarity=polarity,
        gate=raw.get("gate"),
        pool_into=raw.get("into") if pooled else None,
        pool_target=target if pooled else None,
        pool_only_types=only_types,
        text_en=english_text(check, raw, "text_en", path),
        name_en=english_text(check, raw, "name_en", path),
    )


def _node(check, raw, path, survey, answer_types) -> s.Node | None:
    if not isinstance(raw, dict):
        check.fail(path, "노드는 키-값 목록이어야 합니다")
        return None
    check.no_unknown_keys(raw, NODE_KEYS, path)
    code = check.need(raw, "code", path, str) or "?"
    weight = raw.get("weight")
    if weight is not None and (not isinstance(weight, (int, float)) or weight <= 0):
        check.fail(f"{path}.weight", f"가중치는 0보다 큰 수여야 합니다 (값: {weight!r})")
        weight = None
    has_children, has_items = bool(raw.get("children")), bool(raw.get("items"))
    if has_children == has_items:
        check.fail(path, "노드에는 children과 items 중 하나만 있어야 합니다")
        return None
    children = tuple(
        n
        for i, c in enumerate(raw.get("children") or [])
        if (n := _node(check, c, f"{path}.children[{_label(c, i)}]", survey, answer_types))
    )
    items = tuple(
        it
        for i, r in enumerate(raw.get("items") or [])
        if (it := _item(check, r, f"{path}.items[{_label(r, i)}]", survey, answer_types))
    )
    if children:
        _check_sibling_weights(check, [c.get("weight") for c in raw["children"] if isinstance(c, dict)], path)
    return s.Node(code=code, name=str(raw.get("name", code)), weight=weight, children=children, items=items,
                  name_en=english_text(check, raw, "name_en", path))


def _check_sibling_weights(check, weights: list, path: str) -> None:
    given = [w for w in weights if w is not None]
    if given and len(given) != len(weights):
        check.fail(f"{path}.children", "형제 노드의 가중치는 모두 주거나 모두 비워야 합니다")
    elif given and all(isinstance(w, (int, float)) for w in given):
        check.weights_sum_to_one(given, f"{path}.children")


def _label(raw: Any, index: int) -> str:
    return str(raw.get("code")) if isinstance(raw, dict) and raw.get("code") else str(index)


def _surveys(check, raw, answer_types, type_codes) -> list[s.Survey]:
    if not isinstance(raw, list) or not raw:
        check.fail("surveys", "필수 항목이 없습니다")
        return []
    surveys = []
    for i, spec in enumerate(raw):
        path = f"surveys[{_label(spec, i)}]"
        code = check.need(spec, "code", path, str)
        tree = check.need(spec, "tree", path, list)
        if code is None or tree is None:
            continue
        name_en = spec.get("name_en")
        root_raw = {"code": code, "name": spec.get("name", code), "children": tree,
                    "name_en": name_en if isinstance(name_en, str) else ""}  # a fault is named once, for the survey
        root = _node(check, root_raw, path, code, answer_types)
        if root is None:
            continue
        pooled = tuple(
            it
            for j, r in enumerate(spec.get("pooled_items") or [])
            if (
                it := _item(
                    check, r, f"{path}.pooled_items[{_label(r, j)}]", code, answer_types,
                    pooled=True, type_codes=type_codes,
                )
            )
        )
        surveys.append(
            s.Survey(
                code=code,
                name=str(spec.get("name", code)),
                respondents=str(spec.get("respondents", "")),
                intro=str(spec.get("intro", "")),
                root=root,
                pooled_items=pooled,
                name_en=english_text(check, spec, "name_en", path),
                intro_en=english_text(check, spec, "intro_en", path),
            )
        )
    _check_items_across_surveys(check, surveys)
    return surveys


def _check_items_across_surveys(check: _Checker, surveys: list[s.Survey]) -> None:
    seen: dict[str, str] = {}
    codes = {sv.code for sv in surveys}
    for sv in surveys:
        for item in sv.questionnaire_items:
            if item.code in codes:
                check.fail(f"surveys[{sv.code}]", f"문항 코드 '{item.code}'가 설문 코드와 같습니다")
            if item.code in seen:
                check.fail(f"surveys[{sv.code}]", f"문항 코드 '{item.code}'가 중복됩니다 (처음: {seen[item.code]})")
            seen[item.code] = sv.code
        for node in sv.root.walk():
            if node is not sv.root and node.code in seen:
                check.fail(f"surveys[{sv.code}]", f"노드 코드 '{node.code}'가 문항 코드와 같습니다")
    items = {i.code: i for sv in surveys for i in sv.questionnaire_items}
    for sv in surveys:
        for item in sv.questionnaire_items:
            path = f"surveys[{sv.code}].{item.code}"
            if item.gate is not None:
                gate = items.get(item.gate)
                if gate is None:
                    check.fail(f"{path}.gate", f"존재하지 않는 문항 '{item.gate}'")
                elif gate.survey != item.survey or gate.method != s.RATE:
                    check.fail(f"{path}.gate", f"'{item.gate}'는 같은 설문의 직접경험 예/아니오 문항이어야 합니다")
            if item.pool_into is not None:
                into = items.get(item.pool_into)
                if into is None:
                    check.fail(f"{path}.into", f"존재하지 않는 문항 '{item.pool_into}'")
                elif into.method != item.method or into.answer.codes != item.answer.codes:
                    check.fail(f"{path}.into", f"'{item.pool_into}'와 채점 방식·응답 코드가 같아야 합니다")
                elif into.survey == item.survey:
                    check.fail(f"{path}.into", "합산 대상은 다른 설문의 문항이어야 합니다")


def _inputs(check, raw) -> list[s.InputScore]:
    out = []
    for i, spec in enumerate(raw):
        path = f"inputs[{_label(spec, i)}]"
        code = check.need(spec, "code", path, str)
        lo, hi = check.number(spec, "min", path), check.number(spec, "max", path)
        if code and lo is not None and hi is not None:
            out.append(s.InputScore(code=code, name=str(spec.get("name", code)), min=lo, max=hi,
                                    name_en=english_text(check, spec, "name_en", path)))
    return out


def _composites(check, raw, surveys, inputs) -> list[s.Composite]:
    known = {x.code for x in surveys} | {x.code for x in inputs}
    out = []
    for i, spec in enumerate(raw):
        path = f"composites[{_label(spec, i)}]"
        code = check.need(spec, "code", path, str)
        weights = check.need(spec, "weights", path, dict)
        if code is None or weights is None:
            continue
        for part in weights:
            if part not in known:
                check.fail(f"{path}.weights.{part}", "설문·입력 점수·앞선 중간 점수 중 어느 것도 아닙니다")
        check.weights_sum_to_one(weights, f"{path}.weights")
        out.append(s.Composite(code=code, name=str(spec.get("name", code)), weights=dict(weights),
                               name_en=english_text(check, spec, "name_en", path)))
        known.add(code)
    return out


def _weight_sets(check, raw, components) -> dict[str, dict[str, float]]:
    sets = check.need(raw, "weight_sets", "overall", dict) or {}
    for name, weights in sets.items():
        path = f"overall.weight_sets.{name}"
        if not isinstance(weights, dict) or not weights:
            check.fail(path, "가중치 목록이 비어 있습니다")
            continue
        for part in weights:
            if part not in components:
                check.fail(f"{path}.{part}", "설문·입력 점수·중간 점수 중 어느 것도 아닙니다")
        check.weights_sum_to_one(weights, path)
    return {k: dict(v) for k, v in sets.items() if isinstance(v, dict)}


def _institution_types(check, raw, weight_sets) -> dict[str, s.InstitutionType]:
    out = {}
    for i, spec in enumerate(raw):
        path = f"institution_types[{_label(spec, i)}]"
        code = check.need(spec, "code", path, str)
        weight_set = check.need(spec, "weight_set", path, str)
        if code is None or weight_set is None:
            continue
        if code in out:
            check.fail(path, f"기관유형 코드 '{code}'가 중복됩니다")
        if weight_set not in weight_sets:
            check.fail(f"{path}.weight_set", f"overall.weight_sets에 없는 '{weight_set}'")
        out[code] = s.InstitutionType(
            code=code,
            name=str(spec.get("name", code)),
            family=str(spec.get("family", "")),
            weight_set=weight_set,
            staff_min=spec.get("staff_min"),
            staff_max=spec.get("staff_max"),
            policy_groups=tuple(spec.get("policy_groups") or ()),
            name_en=english_text(check, spec, "name_en", path),
            **_measured_within(check, spec, path),
        )
    _check_parents(check, out)
    return out


ROTATION_KEYS = {"cycle_from", "all_below", "cycle_years", "middle", "cycle_start_year"}
ROTATION_MIDDLE = ("all", "cycle")


def _measured_within(check, spec, path) -> dict:
    """``measured_within`` (a parent type) and its ``rotation`` rule, both optional;
    a rotation without a parent type means nothing and is refused."""
    parent, raw = spec.get("measured_within"), spec.get("rotation")
    if parent is None:
        if raw is not None:
            check.fail(f"{path}.rotation", "measured_within 없이 rotation만 둘 수 없습니다")
        return {}
    if not isinstance(parent, str):
        check.fail(f"{path}.measured_within", f"형식이 맞지 않습니다 (값: {parent!r})")
        return {}
    if raw is None:
        return {"measured_within": parent, "rotation": s.Rotation()}
    rpath = f"{path}.rotation"
    if not isinstance(raw, dict):
        check.fail(rpath, "키-값 목록이어야 합니다")
        return {"measured_within": parent}
    check.no_unknown_keys(raw, ROTATION_KEYS, rpath)
    default = s.Rotation()
    values = {}
    for key in ("cycle_from", "all_below", "cycle_years", "cycle_start_year"):
        value = raw.get(key, getattr(default, key))
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            check.fail(f"{rpath}.{key}", f"1 이상의 정수여야 합니다 (값: {value!r})")
            value = getattr(default, key)
        values[key] = value
    middle = raw.get("middle", default.middle)
    if middle not in ROTATION_MIDDLE:
        check.fail(f"{rpath}.middle", f"{', '.join(ROTATION_MIDDLE)} 중 하나여야 합니다 (값: {middle!r})")
        middle = default.middle
    if values["cycle_years"] < 2:
        check.fail(f"{rpath}.cycle_years", "순환 주기는 2년 이상이어야 합니다")
    if values["all_below"] > values["cycle_from"]:
        check.fail(rpath, f"all_below({values['all_below']})는 cycle_from({values['cycle_from']})보다 클 수 없습니다")
    return {"measured_within": parent, "rotation": s.Rotation(middle=middle, **values)}


def _check_parents(check, types: dict[str, s.InstitutionType]) -> None:
    """A parent type must exist, differ from the type, and be graded itself (no chains)."""
    for code, t in types.items():
        if t.measured_within is None:
            continue
        path = f"institution_types[{code}].measured_within"
        parent = types.get(t.measured_within)
        if parent is None:
            check.fail(path, f"기관유형 목록에 없는 '{t.measured_within}'")
        elif parent.code == code:
            check.fail(path, "자기 유형 안에서 측정할 수 없습니다")
        elif parent.measured_within is not None:
            check.fail(path, f"'{parent.code}'도 다른 유형 안에서 측정되므로 상급 유형이 될 수 없습니다")


DEDUCT_FROM = ("surveys", "overall")


def _incidents(check, raw) -> s.IncidentRules | None:
    raw = raw if isinstance(raw, dict) else {}
    cap = check.number(raw, "cap", "incidents", positive=True)
    formula = check.need(raw, "formula", "incidents", dict) or {}
    bands = check.need(formula, "amount_bands", "incidents.formula", list) or []
    parsed = []
    for j, band in enumerate(bands):
        if not (isinstance(band, list) and len(band) == 2 and all(isinstance(x, (int, float)) for x in band)):
            check.fail(f"incidents.formula.amount_bands[{j}]", "[하한(원), 점수] 형식이어야 합니다")
            continue
        parsed.append((int(band[0]), float(band[1])))
    if [b[0] for b in parsed] != sorted({b[0] for b in parsed}):
        check.fail("incidents.formula.amount_bands", "하한은 중복 없이 오름차순이어야 합니다")
    terms = _index_terms(check, formula)
    names_en = {f"{key}_en": english_names(check, formula, f"{key}_en", "incidents.formula", formula.get(key) or {})
                for key in ("position_names", "detection_names", "ripple_names")}
    deduct_from = raw.get("deduct_from", "surveys")
    if deduct_from not in DEDUCT_FROM:
        check.fail("incidents.deduct_from", "surveys 또는 overall이어야 합니다")
        deduct_from = "surveys"
    return s.IncidentRules(
        cap=cap,
        position=dict(check.need(formula, "position", "incidents.formula", dict) or {}),
        position_names=dict(formula.get("position_names") or {}),
        amount_bands=tuple(parsed),
        per_additional_person=check.number(formula, "per_additional_person", "incidents.formula") or 0.0,
        detection=dict(check.need(formula, "detection", "incidents.formula", dict) or {}),
        detection_names=dict(formula.get("detection_names") or {}),
        disciplinary_period=_optional_period(check, raw, "disciplinary_period"),
        index_period=_optional_period(check, raw, "index_period"),
        act_types=dict(raw.get("act_types") or {}),
        detection_labels=dict(raw.get("detection_labels") or {}),
        deduct_from=deduct_from,
        **names_en,
        **terms,
    )


def _index_terms(check, formula: dict) -> dict:
    """Size bands, habitual and ripple multipliers, the recount factor: optional, neutral
    when absent (a model without them scores as before), positive when given."""
    out: dict = {}
    path = "incidents.formula"
    if "size_bands" in formula:
        bands = formula["size_bands"]
        good = isinstance(bands, list) and bands and all(
            isinstance(b, list) and len(b) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in b)
            and b[0] >= 0 and b[1] > 0 for b in bands)
        if not good:
            check.fail(f"{path}.size_bands", "[정원 하한, 배수(0보다 큼)] 목록이어야 합니다")
        elif [b[0] for b in bands] != sorted({b[0] for b in bands}) or bands[0][0] != 0:
            check.fail(f"{path}.size_bands", "정원 하한은 0부터 중복 없이 오름차순이어야 합니다")
        else:
            out["size_bands"] = tuple((int(b[0]), float(b[1])) for b in bands)
    for key in ("habitual", "recount"):
        if key in formula:
            value = check.number(formula, key, path, positive=True)
            if value is not None:
                out[key] = value
    if "ripple" in formula:
        ripple = formula["ripple"]
        if not (isinstance(ripple, dict) and ripple and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in ripple.values())):
            check.fail(f"{path}.ripple", "단계 -> 배수(0보다 큼) 형식이어야 합니다")
        elif "limited" not in ripple:
            check.fail(f"{path}.ripple", "기본 단계 'limited'가 있어야 합니다 (단계를 적지 않은 사건에 씀)")
        else:
            out["ripple"] = {str(k): float(v) for k, v in ripple.items()}
    out["ripple_names"] = dict(formula.get("ripple_names") or {})
    return out


def _optional_period(check: _Checker, raw: dict, key: str):
    spec = raw.get(key)
    if spec is None:
        return None
    start, end = (spec or {}).get("start"), (spec or {}).get("end")
    if not (isinstance(start, date) and isinstance(end, date) and start <= end):
        check.fail(f"incidents.{key}", "start와 end가 날짜이고 start <= end여야 합니다")
        return None
    return (start, end)


def _credibility(check, raw) -> s.CredibilityRules:
    raw = raw if isinstance(raw, dict) else {}
    points_range = raw.get("points_range", [0.0, math.inf])
    if not (isinstance(points_range, list) and len(points_range) == 2 and points_range[0] <= points_range[1]):
        check.fail("credibility.points_range", "[최솟값, 최댓값] 형식이어야 합니다")
        points_range = [0.0, math.inf]
    violations = {}
    for i, spec in enumerate(raw.get("violations") or []):
        path = f"credibility.violations[{_label(spec, i)}]"
        code = check.need(spec, "code", path, str)
        sanctions = tuple(spec.get("sanctions") or ()) if isinstance(spec, dict) else ()
        for sanction in sanctions:
            if sanction not in SANCTIONS:
                check.fail(f"{path}.sanctions", f"알 수 없는 제재 '{sanction}' (허용: {', '.join(SANCTIONS)})")
        if code:
            violations[code] = s.Violation(code=code, name=str(spec.get("name", code)), sanctions=sanctions,
                                           name_en=english_text(check, spec, "name_en", path))
    omission = raw.get("omission_violation") or ""
    if omission and omission not in violations:
        check.fail("credibility.omission_violation", f"violations에 없는 저해행위 '{omission}'")
    return s.CredibilityRules(
        points_range=(float(points_range[0]), float(points_range[1])),
        max_grade_down=int(raw.get("max_grade_down", 4)),
        violations=violations,
        omission_violation=omission,
    )


def _grading(check, raw) -> tuple[tuple[float, ...], int]:
    cuts = check.need(raw, "cut_points", "grading", list) or []
    if any(not isinstance(c, (int, float)) for c in cuts) or list(cuts) != sorted(cuts, reverse=True):
        check.fail("grading.cut_points", "등급 기준점은 내림차순의 수여야 합니다")
    elif len(set(cuts)) != len(cuts) or not cuts:
        check.fail("grading.cut_points", "등급 기준점은 하나 이상이고 중복이 없어야 합니다")
    minimum = (raw or {}).get("min_institutions", 3)
    return tuple(float(c) for c in cuts if isinstance(c, (int, float))), int(minimum)


def _grade_measures(check, raw, components: set[str]) -> tuple[str, ...]:
    """Scores graded within type, each by the same rule as the overall score. Absent:
    the overall score only (2017). Listed: "overall" first, then components the model
    scores (surveys, entered inputs, composites), each once."""
    measures = (raw or {}).get("measures") if isinstance(raw, dict) else None
    if measures is None:
        return ("overall",)
    if not isinstance(measures, list) or not all(isinstance(m, str) for m in measures) or not measures:
        check.fail("grading.measures", "등급을 매길 점수 코드의 목록이어야 합니다")
        return ("overall",)
    if measures[0] != "overall":
        check.fail("grading.measures", "첫 항목은 종합청렴도(overall)여야 합니다")
    if len(set(measures)) != len(measures):
        check.fail("grading.measures", "같은 점수를 두 번 적었습니다")
    for m in measures[1:]:
        if m not in components:
            check.fail(f"grading.measures.{m}", f"알 수 없는 점수 '{m}' (설문·입력 점수·복합 점수의 코드여야 합니다)")
    return tuple(measures)


STRATUM_COLUMNS = ("task", "office", "group")  # response columns that can name a design stratum
MIN_REPLICATES = 500  # DOMAIN.md, "Statistical quality of published scores"


def _uncertainty(check: _Checker, raw: Any, survey_codes: list[str]) -> s.Uncertainty:
    """Optional; absent means the defaults (500 replicates, one stratum per body and survey)."""
    if raw is None:
        return s.Uncertainty()
    if not isinstance(raw, dict):
        check.fail("uncertainty", "키-값 목록이어야 합니다")
        return s.Uncertainty()
    check.no_unknown_keys(raw, {"method", "replicates", "seed", "confidence", "strata", "rare_event_pseudo_count"},
                          "uncertainty")
    if raw.get("method", "stratified_bootstrap") != "stratified_bootstrap":
        check.fail("uncertainty.method", "지원하는 방법은 stratified_bootstrap뿐입니다")
    replicates = raw.get("replicates", MIN_REPLICATES)
    if not isinstance(replicates, int) or isinstance(replicates, bool) or replicates < MIN_REPLICATES:
        check.fail("uncertainty.replicates", f"{MIN_REPLICATES} 이상의 정수여야 합니다 (값: {replicates!r})")
        replicates = MIN_REPLICATES
    seed = raw.get("seed", 2017)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        check.fail("uncertainty.seed", f"0 이상의 정수여야 합니다 (값: {seed!r})")
        seed = 2017
    confidence = raw.get("confidence", 0.95)
    if not isinstance(confidence, (int, float)) or isinstance(confidence, bool) or not 0 < confidence < 1:
        check.fail("uncertainty.confidence", f"0과 1 사이의 수여야 합니다 (값: {confidence!r})")
        confidence = 0.95
    pseudo = raw.get("rare_event_pseudo_count", 0.0)
    if not isinstance(pseudo, (int, float)) or isinstance(pseudo, bool) or not 0 <= pseudo <= 5:
        check.fail("uncertainty.rare_event_pseudo_count", f"0 이상 5 이하의 수여야 합니다 (값: {pseudo!r})")
        pseudo = 0.0
    strata: dict[str, tuple[str, ...]] = {}
    for survey, columns in (raw.get("strata") or {}).items():
        path = f"uncertainty.strata.{survey}"
        if survey not in survey_codes:
            check.fail(path, f"모형에 없는 설문입니다 (있는 설문: {', '.join(survey_codes)})")
        elif not isinstance(columns, list) or any(c not in STRATUM_COLUMNS for c in columns):
            check.fail(path, f"응답 파일의 열 목록이어야 합니다 (고를 수 있는 열: {', '.join(STRATUM_COLUMNS)})")
        else:
            strata[survey] = tuple(columns)
    return s.Uncertainty(replicates=replicates, seed=seed, confidence=float(confidence), strata=strata,
                         rare_event_pseudo_count=float(pseudo))


def _weighting(check: _Checker, raw: Any) -> s.Weighting:
    if raw is None:
        return s.Weighting()
    if not isinstance(raw, dict):
        check.fail("weighting", "키-값 목록이어야 합니다")
        return s.Weighting()
    check.no_unknown_keys(raw, {"post_stratify"}, "weighting")
    value = raw.get("post_stratify", False)
    if not isinstance(value, bool):
        check.fail("weighting.post_stratify", f"true 또는 false여야 합니다 (값: {value!r})")
        value = False
    return s.Weighting(post_stratify=value)


def _date(check: _Checker, data: Any, key: str, path: str):
    value = check.need(data, key, path)
    if value is not None and not isinstance(value, date):
        check.fail(f"{path}.{key}", f"날짜(YYYY-MM-DD)가 아닙니다 (값: {value!r})")
        return None
    return value


def _period(check: _Checker, data: Any, key: str) -> tuple:
    raw = check.need(data, key, "fieldwork", dict) or {}
    start, end = _date(check, raw, "start", f"fieldwork.{key}"), _date(check, raw, "end", f"fieldwork.{key}")
    if start and end and start > end:
        check.fail(f"fieldwork.{key}", "시작일이 종료일보다 늦습니다")
    return start, end


MOBILE_DELIVERIES = ("sms", "messenger")


def _fieldwork(check: _Checker, raw: Any, types: dict | None = None) -> s.Fieldwork | None:
    if not isinstance(raw, dict):
        check.fail("fieldwork", "키-값 목록이어야 합니다")
        return None
    exp_start, exp_end = _period(check, raw, "experience_period")
    tr_start, tr_end = _period(check, raw, "transfer_period")
    internal = check.need(raw, "internal", "fieldwork", dict) or {}
    rows = []
    previous = 0
    for i, row in enumerate(check.need(internal, "k_table", "fieldwork.internal", list) or []):
        path = f"fieldwork.internal.k_table[{i}]"
        max_staff = check.need(row, "max_staff", path, int)
        size = row.get("list_size") if isinstance(row, dict) else None
        k = row.get("k") if isinstance(row, dict) else None
        if max_staff is None:
            continue
        if max_staff <= previous:
            check.fail(f"{path}.max_staff", "정원 상한은 위 행보다 커야 합니다")
        previous = max_staff
        if size == "all":
            rows.append(s.KRow(max_staff, None, None))
        elif isinstance(size, int) and isinstance(k, int) and k >= 2 and size > 0:
            rows.append(s.KRow(max_staff, size, k))
        else:
            check.fail(path, "list_size는 all 또는 양의 정수, k는 2 이상의 정수여야 합니다")
    beyond = check.need(internal, "beyond", "fieldwork.internal", dict) or {}
    scope = {}
    for family, spec in (internal.get("scope") or {}).items():
        spec = spec or {}
        scope[family] = s.StaffScope(
            min_grade=spec.get("min_grade"),
            min_grade_hq=spec.get("min_grade_hq"),
            excluded_grades=tuple(spec.get("excluded_grades") or ()),
            excluded_positions=tuple(spec.get("excluded_positions") or ()),
            senior_rows=staff_rules.senior_rows(check, spec, f"fieldwork.internal.scope.{family}"),
        )
    numbers = {key: check.need(raw, key, "fieldwork", int) for key in
               ("min_per_task", "roster_multiple", "sample_multiple", "sublisting_threshold")}
    mobile_delivery = raw.get("mobile_delivery", "sms")
    if mobile_delivery not in MOBILE_DELIVERIES:
        check.fail("fieldwork.mobile_delivery", "sms 또는 messenger여야 합니다")
        mobile_delivery = "sms"
    return s.Fieldwork(
        experience_start=exp_start,
        experience_end=exp_end,
        staff_reference_date=_date(check, raw, "staff_reference_date", "fieldwork"),
        transfer_start=tr_start,
        transfer_end=tr_end,
        roster_due=_date(check, raw, "roster_due", "fieldwork"),
        sublisting_patterns=dict(raw.get("sublisting_patterns") or {}),
        sublisting_patterns_en=english_names(check, raw, "sublisting_patterns_en", "fieldwork",
                                             raw.get("sublisting_patterns") or {}),
        whole_list_max_staff=check.need(internal, "whole_list_max_staff", "fieldwork.internal", int) or 0,
        whole_list_min_share=float(internal.get("whole_list_min_share", 0.8)),
        min_tenure_years=int(internal.get("min_tenure_years", 1)),
        k_table=tuple(rows),
        beyond_list_size=check.need(beyond, "list_size", "fieldwork.internal.beyond", int) or 0,
        beyond_staff_per_k=check.need(beyond, "staff_per_k", "fieldwork.internal.beyond", int) or 1,
        scope=scope,
        military=staff_rules.military(check, internal.get("military")),
        transferred_in=staff_rules.transferred_in(check, raw.get("transferred_in"), types or {}),
        mobile_delivery=mobile_delivery,
        **numbers,
    )


def _questionnaire(raw: dict) -> s.Questionnaire:
    specs = [c for c in raw.get("checks") or () if isinstance(c, dict) and "code" in c]
    return s.Questionnaire(
        anonymity=str(raw.get("anonymity", "")).strip(), purpose=str(raw.get("purpose", "")).strip(),
        checks=tuple((str(c["code"]), str(c["text"])) for c in specs),
        anonymity_en=str(raw.get("anonymity_en", "")).strip(), purpose_en=str(raw.get("purpose_en", "")).strip(),
        checks_en={str(c["code"]): str(c["text_en"]) for c in specs if c.get("text_en")},
    )
