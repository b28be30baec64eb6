"""Every name a shipped model file gives has English (name_en), so English pages never
fall back to Korean; a file without English still loads and reads Korean."""

import pytest

from integrity.model import load_model
from integrity.model.loader import ModelError, available_models, parse_model
from integrity.model.names import english


def named_things(model):
    """(where, Korean name, English name) of everything the model file names."""
    yield "title", model.title, model.title_en
    yield "overall", model.overall_name, model.overall_name_en
    for code, name in model.family_names.items():
        yield f"family_names.{code}", name, model.family_names_en.get(code, "")
    for sv in model.surveys:
        for node in sv.root.walk():
            yield f"surveys[{sv.code}].{node.code}", node.name, node.name_en
        for item in sv.questionnaire_items:
            yield f"surveys[{sv.code}].{item.code}", item.name, item.name_en
            yield f"surveys[{sv.code}].{item.code}.text", item.text, item.text_en
    for x in (*model.inputs, *model.composites, *model.institution_types.values(), *model.credibility.violations.values()):
        yield f"{type(x).__name__}[{x.code}]", x.name, x.name_en
    rules = model.incidents
    for table in ("position_names", "detection_names", "ripple_names"):
        for code, name in getattr(rules, table).items():
            yield f"incidents.{table}.{code}", name, getattr(rules, f"{table}_en").get(code, "")
    if model.policy_customers is not None:
        for g in model.policy_customers.groups.values():
            yield f"policy_customers.groups.{g.code}", g.name, g.name_en
    if model.fieldwork is not None:
        for code, name in model.fieldwork.sublisting_patterns.items():
            yield f"fieldwork.sublisting_patterns.{code}", name, model.fieldwork.sublisting_patterns_en.get(code, "")
    if model.effort is not None:
        for rubric, levels in model.effort.rubrics.items():
            for lv in levels:
                yield f"effort.rubrics.{rubric}.{lv.code}", lv.name, lv.name_en
        for area in model.effort.areas:
            yield f"effort.areas[{area.code}]", area.name, area.name_en
            for ind in area.indicators:
                yield f"effort.{ind.code}", ind.name, ind.name_en
                yield f"effort.{ind.code}.evidence", ind.evidence, ind.evidence_en
                if ind.unit and not ind.unit.isascii():
                    yield f"effort.{ind.code}.unit", ind.unit, ind.unit_en
                for lv in ind.levels:
                    yield f"effort.{ind.code}.{lv.code}", lv.name, lv.name_en


@pytest.mark.parametrize("year", available_models())
def test_every_name_in_a_shipped_model_has_english(year):
    model = load_model(year)
    things = list(named_things(model))
    missing = [where for where, name, name_en in things if name and not name_en.strip()]
    assert missing == [], f"{year}: 영문 이름(name_en)이 없습니다: {missing}"
    assert len(things) > 50
    # English is English: no Hangul left in a translation
    hangul = [where for where, _, name_en in things if any("\uac00" <= ch <= "\ud7a3" for ch in name_en)]
    assert hangul == []


def test_the_2022_official_terms():
    model = load_model("2022")
    names = model.component_names("en")
    assert names["overall"] == "Comprehensive Integrity"
    assert names["perceived"] == "Perceived Integrity"
    assert names["effort"] == "Integrity Effort"
    assert model.component_names("ko")["perceived"] == "청렴체감도"


