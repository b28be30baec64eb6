"""Scoring runs from the database: the same numbers as the command line, stored
immutably, compared, published once."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from integrity.apps.registry.models import AssessmentYear
from integrity.apps.results.models import InstitutionResult, PublishedRunError, ScoringRun
from integrity.apps.results.services import compare, publish, run_from_database, year_inputs
from integrity.apps.results.year_loader import load_generated_year
from integrity.cli import main
from integrity.generate import generate_year


@pytest.fixture
def loaded(db, m2017):
    year = AssessmentYear.objects.create(year=2017, model_name="2017", open_to_liaisons=False)
    generated = generate_year(m2017, seed=11, responses=12_000)
    load_generated_year(year, generated)
    return year


def test_a_database_run_reproduces_the_command_line_to_full_precision(loaded, tmp_path):
    run = run_from_database(loaded)
    model, institutions, responses, deductions = year_inputs(loaded)
    institutions.rename({"institution": "code"}).write_csv(tmp_path / "i.csv")
    responses.write_parquet(tmp_path / "r.parquet")
    deductions.write_csv(tmp_path / "d.csv")
    assert main(["score", "--model", "2017", "--institutions", str(tmp_path / "i.csv"), "--responses",
                 str(tmp_path / "r.parquet"), "--deductions", str(tmp_path / "d.csv"), "--out", str(tmp_path / "o.parquet")]) == 0
    # The file keeps the district offices the rotation leaves out (status not_measured);
    # a stored run has no result for them. Every other row is the same to full precision.
    full = pl.read_parquet(tmp_path / "o.parquet").sort("institution")
    assert set(full.filter(pl.col("status") == "not_measured")["institution"]) == set(
        loaded.institutions.filter(rotation__measured=False).values_list("code", flat=True))
    cli = full.filter(pl.col("status") != "not_measured")
    stored = pl.DataFrame([
        {"institution": r.institution_code, "overall": r.overall, "grade": r.grade, "rank_in_type": r.rank_in_type,
         "score_external": r.scores["score_external"], "item_E01": r.scores["item_E01"],
         "incident_external_points": r.scores["incident_external_points"]}
        for r in run.results.order_by("institution_code")
    ])
    assert_frame_equal(stored, cli.select(stored.columns), check_dtypes=False, check_exact=True)
    assert cli.filter(pl.col("incident_external_points") > 0).height > 0  # deductions went through the scope rules
    assert run.units.filter(unit_kind="task").exists()


def test_a_published_run_cannot_be_altered(loaded, admin_client):
    run = publish(run_from_database(loaded), None)
    row = run.results.first()
    row.overall = 10
    with pytest.raises(PublishedRunError):
        row.save()
    with pytest.raises(PublishedRunError):
        InstitutionResult.objects.filter(run=run).update(overall=0)
    with pytest.raises(PublishedRunError):
        run.results.all().delete()
    with pytest.raises(PublishedRunError):
        ScoringRun.objects.filter(pk=run.pk).update(model_version="x")
    with pytest.raises(PublishedRunError):
        run.delete()
    # the admin offers no change and refuses a forged post
    assert admin_client.post(f"/admin/results/scoringrun/{run.pk}/delete/", {"post": "yes"}).status_code in (403, 302)
    assert ScoringRun.objects.filter(pk=run.pk).exists()
    assert admin_client.post(f"/admin/results/institutionresult/{row.pk}/change/", {"overall": "10"}).status_code == 403


def test_only_one_run_is_published_per_year(loaded):
    publish(run_from_database(loaded), None)
    with pytest.raises(PublishedRunError):
        publish(run_from_database(loaded), None)


def test_runs_are_compared_with_the_inputs_that_changed(loaded):
    from integrity.apps.incidents.models import CredibilityCase

    first = run_from_database(loaded)
    body = loaded.institutions.order_by("code").first()
    CredibilityCase.objects.create(year=loaded, institution=body, violation="favourable_answer_request", points=0.5,
                                   note="사전 접촉")
    second = run_from_database(loaded)
    diff = compare(first, second)
    assert diff["inputs_changed"] == ["deductions"] and diff["input_labels"] == ["감점"]
    changed = next(c for c in diff["changes"] if c["institution"] == body.code)
    assert changed["fields"]["overall"][1] == pytest.approx(changed["fields"]["overall"][0] - 0.5)
    assert changed["causes"] == ["credibility_points"]
    assert first.input_fingerprint != second.input_fingerprint
    assert run_from_database(loaded).input_fingerprint == second.input_fingerprint  # same inputs, same fingerprint


def test_runs_page_compares_two_runs(loaded, admin_client):
    from integrity.apps.incidents.models import CredibilityCase

    first = run_from_database(loaded)
    body = loaded.institutions.order_by("code").first()
    CredibilityCase.objects.create(year=loaded, institution=body, violation="favourable_answer_request", points=0.2, note="x")
    second = run_from_database(loaded)
    page = admin_client.get(f"/results/runs/?a={first.pk}&b={second.pk}").content.decode()
    assert "<code>감점</code>" in page and body.name in page and "신뢰도 저해행위 감점" in page
    assert "credibility_points" not in page and "rank_in_type" not in page  # no raw codes on the screen


def test_comparing_without_two_runs_says_what_to_choose(loaded, admin_client):
    run = run_from_database(loaded)
    page = admin_client.get(f"/results/runs/?a={run.pk}&compare=1").content.decode()
    assert "비교할 실행을 A와 B에서 하나씩 고르세요" in page
    page = admin_client.get(f"/results/runs/?a={run.pk}&b={run.pk}&compare=1").content.decode()
    assert "서로 다른 두 실행을 고르세요" in page


def test_publishing_from_the_runs_page_shows_the_change_against_the_last_published_run(loaded, admin_client):
    from integrity.apps.incidents.models import CredibilityCase

    first = publish(run_from_database(loaded), None)
    body = loaded.institutions.order_by("code").first()
    CredibilityCase.objects.create(year=loaded, institution=body, violation="favourable_answer_request", points=0.5, note="x")
    draft = run_from_database(loaded)
    page = admin_client.get(f"/results/runs/{draft.pk}/publish/").content.decode()
    # same year already published: the page shows the difference and says why it cannot be published
    assert f"채점 #{first.pk}" in page and body.name in page and "이미 공표된 결과가 있습니다" in page
    assert 'name="confirm"' not in page
    admin_client.post(f"/results/runs/{draft.pk}/publish/", {"confirm": draft.pk})
    draft.refresh_from_db()
    assert draft.published_at is None


def test_publishing_needs_the_confirmation_and_is_audited(loaded, admin_client):
    from integrity.apps.audit.models import AuditEntry

    draft = run_from_database(loaded)
    page = admin_client.get(f"/results/runs/{draft.pk}/publish/").content.decode()
    assert "이번이 첫 공표입니다" in page and 'name="confirm"' in page
    page = admin_client.post(f"/results/runs/{draft.pk}/publish/", {}).content.decode()
    assert "공표를 확인하지 않았습니다" in page
    draft.refresh_from_db()
    assert draft.published_at is None
    assert admin_client.post(f"/results/runs/{draft.pk}/publish/", {"confirm": draft.pk}).status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert AuditEntry.objects.filter(action="scores.published").count() == 1


def test_only_an_administrator_publishes(loaded, client, django_user_model):
    from integrity.apps.accounts.models import Profile, Role

    draft = run_from_database(loaded)
    analyst = django_user_model.objects.create_user("analyst", password="x-long-password-1")
    Profile.objects.create(user=analyst, role=Role.ANALYST)
    client.force_login(analyst)
    assert client.get(f"/results/runs/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/results/runs/{draft.pk}/publish/", {"confirm": draft.pk}).status_code == 403
    draft.refresh_from_db()
    assert draft.published_at is None


def test_an_administrator_starts_a_run_from_the_page(loaded, admin_client):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post("/results/runs/start/")
    assert response.status_code == 302
    run = ScoringRun.objects.get()
    assert run.year == 2017 and run.results.count() == 572 and run.published_at is None
