"""The engine's tallies (polars, vectorised) against a plain reference that follows the
rules row by row (``aggregate``'s docstring, DOMAIN.md "Scoring rules"): any later
fast path must give the same integers."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrity.model import load_model
from integrity.model.schema import AMOUNT, FREQUENCY, INDIRECT, LIKERT, RATE
from integrity.scoring.aggregate import RESPONSES, answers_col, points_col, tally

MODEL = load_model("2017")
KEYS = ["institution", "task", "office"]
TYPES = {"A": "central_1", "B": "basic_city", "C": "pso_1"}


def _reference(survey, rows: list[dict], allowed_types: dict[str, tuple[str, ...]]) -> dict[tuple, dict[str, int]]:
    """Per (institution, task, office): questionnaires, and each item's points and answers."""
    sv = MODEL.survey(survey)
    out: dict[tuple, dict[str, int]] = {}
    for row in rows:
        if row["survey"] != survey:
            continue
        group = out.setdefault(tuple(row[k] for k in KEYS), {RESPONSES: 0})
        group[RESPONSES] += 1
        for item in sv.questionnaire_items:
            code, answer = row[item.code], item.answer
            gate_no = item.gate is not None and row[item.gate] == MODEL.items[item.gate].answer.no
            counts = code is not None or (gate_no and item.method in (FREQUENCY, AMOUNT))
            if item.code in allowed_types and TYPES[row["institution"]] not in allowed_types[item.code]:
                counts = False
            points = 0
            if counts and code is not None and not (gate_no and item.method in (FREQUENCY, AMOUNT)):
                if item.method == LIKERT:
                    points = code - min(answer.codes) if item.polarity == "negative" else max(answer.codes) - code
                elif item.method == INDIRECT:
                    points = int(code == answer.no)
                elif item.method == RATE:
                    points = int(code == answer.yes)
                else:
                    points = answer.values.get(code, 0)
            group[points_col(item.code)] = group.get(points_col(item.code), 0) + (points if counts else 0)
            group[answers_col(item.code)] = group.get(answers_col(item.code), 0) + int(counts)
    return out


def _rows(draw, survey: str) -> list[dict]:
    items = MODEL.survey(survey).questionnaire_items
    row = st.fixed_dictionaries({
        "institution": st.sampled_from(sorted(TYPES)),
        "survey": st.sampled_from([survey, survey, "other"]),
        "task": st.sampled_from([None, "t1", "t2"]),
        "office": st.sampled_from([None, "o1"]),
        **{i.code: st.one_of(st.none(), st.sampled_from(sorted(i.answer.codes))) for i in items},
    })
    return draw(st.lists(row, max_size=30))


@pytest.mark.parametrize("survey", [sv.code for sv in MODEL.surveys])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_tallies_are_the_rules_applied_row_by_row(survey, data):
    """Points and answers per item (Likert by polarity, yes/no, counted values with the
    gate's "no" as 0; pooled items only for the types that ask them) summed per
    institution, task and office, as a row-by-row reading of the rules gives them."""
    rows = _rows(data.draw, survey)
    items = MODEL.survey(survey).questionnaire_items
    schema = {"institution": pl.Utf8, "survey": pl.Utf8, "task": pl.Utf8, "office": pl.Utf8,
              **{i.code: pl.Int16 for i in items}}
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    pooled_only = {p.code: p.pool_only_types for p in MODEL.survey(survey).pooled_items if p.pool_only_types}
    allowed = {code: pl.col("institution").is_in([c for c, t in TYPES.items() if t in types])
               for code, types in pooled_only.items()}
    got = tally(MODEL, frame, survey, KEYS, items=items, allowed=allowed)
    as_dicts = {tuple(r[k] for k in KEYS): {c: r[c] for c in got.columns if c not in KEYS} for r in got.to_dicts()}
    assert as_dicts == _reference(survey, rows, pooled_only)


@pytest.mark.parametrize("survey", [sv.code for sv in MODEL.surveys])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tallies_without_packing_are_the_same(survey, data, monkeypatch):
    """The packed sums (points + 2**32 per answer, ``aggregate``'s docstring) are only a
    speed-up: with packing off (as for a frame too large to pack) the tallies agree with
    the row-by-row reference all the same."""
    import integrity.scoring.aggregate as aggregate

    monkeypatch.setattr(aggregate, "_packing", lambda item, rows: None)
    rows = _rows(data.draw, survey)
    items = MODEL.survey(survey).questionnaire_items
    schema = {"institution": pl.Utf8, "survey": pl.Utf8, "task": pl.Utf8, "office": pl.Utf8,
              **{i.code: pl.Int16 for i in items}}
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    got = tally(MODEL, frame, survey, KEYS, items=items)
    as_dicts = {tuple(r[k] for k in KEYS): {c: r[c] for c in got.columns if c not in KEYS} for r in got.to_dicts()}
    assert as_dicts == _reference(survey, rows, {})


def test_packing_is_refused_where_the_low_half_could_overflow():
    """A packed sum is exact only while rows x largest points < 2**32: beyond, the item
    is summed the plain way; amounts are packed in their common step (50,000 KRW)."""
    from integrity.scoring.aggregate import PACK, _packing

    likert = next(i for i in MODEL.items.values() if i.method == LIKERT)
    amount = next(i for i in MODEL.items.values() if i.method == AMOUNT)
    most = likert.answer.points
    assert _packing(likert, (PACK - 1) // most) == 1
    assert _packing(likert, PACK // most + 1) is None
    step = _packing(amount, 1_000)
    assert step == 50_000 and all(v % step == 0 for v in amount.answer.values.values())
    assert _packing(amount, PACK // (max(amount.answer.values.values()) // step) + 1) is None


def test_the_unit_key_is_only_a_speed_up(monkeypatch, tmp_path):
    """Grouping by one integer made of (institution, task, office) gives the very
    results grouping by the three columns gives (the fallback when the codes would not
    fit in 63 bits)."""
    from polars.testing import assert_frame_equal

    import integrity.scoring.engine as engine
    from integrity.generate import generate_year
    from integrity.interchange import load_year, write_table
    from integrity.scoring import score_year

    made = generate_year(MODEL, seed=5, responses=4_000)
    files = {n: write_table(getattr(made, n), tmp_path / f"{n}.parquet") for n in ("institutions", "responses", "deductions")}
    year = load_year(MODEL, files["institutions"], [files["responses"]], files["deductions"])
    fast = score_year(MODEL, year.institutions, year.responses, year.deductions)
    monkeypatch.setattr(engine, "with_unit_key", lambda responses: (responses, None))
    plain = score_year(MODEL, year.institutions, year.responses, year.deductions)
    assert_frame_equal(fast.institutions, plain.institutions)
    assert_frame_equal(fast.breakdown, plain.breakdown)
    assert fast.breakdown.height > 0