def _minimal(**extra):
    data = {
        "version": "t", "year": 2030, "scale": {"min": 0, "max": 10},
        "answer_types": {"likert7": {"kind": "likert", "codes": {i: str(i) for i in range(1, 8)}},
                         "yes_no": {"kind": "yes_no", "codes": {1: "예", 2: "아니오"}, "yes_code": 1, "no_code": 2}},
        "conversion": {"rate_ceiling": 0.1, "frequency_ceiling": 0.5, "amount_ceiling": 1000},
        "surveys": [{"code": "external", "name": "외부", "tree": [{"code": "a", "name": "영역", "items": [
            {"code": "E1", "name": "문항", "text": "질문?", "measure": "perception", "answer": "likert7",
             "polarity": "positive"}]}]}],
        "inputs": [{"code": "effort", "name": "청렴노력도", "min": 0, "max": 100}],
        "composites": [{"code": "perceived", "name": "청렴체감도", "weights": {"external": 1.0}}],
        "overall": {"name": "종합청렴도", "weight_sets": {"s": {"perceived": 0.5, "effort": 0.5}}},
        "family_names": {"central": "중앙행정기관"},
        "institution_types": [{"code": "t1", "name": "유형", "family": "central", "weight_set": "s"}],
        "incidents": {"cap": 1, "formula": {"position": {"senior": 1.0}, "position_names": {"senior": "고위직"},
                                            "amount_bands": [[0, 0.0]], "detection": {"press": 1.0},
                                            "per_additional_person": 0.1}},
        "credibility": {"violations": [{"code": "v", "name": "위반", "sanctions": ["warning"]}]},
        "grading": {"cut_points": [1.0, -1.0]},
    }
    for path, value in extra.items():
        target = data
        *head, last = path.split("/")
        for key in head:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value
    return data


def test_a_model_without_english_loads_and_reads_korean():
    model = parse_model(_minimal())
    assert model.composites[0].title("en") == "청렴체감도"
    assert model.overall_title("en") == "종합청렴도"
    assert model.institution_types["t1"].title("en") == "유형"
    assert model.family_title("central", "en") == "중앙행정기관"
    assert model.incidents.position_name("senior", "en") == "고위직"


def test_english_names_are_read_and_korean_stays_the_default():
    model = parse_model(_minimal(**{
        "composites/0/name_en": "Perceived Integrity", "overall/name_en": "Comprehensive Integrity",
        "institution_types/0/name_en": "Type", "family_names_en": {"central": "Central government"},
        "surveys/0/tree/0/items/0/name_en": "Item", "inputs/0/name_en": "Integrity Effort",
        "credibility/violations/0/name_en": "Breach"}))
    assert model.composites[0].title("en") == "Perceived Integrity"
    assert model.composites[0].title("ko") == model.composites[0].title() == "청렴체감도"
    assert model.composites[0].title("en-us") == "Perceived Integrity"
    assert model.overall_title("en") == "Comprehensive Integrity"
    assert model.institution_types["t1"].title("en") == "Type"
    assert model.family_title("central", "en") == "Central government"
    assert model.family_title("central", "ko") == "중앙행정기관"
    assert model.surveys[0].items[0].title("en") == "Item"
    assert model.inputs[0].title("en") == "Integrity Effort"
    assert model.credibility.violations["v"].title("en") == "Breach"
    assert english("en") and english("en-gb") and not english("ko") and not english(None)


@pytest.mark.parametrize(("path", "key"), [
    ("composites/0/name_en", "composites[perceived].name_en"),
    ("overall/name_en", "overall.name_en"),
    ("institution_types/0/name_en", "institution_types[t1].name_en"),
    ("inputs/0/name_en", "inputs[effort].name_en"),
    ("surveys/0/tree/0/items/0/name_en", "surveys[external].children[a].items[E1].name_en"),
    ("surveys/0/tree/0/name_en", "surveys[external].children[a].name_en"),
    ("credibility/violations/0/name_en", "credibility.violations[v].name_en"),
])
def test_a_name_en_that_is_not_a_string_is_refused_with_its_path(path, key):
    with pytest.raises(ModelError) as caught:
        parse_model(_minimal(**{path: 3}))
    assert any(p.startswith(f"{key}:") and "문자열" in p for p in caught.value.problems), caught.value.problems


def test_an_english_table_with_a_code_the_korean_lacks_is_refused():
    with pytest.raises(ModelError) as caught:
        parse_model(_minimal(family_names_en={"central": "Central", "nowhere": "Nowhere"}))
    assert caught.value.problems == ["family_names_en.nowhere: 한국어 이름 목록에 없는 코드입니다"]
    with pytest.raises(ModelError) as caught:
        parse_model(_minimal(family_names_en={"central": ["Central"]}))
    assert "family_names_en.central" in caught.value.problems[0]


def test_unknown_keys_are_still_refused():
    with pytest.raises(ModelError) as caught:
        parse_model(_minimal(**{"surveys/0/tree/0/items/0/name_eng": "Item"}))
    assert "name_eng" in str(caught.value)
