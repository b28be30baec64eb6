"""The synthetic year: reproducible, the 2017 mix, near the published averages."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from integrity.generate import generate_year
from integrity.generate.mix import DISTRICT_OFFICES_2017, MIX_2017, NATIONAL_2017
from integrity.interchange.validate import check_deductions, check_institutions, check_responses
from integrity.scoring import score_year


@pytest.fixture(scope="module")
def year(m2017):
    return generate_year(m2017)


def test_same_seed_same_year_other_seed_other_year(m2017):
    a, b = generate_year(m2017, seed=5, responses=5000), generate_year(m2017, seed=5, responses=5000)
    assert_frame_equal(a.responses, b.responses)
    assert_frame_equal(a.deductions, b.deductions)
    c = generate_year(m2017, seed=6, responses=5000)
    assert not a.responses.equals(c.responses)


def test_the_2017_mix_of_572_bodies(year):
    # 572 bodies under the plan: 499 graded on their own and 73 district offices measured
    # within their provinces; the other 103 of the 176 district offices are in the registry
    # but not measured this year (rotation).
    counts = dict(year.institutions.group_by("type").len().iter_rows())
    assert counts == {t: spec.count for t, spec in MIX_2017.items()}
    assert year.institutions.height == 572 - 73 + 176
    assert year.institutions["code"].is_unique().all()
    answered = set(year.responses["institution"].unique())
    assert len(answered) == 572
    assert year.institutions.filter(pl.col("type") != "district_education")["code"].is_in(list(answered)).all()


def test_district_offices_sit_in_17_provinces_in_the_2017_numbers_and_73_are_measured(year):
    district = year.institutions.filter(pl.col("type") == "district_education")
    provinces = year.institutions.filter(pl.col("type") == "provincial_education")["code"].to_list()
    per_province = dict(district.group_by("supervisor").len().iter_rows())
    assert [per_province.get(p, 0) for p in provinces] == list(DISTRICT_OFFICES_2017)
    measured = district.filter(pl.col("code").is_in(year.responses["institution"].unique().implode()))
    assert measured.height == 73
    # a province with fewer than 10 measures all its offices; one with 10 or more about a third
    measured_per = dict(measured.group_by("supervisor").len().iter_rows())
    for p, n in zip(provinces, DISTRICT_OFFICES_2017):
        assert measured_per.get(p, 0) == (n if n < 10 else pytest.approx(n / 3, abs=1))


def test_every_external_task_has_a_quota_of_at_least_50(year):
    assert year.tasks["quota"].min() >= 50
    per_task = year.responses.filter(pl.col("survey") == "external").group_by("task").len()
    assert per_task["len"].min() >= 50


def test_size_and_bribery_rate_are_realistic(year):
    assert 225_000 <= year.responses.height <= 250_000
    external = year.responses.filter(pl.col("survey") == "external")
    assert 0.003 <= (external["E07"] == 1).mean() <= 0.008  # 2017: 0.5%


def test_generated_year_is_valid_input_and_lands_near_the_published_averages(m2017, year):
    inst = check_institutions(m2017, year.institutions, "institutions")
    resp = check_responses(m2017, year.responses, inst, "responses")
    ded = check_deductions(m2017, year.deductions, inst, "deductions")
    scored = score_year(m2017, inst, resp, ded).institutions.filter(pl.col("status") == "scored")
    assert scored["overall"].mean() == pytest.approx(NATIONAL_2017["overall"], abs=0.15)
    assert scored["score_external"].mean() == pytest.approx(NATIONAL_2017["external"], abs=0.15)
    assert scored["score_internal"].mean() == pytest.approx(NATIONAL_2017["internal"], abs=0.15)
    pso = scored.filter(pl.col("type").str.starts_with("pso"))["overall"].mean()
    basic = scored.filter(pl.col("type").str.starts_with("basic"))["overall"].mean()
    assert pso > basic  # 2017: public-service 8.29 > basic local 7.72
    assert set(scored["grade"].unique()) == {1, 2, 3, 4, 5}


def test_a_generated_2022_year_is_shaped_like_the_published_2022_figures(m2022):
    """DOMAIN.md anchors: 569 bodies; overall about 81.2 with public-service bodies (85.7)
    above basic local governments (76.6); 1등급 about 4-6 %. The 2022 questionnaire is read
    through its own calibration (mix.CALIBRATION_2022), not 2017's."""
    from integrity.generate.mix import NATIONAL_2022

    generated = generate_year(m2022, seed=2022, responses=80_000)
    assert generated.institutions.height == 569
    inst = check_institutions(m2022, generated.institutions, "institutions")
    resp = check_responses(m2022, generated.responses, inst, "responses")
    ded = check_deductions(m2022, generated.deductions, inst, "deductions")
    scored = score_year(m2022, inst, resp, ded).institutions.filter(pl.col("status") == "scored")
    assert scored["overall"].mean() == pytest.approx(NATIONAL_2022["overall"], abs=1.5)
    pso = scored.filter(pl.col("type").str.starts_with("pso") | pl.col("type").is_in(["local_corp", "research"]))
    basic = scored.filter(pl.col("type").str.starts_with("basic"))
    assert pso["overall"].mean() == pytest.approx(NATIONAL_2022["public_service"], abs=2)
    assert basic["overall"].mean() == pytest.approx(NATIONAL_2022["basic_local"], abs=2)
    assert 0.03 <= (scored["grade"] == 1).mean() <= 0.07
