"""청렴노력도 in the application: the liaison's report and submission, the panel's scores,
and a 2022 year scored from the database end to end."""

import dataclasses
from datetime import date

import pytest

from integrity.apps.audit.models import AuditEntry
from integrity.apps.effort import services
from integrity.apps.effort.models import Report, Status
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.results.services import run_from_database
from integrity.apps.results.year_loader import load_generated_year
from integrity.generate import generate_year
from integrity.generate.mix import MIX_2017

BEFORE_DEADLINE = date(2022, 10, 1)  # the model file's deadline is 2022-10-31


def complete_evaluation(body, actor, *, level="B", survey="80", figure="90", today=BEFORE_DEADLINE):
    """Report every indicator, submit, and score every panel-scored one."""
    framework = body.year.model.effort
    entries = {i.code: (figure if i.needs_figure else "", f"{i.name} 실적") for i in framework.indicators}
    services.save_draft(body, actor, entries, today=today)
    services.submit(body, actor, today=today)
    for ind in framework.indicators:
        if ind.panel_scored:
            services.record_score(body, ind.code, actor, level=level, value=survey, reason="실적보고서 서면평가")


@pytest.fixture
def year2022(db, m2022):
    """A small generated 2022 year in the database: 3 central II bodies, 3 public-service V bodies."""
    year = AssessmentYear.objects.create(year=2022, model_name="2022")
    mix = {t: dataclasses.replace(MIX_2017[t], count=3) for t in ("central_2", "pso_5")}
    load_generated_year(year, generate_year(m2022, seed=5, responses=3_000, mix=mix), effort=False)
    return year


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_user("panel", password="x-9-correct-horse", is_superuser=True)


def test_database_run_of_a_2022_year_scores_every_body_with_its_effort_evaluation(year2022, admin):
    bodies = list(year2022.institutions.all())
    for body in bodies:
        complete_evaluation(body, admin)
    run = run_from_database(year2022)
    results = list(run.results.all())
    assert len(results) == len(bodies) == 6
    assert "not_scored" not in {r.status for r in results}  # scored, or voided by a generated credibility case
    assert all(r.scores["input_effort"] is not None for r in results)
    expected = services.score_of(bodies[0]).total
    row = next(r for r in results if r.institution_code == bodies[0].code)
    assert row.scores["input_effort"] == pytest.approx(expected)
    breakdown = services.score_of(bodies[0])
    assert row.scores["effort_area_risk"] == pytest.approx(breakdown.areas["risk"])  # stored with the run
    assert row.scores["effort_indicator_3.2"] == pytest.approx(breakdown.indicators["3.2"])
    from integrity.apps.results.parts import effort_areas

    shown = effort_areas(year2022.model, row)  # what the report and the API show
    assert [a.name for a in shown][:2] == ["반부패 추진체계 구축", "정책 투명성·신뢰성 제고"]
    assert sum(a.score for a in shown) == pytest.approx(expected)
    assert 0 < row.overall <= 100


def test_body_without_a_complete_evaluation_stays_not_scored_with_a_korean_reason(year2022, admin):
    bodies = list(year2022.institutions.order_by("code"))
    for body in bodies[1:]:
        complete_evaluation(body, admin)
    run = run_from_database(year2022)
    missing = run.results.get(institution_code=bodies[0].code)
    assert missing.status == "not_scored" and "청렴노력도" in missing.reason
    assert run.results.filter(status="not_scored").count() == 1


def test_a_draft_report_counts_for_nothing_until_submitted(year2022, admin):
    body = year2022.institutions.first()
    entries = {i.code: ("90", "실적") for i in year2022.model.effort.indicators if i.needs_figure}
    services.save_draft(body, admin, entries, today=BEFORE_DEADLINE)
    score = services.score_of(body)
    assert score.total is None and "2.1" in score.missing


def test_effort_total_follows_the_framework_rules(year2022, admin):
    from integrity.apps.fieldwork.models import Response

    body = year2022.institutions.first()
    Response.objects.filter(institution=body, survey="internal").delete()  # survey indicators: the typed 100 (fallback)
    complete_evaluation(body, admin, level="A", survey="100", figure="100")
    assert services.score_of(body).total == pytest.approx(100)  # every indicator at its best; bonus capped within 100


