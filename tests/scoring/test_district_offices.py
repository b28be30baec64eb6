"""District education offices (교육지원청) measured within their provincial office (seed 002, I.5):
their responses feed the provincial office's score; they are neither graded nor ranked."""

import polars as pl
import pytest

from integrity.scoring.deductions import DEDUCTION_COLUMNS
from tests.helpers import best_answers, block, institutions, row, score, worst_answers


def _year(model, district_answers=None):
    """Province P (own staff and clients answer best) with district offices D1, D2."""
    inst = institutions(("P", "provincial_education"), ("D1", "district_education", "P"), ("D2", "district_education", "P"))
    rows = []
    for sv in ("external", "internal", "policy"):
        rows += block(model, "P", sv, 10)
    for code in ("D1", "D2"):
        for sv in ("external", "internal"):
            rows += block(model, code, sv, 10, district_answers(model, sv) if district_answers else None)
    return inst, rows


def test_district_office_responses_count_in_the_provincial_office_score(m2017):
    inst, rows = _year(m2017, worst_answers)
    result = score(m2017, inst, rows)
    p = row(result, "P")
    assert p["n_external"] == 30 and p["n_internal"] == 30 and p["n_policy"] == 10
    # E01 (Likert): 10 best (10.0) + 20 worst (0.0) answers pooled -> 10/30 of 10
    assert p["item_E01"] == pytest.approx(10 / 3)
    alone = score(m2017, institutions(("P", "provincial_education")), [r for r in rows if r["institution"] == "P"])
    assert row(alone, "P")["overall"] > p["overall"]


def test_district_offices_are_not_graded_or_ranked_but_keep_their_own_scores(m2017):
    inst, rows = _year(m2017, worst_answers)
    result = score(m2017, inst, rows)
    d1 = row(result, "D1")
    assert d1["status"] == "in_parent" and d1["grade"] is None and d1["rank_in_type"] is None
    assert d1["graded_in_type"] == 0 and d1["parent_body"] == "P"
    assert d1["n_external"] == 10 and d1["item_E01"] == pytest.approx(0.0)  # own responses only
    assert d1["overall_published"] is not None  # shown in the provincial report's breakdown
    assert "상급기관 P 평가에 포함" in d1["reason"]


def test_grading_within_type_excludes_district_offices(m2017):
    codes = [f"P{i}" for i in range(6)]
    inst = institutions(*[(c, "provincial_education") for c in codes], *[(f"D{i}", "district_education", "P0") for i in range(6)])
    rows = []
    for i, c in enumerate(codes):
        answers = {**best_answers(m2017, "external"), "E01": 1 + i}
        rows += block(m2017, c, "external", 5, answers) + block(m2017, c, "internal", 5) + block(m2017, c, "policy", 5)
    for i in range(6):
        rows += block(m2017, f"D{i}", "external", 5) + block(m2017, f"D{i}", "internal", 5)
    result = score(m2017, inst, rows).institutions
    assert result.filter(pl.col("type") == "district_education")["grade"].null_count() == 6
    provinces = result.filter(pl.col("type") == "provincial_education")
    assert provinces["graded_in_type"].to_list() == [6] * 6 and provinces["grade"].null_count() == 0


def test_a_district_office_without_responses_is_not_measured_this_year(m2017):
    inst, rows = _year(m2017)
    inst = pl.concat([inst, institutions(("D3", "district_education", "P"))])
    d3 = row(score(m2017, inst, rows), "D3")
    assert d3["status"] == "not_measured" and d3["overall"] is None and d3["grade"] is None


def test_the_parent_body_column_overrides_the_supervisor_link(m2017):
    inst, rows = _year(m2017, worst_answers)
    inst = pl.concat([inst, institutions(("Q", "provincial_education"))]).with_columns(
        pl.when(pl.col("type") == "district_education").then(pl.lit("Q")).otherwise(None).alias("parent_body"))
    rows += block(m2017, "Q", "external", 10) + block(m2017, "Q", "internal", 10) + block(m2017, "Q", "policy", 10)
    result = score(m2017, inst, rows)
    assert row(result, "Q")["n_external"] == 30 and row(result, "P")["n_external"] == 10


def test_without_a_provincial_supervisor_a_district_office_is_graded_on_its_own(m2017):
    # No parent link (e.g. a registry without supervisors): nothing to fold into.
    inst = institutions(("D1", "district_education"))
    rows = block(m2017, "D1", "external", 5) + block(m2017, "D1", "internal", 5)
    assert row(score(m2017, inst, rows), "D1")["status"] == "scored"


def test_a_district_office_incident_is_deducted_from_its_provincial_office(m2017):
    inst, rows = _year(m2017)
    deductions = pl.DataFrame([{**{k: None for k in DEDUCTION_COLUMNS}, "institution": "D1", "kind": "incident",
                                "category": "external", "points": 0.3}], schema=DEDUCTION_COLUMNS)
    result = score(m2017, inst, rows, deductions)
    assert row(result, "P")["incident_external_points"] == pytest.approx(0.3)
    assert row(result, "D1")["incident_external_points"] == 0.0


def test_a_chain_of_parents_is_refused(m2017):
    inst = institutions(("P", "provincial_education"), ("D1", "district_education", "P"), ("D2", "district_education", "D1"))
    inst = inst.with_columns(pl.Series("parent_body", [None, "P", "D1"]))
    with pytest.raises(ValueError, match="D2"):
        score(m2017, inst, block(m2017, "P", "external", 1))
