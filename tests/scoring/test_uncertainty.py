"""DOMAIN.md "Statistical quality of published scores": standard errors by a stratified
bootstrap, intervals, grade stability, post-stratification weights."""

import dataclasses

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrity.generate import generate_year
from integrity.model import load_model
from integrity.scoring import score_year
from integrity.scoring.uncertainty import score_uncertainty
from integrity.scoring.weighting import WeightingError, poststratified
from tests.helpers import best_answers, block, institutions, responses, worst_answers

# The bootstrap's own rules are checked without the rare-event pseudo-count (its own
# tests below): with it, a sample of identical "no" answers has spread on purpose.
SHIPPED = load_model("2017")
MODEL = dataclasses.replace(SHIPPED, uncertainty=dataclasses.replace(SHIPPED.uncertainty, rare_event_pseudo_count=0.0))
BODY = institutions(("A", "basic_city"))
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REPS = 200  # fewer than the model's 500: these tests check rules, not precision


def _external(answers: list[int], task=lambda i: "T1", body="A") -> list[dict]:
    """One external questionnaire per E01 answer (everything else at its best)."""
    base = best_answers(MODEL, "external")
    return [{"institution": body, "survey": "external", "task": task(i), **base, "E01": a} for i, a in enumerate(answers)]


def _year(rows: list[dict], inst=BODY) -> list[dict]:
    bodies = inst["institution"].to_list()
    return rows + [r for b in bodies for r in block(MODEL, b, "internal", 3)]


def _uncertainty(rows, inst=BODY, **kw):
    kw.setdefault("replicates", REPS)
    return score_uncertainty(MODEL, inst, responses(MODEL, _year(rows, inst)), **kw)


def _one(frame, body="A") -> dict:
    return frame.filter(pl.col("institution") == body).row(0, named=True)


likert = st.lists(st.integers(1, 7), min_size=6, max_size=30).filter(lambda xs: len(set(xs)) > 1)


# --- the rules -------------------------------------------------------------------------

def test_standard_error_is_zero_when_every_answer_is_identical():
    out = _one(_uncertainty(_external([3] * 40)))
    assert out["se_external"] == pytest.approx(0, abs=1e-9)
    assert out["ci_low_external"] == pytest.approx(out["ci_high_external"], abs=1e-9)


def test_standard_error_follows_the_stratified_textbook_formula():
    # Only E01 varies, so the external score is linear in E01's mean; the Rao–Wu
    # bootstrap's SE must match sqrt(sum (N_h/N)^2 s_h^2 / n_h) (s_h with n_h − 1).
    rng = np.random.default_rng(5)
    t1, t2 = rng.integers(1, 8, 60), rng.integers(3, 8, 40)
    rows = _external(list(t1), lambda i: "T1") + _external(list(t2), lambda i: "T2")
    out = _one(_uncertainty(rows, replicates=2000, seed=1))
    per_point = 10 / 6  # E01 is negative: (x − 1)/6 × 10
    low = score_year(MODEL, BODY, responses(MODEL, _year(_external([1] * 10)))).institutions["score_external"][0]
    high = score_year(MODEL, BODY, responses(MODEL, _year(_external([7] * 10)))).institutions["score_external"][0]
    slope = (high - low) / (6 * per_point)  # external score per point of E01's item score
    n = len(t1) + len(t2)
    var = sum((len(t) / n) ** 2 * (per_point * t).var(ddof=1) / len(t) for t in (t1, t2))
    assert out["se_external"] == pytest.approx(slope * np.sqrt(var), rel=0.08)


def test_same_seed_gives_the_same_figures_and_another_seed_other_ones():
    rows = _external([1, 4, 7, 2, 6, 3, 5, 7, 1, 2])
    first, again = _uncertainty(rows, seed=7), _uncertainty(rows, seed=7)
    assert first.equals(again)
    assert _one(_uncertainty(rows, seed=8))["se_external"] != _one(first)["se_external"]


def test_a_body_with_a_single_response_has_no_sampling_spread():
    out = _one(_uncertainty(_external([2])))
    assert out["se_external"] == pytest.approx(0, abs=1e-12)


def test_strata_of_one_response_are_pooled_and_resampled_together():
    # Ten tasks of one response each: alone none could be resampled; pooled they vary.
    out = _one(_uncertainty(_external([1, 7] * 5, lambda i: f"T{i}")))
    assert out["se_external"] > 0.05


def test_a_single_stratum_body_is_resampled_as_a_whole():
    out = _one(_uncertainty(_external([1, 7] * 10, lambda i: None)))
    assert out["se_external"] > 0.05


def test_interval_holds_the_published_score_and_overall_has_one_too():
    point = score_year(MODEL, BODY, responses(MODEL, _year(_external([1, 4, 7, 2] * 8)))).institutions
    out = _one(_uncertainty(_external([1, 4, 7, 2] * 8), point=point))
    assert out["ci_low_external"] <= point["score_external"][0] <= out["ci_high_external"]
    assert out["ci_low_overall"] <= point["overall"][0] <= out["ci_high_overall"]
    assert out["se_overall"] > 0