def test_bad_figure_saves_nothing_and_names_the_indicator(year2022, admin):
    body = year2022.institutions.first()
    with pytest.raises(services.EffortError) as info:
        services.save_draft(body, admin, {"2.1": ("90", "좋음"), "4.1": ("많음", "")}, today=BEFORE_DEADLINE)
    assert info.value.problems == ["4.1 청렴교육 이수율: 실적 수치가 수가 아닙니다 (값: 많음)"]
    assert not Report.objects.filter(institution=body).exists()


def test_submission_needs_every_figure_and_narrative(year2022, admin):
    body = year2022.institutions.first()
    services.save_draft(body, admin, {"2.1": ("90", "")}, today=BEFORE_DEADLINE)
    with pytest.raises(services.EffortError) as info:
        services.submit(body, admin, today=BEFORE_DEADLINE)
    assert "3.1 부패영향평가 개선권고 이행률: 실적 수치가 없습니다" in info.value.problems
    assert "1.1 반부패·청렴 추진계획 수립과 이행: 실적 내용이 없습니다" in info.value.problems


def test_submission_gets_a_receipt_and_ends_editing(year2022, admin):
    body = year2022.institutions.first()
    complete_evaluation(body, admin)
    submission = services.submission_of(body)
    assert submission.status == Status.SUBMITTED and submission.receipt.startswith("EF2022-") and submission.submitted_at
    assert not services.editable(body, BEFORE_DEADLINE)
    with pytest.raises(services.EffortError):
        services.save_draft(body, admin, {"2.1": ("10", "")}, today=BEFORE_DEADLINE)


def test_report_cannot_be_changed_after_the_deadline(year2022, admin):
    body = year2022.institutions.first()
    assert not services.editable(body, date(2022, 11, 1))
    with pytest.raises(services.EffortError):
        services.save_draft(body, admin, {"2.1": ("10", "")}, today=date(2022, 11, 1))


def test_deadline_set_for_the_year_replaces_the_model_files(year2022, admin):
    services.set_deadline(year2022, admin, date(2099, 1, 31))
    assert services.deadline_of(year2022) == date(2099, 1, 31)
    assert services.editable(year2022.institutions.first(), date(2030, 1, 1))
    assert AuditEntry.objects.filter(action="effort.deadline_set").exists()


def test_every_score_change_is_audited_with_its_reason(year2022, admin):
    body = year2022.institutions.first()
    complete_evaluation(body, admin)
    services.record_score(body, "3.2", admin, level="D", reason="취약분야 개선 효과 근거 부족")
    entry = AuditEntry.objects.filter(action="effort.scored", details__indicator="3.2").order_by("-pk").first()
    assert entry.details["before"] == {"level": "B", "value": None}
    assert entry.details["after"]["level"] == "D" and entry.details["reason"] == "취약분야 개선 효과 근거 부족"


def test_a_score_needs_a_reason_and_a_known_level(year2022, admin):
    body = year2022.institutions.first()
    complete_evaluation(body, admin)
    with pytest.raises(services.EffortError) as info:
        services.record_score(body, "3.2", admin, level="Z", reason="")
    assert len(info.value.problems) == 2


def test_quantitative_indicators_are_not_scored_by_the_panel(year2022, admin):
    body = year2022.institutions.first()
    complete_evaluation(body, admin)
    with pytest.raises(services.EffortError):
        services.record_score(body, "2.1", admin, value="50", reason="x")


def test_administrator_returns_a_submission_to_draft_with_a_reason(year2022, admin):
    body = year2022.institutions.first()
    complete_evaluation(body, admin)
    services.reopen(body, admin, "증빙 누락")
    assert services.submission_of(body).status == Status.DRAFT
    assert services.score_of(body).total is None  # figures of a draft do not count


def test_a_generated_2022_year_comes_with_submitted_reports_and_scores_and_scores_end_to_end(db, m2022):
    year = AssessmentYear.objects.create(year=2022, model_name="2022")
    mix = {t: dataclasses.replace(MIX_2017[t], count=4) for t in ("central_2", "pso_5")}
    generated = generate_year(m2022, seed=9, responses=3_000, mix=mix)
    load_generated_year(year, generated)
    totals = services.effort_totals(year)
    assert len(totals) == 8 and all(v is not None for v in totals.values())
    assert all(services.submission_of(b).receipt.startswith("EF2022-") for b in year.institutions.all())
    wanted = dict(zip(generated.institutions["code"], generated.institutions["effort"]))
    assert max(abs(totals[c] - wanted[c]) for c in totals) < 15  # near the generator's effort score
    run = run_from_database(year)
    assert run.results.filter(status="not_scored").count() == 0
