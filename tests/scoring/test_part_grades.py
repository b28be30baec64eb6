"""2022+: 종합·체감도·노력도 graded side by side, each within type by the standard deviation
(the grading rule of ``grading.grade_within_types``), as the model file's
``grading.measures`` lists them."""

import numpy as np
import polars as pl
import pytest

from integrity.generate import generate_year
from integrity.interchange import load_year, write_table
from integrity.scoring import score_year
from integrity.scoring.grading import grade_parts


@pytest.fixture(scope="module")
def scored2022(tmp_path_factory, m2022):
    folder = tmp_path_factory.mktemp("y2022")
    year = generate_year(m2022, seed=7, responses=15_000)
    files = {n: write_table(getattr(year, n), folder / f"{n}.csv") for n in ("institutions", "responses", "deductions")}
    loaded = load_year(m2022, files["institutions"], [files["responses"]], files["deductions"])
    return score_year(m2022, loaded.institutions, loaded.responses, loaded.deductions).institutions


def _z_grades(values: np.ndarray, cuts=(1.5, 0.5, -0.5, -1.5)) -> np.ndarray:
    z = (values - values.mean()) / values.std()  # population SD, as the rule says
    return 1 + (z[:, None] < np.asarray(cuts)[None, :]).sum(axis=1)


def test_2022_perceived_and_effort_are_each_graded_within_type_by_the_standard_deviation(scored2022):
    scored = scored2022.filter(pl.col("status") == "scored")
    for (type_code,), members in scored.group_by(["type"]):
        if members.height < 3:
            continue
        for score, grade in (("score_perceived", "grade_perceived"), ("input_effort", "grade_effort"),
                             ("overall", "grade_before_sanctions")):
            expected = _z_grades(members[score].to_numpy())
            assert members[grade].to_list() == expected.tolist(), (type_code, grade)


def test_the_three_grades_differ_where_the_parts_rank_bodies_differently(scored2022):
    scored = scored2022.filter(pl.col("status") == "scored")
    assert (scored["grade_perceived"] != scored["grade_effort"]).any()
    assert set(scored["grade_perceived"].unique()) == {1, 2, 3, 4, 5}


def test_bodies_without_an_overall_grade_get_no_part_grades(scored2022):
    ungraded = scored2022.filter(pl.col("status") != "scored")
    assert ungraded.height > 0  # the generator voids a body
    assert ungraded["grade_perceived"].is_null().all() and ungraded["grade_effort"].is_null().all()


def test_a_body_missing_a_part_score_gets_no_grade_for_that_part_and_is_left_out_of_its_mean():
    types = np.array(["t"] * 5)
    graded = np.ones(5, bool)
    effort = np.array([90.0, 80.0, 70.0, np.nan, 60.0])
    grades = grade_parts({"effort": effort}, ("overall", "effort"), types, graded, (1.5, 0.5, -0.5, -1.5), 3,
                         scale=100.0)["effort"]
    assert np.isnan(grades[3])
    assert grades[[0, 1, 2, 4]].tolist() == _z_grades(effort[[0, 1, 2, 4]]).tolist()


def test_2017_model_grades_the_overall_score_only(m2017):
    assert m2017.grade_measures == ("overall",)
    assert grade_parts({}, m2017.grade_measures, np.array(["t"]), np.ones(1, bool), (0.0,), 3, scale=10.0) == {}