def test_deductions_are_constants_and_do_not_change_the_standard_error():
    rows = _external([1, 4, 7, 2] * 8)
    cases = pl.DataFrame({"institution": ["A"], "kind": ["incident"], "category": ["external"], "points": [0.3]})
    from integrity.scoring.deductions import DEDUCTION_COLUMNS

    cases = cases.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in DEDUCTION_COLUMNS.items() if c not in cases.columns)
    plain, deducted = _one(_uncertainty(rows)), _one(_uncertainty(rows, deductions=cases.select(list(DEDUCTION_COLUMNS))))
    assert deducted["se_overall"] == pytest.approx(plain["se_overall"])
    assert deducted["ci_low_overall"] < plain["ci_low_overall"]


def _graded_type(spread_of_c: list[int]):
    """Five basic cities: A..D fixed far apart, E's answers given (for the near-cut test)."""
    inst = institutions(*[(b, "basic_city") for b in "ABCDE"])
    fixed = {"A": [1] * 30, "B": [2] * 30, "C": [4] * 30, "D": [7] * 30}
    rows = [r for b, a in fixed.items() for r in _external(a, body=b)] + _external(spread_of_c, body="E")
    return inst, rows


def test_grade_change_probability_is_zero_without_sampling_spread():
    inst, rows = _graded_type([5] * 30)
    out = _uncertainty(rows, inst)
    assert out["grade_change_probability"].to_list() == [0.0] * 5
    assert out["near_cut"].to_list() == [False] * 5


def test_grade_change_probability_and_near_cut_flag_for_a_body_with_spread_near_a_cut():
    inst, rows = _graded_type([1, 7] * 15)  # E: mean 4 with a wide spread, next to C
    point = score_year(MODEL, inst, responses(MODEL, _year(rows, inst))).institutions
    out = _uncertainty(rows, inst, point=point)
    e = _one(out, "E")
    assert e["se_overall"] > 0
    assert 0 < e["grade_change_probability"] <= 1
    scores = point["overall"].to_numpy()
    mean, sd = scores.mean(), scores.std()
    distance = np.min(np.abs(scores[4] - (mean + np.array(MODEL.grade_cut_points) * sd)))
    assert e["near_cut"] == (distance <= e["se_overall"])


def test_not_scored_body_has_no_figures():
    inst = institutions(("A", "basic_city"), ("Z", "basic_city"))
    rows = _external([1, 7] * 5)
    out = score_uncertainty(MODEL, inst, responses(MODEL, _year(rows, institutions(("A", "basic_city")))),
                            replicates=50)
    z = _one(out, "Z")
    assert z["se_overall"] is None and z["grade_change_probability"] is None and z["near_cut"] is None


def test_a_generated_year_gets_intervals_around_every_scored_body():
    year = generate_year(MODEL, seed=4, responses=6000)
    inst = year.institutions.rename({"code": "institution"})
    point = score_year(MODEL, inst, year.responses, year.deductions).institutions
    out = score_uncertainty(MODEL, inst, year.responses, year.deductions, point=point, replicates=60)
    joined = point.join(out, on="institution").filter(pl.col("overall").is_not_null())
    assert joined.height > 500
    assert (joined["se_overall"] > 0).all()
    inside = (joined["ci_low_overall"] <= joined["overall"]) & (joined["overall"] <= joined["ci_high_overall"])
    assert inside.mean() > 0.9


# --- properties ------------------------------------------------------------------------

@SETTINGS
@given(likert)
def test_standard_error_halves_when_every_response_is_quadrupled(answers):
    once = _one(_uncertainty(_external(answers), replicates=400, seed=3))["se_external"]
    four = _one(_uncertainty(_external(answers * 4), replicates=400, seed=3))["se_external"]
    # var ∝ s²/n; s² itself moves by (n − 1)/n · 4n/(4n − 1), a few per cent for small n
    assert four / once == pytest.approx(0.5, abs=0.1)


@SETTINGS
@given(likert, st.randoms(use_true_random=False))
def test_figures_do_not_depend_on_the_order_of_the_rows(answers, random):
    rows = _external(answers, lambda i: f"T{i % 3}")
    shuffled = rows[:]
    random.shuffle(shuffled)
    assert _uncertainty(rows, replicates=50).equals(_uncertainty(shuffled, replicates=50))


# --- post-stratification ----------------------------------------------------------------

def _two_tasks():
    best, worst = best_answers(MODEL, "external"), worst_answers(MODEL, "external")
    rows = [{"institution": "A", "survey": "external", "task": "T1", **best} for _ in range(30)]
    rows += [{"institution": "A", "survey": "external", "task": "T2", **{**best, "E01": worst["E01"]}} for _ in range(10)]
    return responses(MODEL, _year(rows))


