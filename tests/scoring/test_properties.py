"""Property tests of the engine: range, monotonicity, order and split invariance."""

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from integrity.interchange import read_responses
from integrity.model import load_model
from integrity.model.schema import AMOUNT, FREQUENCY, INDIRECT, LIKERT, RATE
from integrity.scoring import score_year
from tests.helpers import institutions, responses

MODEL = load_model("2017")
INST = institutions(("M", "metropolitan"), ("A", "basic_city", "M"), ("B", "basic_city", "M"), ("C", "basic_county", "M"))
COMBOS = [(c, s) for c in "ABC" for s in ("external", "internal")] + [("M", s) for s in ("external", "internal", "policy")]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def questionnaire(draw):
    inst, survey = draw(st.sampled_from(COMBOS))
    row = {"institution": inst, "survey": survey, "task": draw(st.sampled_from(["T1", "T2"]))}
    for n, item in enumerate(MODEL.survey(survey).questionnaire_items):
        codes = sorted(item.answer.codes)
        # the first item is always answered: an empty questionnaire is bad input, not data
        row[item.code] = draw(st.sampled_from(codes) if n == 0 else st.one_of(st.none(), st.sampled_from(codes)))
    return row


year = st.lists(questionnaire(), min_size=1, max_size=40)


def _score(rows):
    return score_year(MODEL, INST, responses(MODEL, rows)).institutions


@SETTINGS
@given(year)
def test_every_score_stays_within_the_scale(rows):
    frame = _score(rows)
    scores = frame.select(pl.col("^(score|item)_.*$"), "overall", "overall_before_deductions")
    for col in scores.columns:
        values = scores[col].drop_nulls()
        assert values.is_empty() or (values.min() >= 0 and values.max() <= 10), col


def _better_answer(draw, item, code):
    """A strictly better answer than ``code`` for ``item``, or None if there is none."""
    a = item.answer
    if code is None:
        return None
    if item.method == LIKERT:
        better = [c for c in a.codes if (c > code if item.polarity == "negative" else c < code)]
    elif item.method in (RATE, INDIRECT):
        better = [a.no] if code == a.yes else []
    elif item.method in (FREQUENCY, AMOUNT):
        better = [c for c in a.codes if a.values[c] < a.values[code]]
    else:
        better = []
    return draw(st.sampled_from(better)) if better else None


@SETTINGS
@given(year, st.data())
def test_a_better_answer_never_lowers_a_score(rows, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    row = rows[index]
    items = [i for i in MODEL.survey(row["survey"]).questionnaire_items if row[i.code] is not None]
    item = data.draw(st.sampled_from(items))
    better = _better_answer(data.draw, item, row[item.code])
    if better is None:
        return
    improved = [dict(r) for r in rows]
    improved[index][item.code] = better
    before, after = _score(rows), _score(improved)
    columns = [c for c in before.columns if c.startswith(("score_", "item_"))] + ["overall_before_deductions"]
    for col in columns:
        for old, new in zip(before[col].to_list(), after[col].to_list()):
            if old is not None and new is not None:
                assert new >= old - 1e-12, (col, old, new)


@SETTINGS
@given(year, st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert_frame_equal(_score(rows), _score(shuffled))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(year, st.data())
def test_splitting_a_file_in_two_and_concatenating_changes_nothing(tmp_path_factory, rows, data):
    cut = data.draw(st.integers(1, len(rows))) if len(rows) > 1 else 1
    folder = tmp_path_factory.mktemp("split")
    whole, first, second = folder / "whole.csv", folder / "a.csv", folder / "b.parquet"
    frame = responses(MODEL, rows)
    frame.write_csv(whole)
    frame.head(cut).write_csv(first)
    frame.slice(cut).write_parquet(second)
    parts = [first, second] if cut < len(rows) else [first]
    one = score_year(MODEL, INST, read_responses(MODEL, [whole], INST))
    two = score_year(MODEL, INST, read_responses(MODEL, parts, INST))
    assert_frame_equal(one.institutions, two.institutions)
    assert_frame_equal(one.breakdown, two.breakdown)


# --- grades at the cut points ---------------------------------------------------------

from integrity.scoring.grading import grade_within_types  # noqa: E402

_CUTS = (1.5, 0.5, -0.5, -1.5)
# Scores as the engine makes them: ratios of integer tallies on a 0-10 scale.
_SCORE = st.builds(lambda points, answers: 10 * points / answers, st.integers(0, 600), st.integers(1, 60)).filter(
    lambda s: s <= 10)


@settings(max_examples=150, deadline=None)
@given(st.lists(_SCORE, min_size=3, max_size=25), st.randoms(use_true_random=False))
def test_grades_do_not_depend_on_row_order(scores, rnd):
    values = np.array(scores)
    order = list(range(len(values)))
    rnd.shuffle(order)
    types, graded = np.array(["t"] * len(values)), np.ones(len(values), bool)
    before = grade_within_types(values, types, graded, _CUTS, 3, scale=10)
    after = grade_within_types(values[order], types, graded, _CUTS, 3, scale=10)
    assert before[order].tolist() == after.tolist()


@settings(max_examples=150, deadline=None)
@given(st.lists(_SCORE, min_size=3, max_size=25), st.sampled_from([0.5, 1.0, 2.25, 3.3, 7.1, -1.7]))
def test_grades_do_not_change_when_a_constant_is_added_to_every_score_of_a_type(scores, shift):
    values = np.array(scores)
    types, graded = np.array(["t"] * len(values)), np.ones(len(values), bool)
    before = grade_within_types(values, types, graded, _CUTS, 3, scale=10)
    after = grade_within_types(values + shift, types, graded, _CUTS, 3, scale=10)
    assert before.tolist() == after.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(_SCORE, min_size=3, max_size=25))
def test_equal_scores_always_get_equal_grades(scores):
    values = np.array(scores + scores[:1])  # the first score twice
    grades = grade_within_types(values, np.array(["t"] * len(values)), np.ones(len(values), bool), _CUTS, 3, scale=10)
    assert grades[0] == grades[-1]
