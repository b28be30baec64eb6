"""The terms of the two incident indices (실시계획 II.5): organisation size for the
disciplinary index; habitualness, ripple effect and political appointees for the
incident index; prior-year cases counted again for new facts or people. Hand-computed
from the 2017 model's defaults."""

from datetime import date

import polars as pl
import pytest
import yaml

from integrity.incidents import CaseFacts, decide
from integrity.interchange.validate import check_deductions
from integrity.interchange.errors import InputError
from integrity.model import ModelError, parse_model
from integrity.model.loader import model_path
from integrity.scoring.deductions import DEDUCTION_COLUMNS, formula_points, per_institution


def _frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in DEDUCTION_COLUMNS} for r in rows], schema=DEDUCTION_COLUMNS)


def _points(model, **case) -> float:
    base = {"institution": "A", "kind": "incident", "category": "external", "position": "senior",
            "amount": 8_000_000, "people": 1, "detection": "press"}
    return per_institution(model, _frame(base | case)).row(0, named=True)["incident_external_points"]


BASE = 0.30 + 0.10  # senior + amount band >= 5,000,000


def test_disciplinary_points_scale_with_institution_size(m2017):
    # size bands: <300 x1.2, 300- x1.1, 1000- x1.0, 3000- x0.9, 10000- x0.8
    assert _points(m2017, staff=120) == pytest.approx(BASE * 1.2)
    assert _points(m2017, staff=1500) == pytest.approx(BASE * 1.0)
    assert _points(m2017, staff=25_000) == pytest.approx(BASE * 0.8)
    assert _points(m2017, staff=120) > _points(m2017, staff=1500) > _points(m2017, staff=25_000)


def test_unknown_institution_size_leaves_disciplinary_points_unchanged(m2017):
    assert _points(m2017, staff=None) == pytest.approx(BASE)


def test_institution_size_does_not_apply_to_the_incident_index(m2017):
    assert _points(m2017, index_kind="incident", staff=120) == pytest.approx(BASE)


def test_habitual_case_weighs_more_in_incident_index(m2017):
    assert _points(m2017, index_kind="incident", habitual=True) == pytest.approx(BASE * 1.5)
    assert _points(m2017, index_kind="incident", habitual=False) == pytest.approx(BASE)


def test_ripple_effect_weighs_more_in_incident_index(m2017):
    assert _points(m2017, index_kind="incident", ripple="regional") == pytest.approx(BASE * 1.2)
    assert _points(m2017, index_kind="incident", ripple="national", habitual=True) == pytest.approx(BASE * 1.5 * 1.5)
    assert _points(m2017, index_kind="incident", ripple=None) == pytest.approx(BASE)


def test_habitual_and_ripple_do_not_apply_to_the_disciplinary_index(m2017):
    assert _points(m2017, index_kind="disciplinary", habitual=True, ripple="national", staff=1500) == pytest.approx(BASE)


def test_political_appointee_is_scored_in_incident_index_with_its_own_weight(m2017):
    # no index given: a political appointee's case is an incident-index case (its terms apply, size does not)
    assert _points(m2017, position="political", staff=120, habitual=True) == pytest.approx((0.30 + 0.10) * 1.5)


def test_political_appointee_case_uses_the_incident_index_period(m2017):
    rules = m2017.incidents
    facts = dict(act_type="금품·향응수수", detected_by="press", disciplined_at="A", disposed_on=date(2017, 9, 1))
    assert not decide(rules, CaseFacts(**facts)).counts  # after the disciplinary period (to 2017-06-30)
    decision = decide(rules, CaseFacts(**facts, political=True))
    assert decision.counts and decision.index == "incident"


def test_prior_year_case_with_new_facts_counts_again(m2017):
    facts = dict(act_type="금품·향응수수", detected_by="press", disciplined_at="A", disposed_on=date(2016, 3, 1),
                 public_service=True, prior_year=True)
    decision = decide(m2017.incidents, CaseFacts(**facts, new_facts_on=date(2017, 2, 1)))
    assert decision.counts and decision.recount and "전년도" in " ".join(decision.notes)