def test_post_stratification_restores_each_tasks_share_of_the_roster():
    roster = pl.DataFrame({"institution": ["A", "A"], "survey": ["external"] * 2, "unit": ["T1", "T2"], "roster": [500, 500]})
    weighted = poststratified(MODEL, _two_tasks(), roster)
    plain = score_year(MODEL, BODY, _two_tasks()).institutions["item_E01"][0]
    restored = score_year(MODEL, BODY, weighted).institutions["item_E01"][0]
    assert plain == pytest.approx(7.5)  # 30 of 40 at 10, 10 at 0
    assert restored == pytest.approx(5.0)  # half the roster each
    # weights of a body and survey add up to its number of responses
    ext = weighted.filter(pl.col("survey") == "external")
    assert ext["__weight"].sum() == pytest.approx(ext.height)


def test_a_body_with_a_stratum_missing_from_the_roster_stays_unweighted():
    roster = pl.DataFrame({"institution": ["A"], "survey": ["external"], "unit": ["T1"], "roster": [500]})
    weighted = poststratified(MODEL, _two_tasks(), roster)
    assert weighted["__weight"].to_list() == [1.0] * weighted.height


def test_2017_rules_are_unweighted_and_a_switched_on_model_needs_the_roster(raw_model):
    assert MODEL.weighting.post_stratify is False
    raw_model["weighting"] = {"post_stratify": True}
    from integrity.model import parse_model

    switched = parse_model(raw_model)
    with pytest.raises(WeightingError, match="명부"):
        score_year(switched, BODY, _two_tasks())
    roster = pl.DataFrame({"institution": ["A", "A"], "survey": ["external"] * 2, "unit": ["T1", "T2"], "roster": [1, 1]})
    assert score_year(switched, BODY, _two_tasks(), roster=roster).institutions["item_E01"][0] == pytest.approx(5.0)


@pytest.fixture
def raw_model():
    import yaml

    from integrity.model.loader import model_path

    return yaml.safe_load(model_path("2017").read_text(encoding="utf-8"))


def test_district_office_rows_count_in_their_provincial_office_replicates():
    # P's own clients all answer best; its district office D's all answer worst. Folded,
    # P's external score varies with the resampling of D's rows; alone it would not vary.
    inst = institutions(("P", "provincial_education"), ("D", "district_education", "P"))
    rows = _external([7] * 20, body="P") + _external([1, 7] * 10, body="D")
    rows += [r for b in ("P", "D") for r in block(MODEL, b, "internal", 3)] + block(MODEL, "P", "policy", 3)
    frame = score_uncertainty(MODEL, inst, responses(MODEL, rows), replicates=REPS)
    p = _one(frame, "P")
    assert p["se_external"] > 0
    point = _one(score_year(MODEL, inst, responses(MODEL, rows)).institutions, "P")["score_external"]
    assert p["ci_low_external"] <= point <= p["ci_high_external"]


# --- rare events (uncertainty.rare_event_pseudo_count) ---------------------------------

def test_a_sample_that_caught_no_rare_event_still_gets_an_interval_below_the_top():
    # Every experience answer "no": without the pseudo-count the interval has zero width
    # at the top, though a rate of a few percent could give such a sample easily.
    rows = _year(_external([3] * 40))
    data = responses(MODEL, rows)
    without = _one(score_uncertainty(MODEL, BODY, data, replicates=REPS))
    with_pseudo = _one(score_uncertainty(SHIPPED, BODY, data, replicates=REPS))
    point = _one(score_year(SHIPPED, BODY, data).institutions)
    assert without["se_external"] == pytest.approx(0, abs=1e-9)
    assert with_pseudo["se_external"] > 0 and with_pseudo["ci_low_external"] < point["score_external"]
    assert with_pseudo["ci_high_external"] == pytest.approx(point["score_external"])  # never above the estimate


def test_a_body_whose_sample_holds_a_yes_is_resampled_as_it_is():
    base = best_answers(MODEL, "external")
    rows = [{"institution": "A", "survey": "external", "task": "T1", **base, "E01": a} for a in [2, 5] * 20]
    rate_items = [i.code for i in MODEL.survey("external").items if i.method == "rate"]
    gates = {MODEL.items[c].gate or c for c in rate_items}
    for gate in gates:  # one respondent in the sample said "yes" to every experience question
        rows[0][gate] = MODEL.items[gate].answer.yes
    data = responses(MODEL, _year(rows))
    a = _one(score_uncertainty(MODEL, BODY, data, replicates=REPS, seed=3))
    b = _one(score_uncertainty(SHIPPED, BODY, data, replicates=REPS, seed=3))
    assert b["se_external"] == pytest.approx(a["se_external"], rel=0.35)  # same draws up to the pseudo-counts elsewhere