def test_prior_year_case_without_new_facts_does_not_count_again(m2017):
    facts = dict(act_type="금품·향응수수", detected_by="press", disciplined_at="A", disposed_on=date(2017, 1, 3),
                 public_service=True, prior_year=True)
    assert not decide(m2017.incidents, CaseFacts(**facts)).counts
    assert not decide(m2017.incidents, CaseFacts(**facts, new_facts_on=date(2016, 1, 1))).counts  # before the period


def test_recounted_case_points_use_the_models_recount_factor(m2017, raw2017):
    raw2017["incidents"]["formula"]["recount"] = 0.5
    halved = parse_model(raw2017, source="test.yaml")
    assert _points(halved, index_kind="incident", recount=True) == pytest.approx(BASE * 0.5)
    assert _points(m2017, index_kind="incident", recount=True) == pytest.approx(BASE)  # default 1.0: counted in full


def test_cap_still_binds_with_index_terms(m2017):
    rows = [{"institution": "A", "kind": "incident", "category": "external", "position": "senior",
             "amount": 80_000_000, "people": 5, "detection": "press", "index_kind": "incident", "habitual": True,
             "ripple": "national"}] * 2
    r = per_institution(m2017, _frame(*rows)).row(0, named=True)
    assert r["incident_external_points"] == pytest.approx(m2017.incidents.cap) and r["incident_cap_applied"]


def test_formula_without_index_terms_is_unchanged(m2017):
    points = formula_points(m2017.incidents, ["senior"], [8_000_000], [3], ["press"])
    assert points[0] == pytest.approx(0.46)


@pytest.fixture
def raw2017():
    return yaml.safe_load(model_path("2017").read_text(encoding="utf-8"))


def _problems(data) -> list[str]:
    with pytest.raises(ModelError) as info:
        parse_model(data, source="broken.yaml")
    return info.value.problems


@pytest.mark.parametrize(("key", "value", "message"), [
    ("size_bands", [[0, 1.2], [0, 1.0]], "오름차순"),
    ("size_bands", [[100, 1.2]], "0부터"),
    ("size_bands", [[0, -1]], "배수"),
    ("habitual", 0, "0보다 커야"),
    ("recount", -1, "0보다 커야"),
    ("ripple", {"regional": 1.2}, "limited"),
    ("ripple", {"limited": "many"}, "배수"),
])
def test_index_term_coefficients_are_validated_on_load(raw2017, key, value, message):
    raw2017["incidents"]["formula"][key] = value
    assert any(p.startswith(f"incidents.formula.{key}") and message in p for p in _problems(raw2017))


def test_index_term_coefficients_default_to_neutral_when_absent(raw2017):
    for key in ("size_bands", "habitual", "ripple", "recount"):
        raw2017["incidents"]["formula"].pop(key)
    rules = parse_model(raw2017, source="old.yaml").incidents
    assert (rules.size_bands, rules.habitual, rules.ripple, rules.recount) == (((0, 1.0),), 1.0, {"limited": 1.0}, 1.0)


def test_deductions_file_carries_index_terms_and_rejects_unknown_values(m2017):
    institutions = pl.DataFrame({"institution": ["A"]})
    good = pl.DataFrame({"institution": ["A"], "kind": ["incident"], "category": ["external"], "position": ["political"],
                         "index_kind": ["incident"], "habitual": ["예"], "ripple": ["national"], "staff": ["300"],
                         "recount": ["0"]})
    checked = check_deductions(m2017, good, institutions, "deductions.csv").row(0, named=True)
    assert (checked["habitual"], checked["ripple"], checked["staff"], checked["recount"]) == (True, "national", 300, False)
    bad = good.with_columns(pl.lit("cosmic").alias("ripple"), pl.lit("maybe").alias("habitual"))
    with pytest.raises(InputError) as info:
        check_deductions(m2017, bad, institutions, "deductions.csv")
    columns = {p.column for p in info.value.problems}
    assert {"ripple", "habitual"} <= columns
