"""청렴노력도 evidence files, survey indicators from the staff's answers, and the objection
window (이의신청): release, deadline, decision through the audited score service, and the
outcome shown in the published results."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from integrity.apps.audit.models import AuditEntry
from integrity.apps.effort import objections, services
from integrity.apps.effort.evidence import add_file, can_see_effort_evidence
from integrity.apps.effort.models import EvidenceFile, Objection, Score
from integrity.apps.fieldwork.models import Response
from integrity.files.evidence import EvidenceRejected
from tests.apps.test_effort import BEFORE_DEADLINE, complete_evaluation, year2022  # noqa: F401 - fixture
from tests.incidents.evidence_samples import EXE, PDF, XLSX

TODAY = date(2022, 11, 10)


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_user("panel", password="x-9-correct-horse", is_superuser=True)


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.INTEGRITY_EFFORT_EVIDENCE_DIR = tmp_path / "effort_evidence"
    return settings.INTEGRITY_EFFORT_EVIDENCE_DIR


@pytest.fixture
def scored(request, admin):
    """Every body reported, submitted and scored by the panel (level B)."""
    year = request.getfixturevalue("year2022")
    for body in year.institutions.all():
        complete_evaluation(body, admin)
    return year


# --- the objection window ------------------------------------------------------------

def test_objection_before_the_release_is_refused_in_korean(scored, admin):
    body = scored.institutions.first()
    with pytest.raises(services.EffortError) as info:
        objections.file_objection(body, "3.2", admin, "다시 봐 주세요", today=TODAY)
    assert "잠정 점수가 아직 통보되지 않아" in info.value.problems[0]


def test_objection_deadline_defaults_to_the_model_files_window_and_can_be_set_per_year(scored, admin):
    release = objections.release(scored, admin, today=TODAY)
    assert release.objection_deadline == TODAY + timedelta(days=scored.model.effort.objection_days)
    objections.release(scored, admin, date(2022, 12, 1), today=TODAY)
    assert objections.release_of(scored).objection_deadline == date(2022, 12, 1)
    assert AuditEntry.objects.filter(action="effort.objection_deadline_set").exists()
    with pytest.raises(services.EffortError):
        objections.release(scored, admin, date(2022, 11, 1), today=TODAY)  # a deadline already past


def test_objection_after_the_deadline_is_refused_in_korean(scored, admin):
    objections.release(scored, admin, date(2022, 11, 17), today=TODAY)
    body = scored.institutions.first()
    with pytest.raises(services.EffortError) as info:
        objections.file_objection(body, "3.2", admin, "다시 봐 주세요", today=date(2022, 11, 18))
    assert "이의신청 기한(2022-11-17)이 지났습니다" in info.value.problems[0]
    assert objections.file_objection(body, "3.2", admin, "다시 봐 주세요", today=date(2022, 11, 17)).pk


def test_objections_are_per_panel_scored_indicator_once_with_a_reason(scored, admin):
    objections.release(scored, admin, today=TODAY)
    body = scored.institutions.first()
    with pytest.raises(services.EffortError) as info:
        objections.file_objection(body, "2.1", admin, "수치 오류", today=TODAY)
    assert "이의신청 대상이 아닙니다" in info.value.problems[0]
    with pytest.raises(services.EffortError):
        objections.file_objection(body, "3.2", admin, "  ", today=TODAY)
    first = objections.file_objection(body, "3.2", admin, "근거 자료 누락", today=TODAY)
    assert first.points_before == pytest.approx(12 * 0.8)  # level B of 12 points
    with pytest.raises(services.EffortError) as info:
        objections.file_objection(body, "3.2", admin, "또", today=TODAY)
    assert "이미 이의신청을 했습니다" in info.value.problems[0]


def test_accepted_objection_changes_the_score_through_the_audited_service(scored, admin):
    objections.release(scored, admin, today=TODAY)
    body = scored.institutions.first()
    before = services.score_of(body).total
    filed = objections.file_objection(body, "3.2", admin, "근거 자료 누락", today=TODAY)
    decided = objections.decide(filed, admin, accepted=True, level="A", reason="효과가 수치로 확인됨")
    assert decided.status == "accepted" and decided.points_after == pytest.approx(12)
    assert Score.objects.get(institution=body, indicator="3.2").level == "A"
    assert services.score_of(body).total == pytest.approx(before + 12 * 0.2)
    change = AuditEntry.objects.filter(action="effort.scored", details__indicator="3.2").order_by("-pk").first()
    assert change.details["before"] == {"level": "B", "value": None}
    assert change.details["after"]["level"] == "A" and "효과가 수치로 확인됨" in change.details["reason"]
    assert AuditEntry.objects.get(action="effort.objection_decided").details["status"] == "accepted"


def test_rejected_objection_keeps_the_score_and_a_decision_needs_a_reason(scored, admin):
    objections.release(scored, admin, today=TODAY)
    body = scored.institutions.first()
    filed = objections.file_objection(body, "3.2", admin, "근거 자료 누락", today=TODAY)
    with pytest.raises(services.EffortError) as info:
        objections.decide(filed, admin, accepted=False, reason="")
    assert info.value.problems == ["결정 사유를 적어 주세요"]
    decided = objections.decide(filed, admin, accepted=False, reason="평가 기간 밖의 실적")
    assert decided.status == "rejected" and decided.points_after == decided.points_before
    assert Score.objects.get(institution=body, indicator="3.2").level == "B"
    with pytest.raises(services.EffortError):
        objections.decide(decided, admin, accepted=True, level="A", reason="다시")  # decided once


# --- survey indicators ---------------------------------------------------------------

def test_survey_indicator_comes_from_the_staffs_answers_to_the_items_the_model_names(scored, admin):
    """(x-1)/6*100 for negative items, (7-x)/6*100 for the positive one; the mean over items."""
    body = scored.institutions.first()
    Response.objects.filter(institution=body, survey="internal").delete()
    for answers in ({"I01": 1, "I06": 7}, {"I01": 4, "I06": 4}):
        Response.objects.create(institution=body, survey="internal", mode="email", answers=answers,
                                completed_on=date(2022, 6, 5))
    # I01 positive: codes 1, 4 -> 100, 50 (mean 75); I06 negative: 7, 4 -> 100, 50 (mean 75)
    assert services.score_of(body).indicators["4.2"] == pytest.approx(6 * 0.75)


def test_survey_indicator_falls_back_to_the_entered_score_without_answers(scored, admin):
    body = scored.institutions.first()
    Response.objects.filter(institution=body, survey="internal").delete()
    assert services.score_of(body).indicators["4.2"] == pytest.approx(6 * 0.80)  # the panel's 80


# --- evidence files ------------------------------------------------------------------

@pytest.fixture
def open2022(users, registry, admin):
    """The test registry's year run on the 2022 model, its deadline ahead."""
    year = registry["year"]
    year.model_name = "2022"
    year.save()
    services.set_deadline(year, admin, timezone.localdate() + timedelta(days=30))
    return year


def test_liaison_uploads_evidence_on_the_report_page_and_it_is_stored_encrypted(client, users, registry, open2022, evidence_dir):
    client.force_login(users["liaison_a"])
    response = client.post(reverse("effort:evidence_upload"),
                           {"indicator": "1.1", "file": SimpleUploadedFile("계획.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    stored = EvidenceFile.objects.get(institution=registry["a"], indicator="1.1")
    assert PDF not in (evidence_dir / stored.stored_name).read_bytes()  # encrypted at rest
    page = client.get(reverse("effort:mine"))
    assert "계획.pdf" in page.content.decode()
    download = client.get(reverse("effort:evidence_file", args=[stored.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")


def test_evidence_types_and_count_are_limited(registry, users, open2022, evidence_dir, settings):
    body = registry["a"]
    assert add_file(body, "1.1", "실적.xlsx", XLSX, users["liaison_a"]).file_type == "xlsx"
    with pytest.raises(EvidenceRejected):
        add_file(body, "1.1", "실적.pdf", EXE, users["liaison_a"])
    settings.INTEGRITY_EFFORT_EVIDENCE_PER_INDICATOR = 2
    add_file(body, "1.1", "두번째.pdf", PDF, users["liaison_a"])
    with pytest.raises(EvidenceRejected) as info:
        add_file(body, "1.1", "세번째.pdf", PDF, users["liaison_a"])
    assert "2개까지" in str(info.value)


def test_evidence_is_locked_after_submission(registry, users, open2022, evidence_dir, admin):
    body = registry["a"]
    complete_evaluation(body, admin, today=timezone.localdate())
    with pytest.raises(EvidenceRejected):
        add_file(body, "1.1", "늦은.pdf", PDF, users["liaison_a"])


def test_evidence_is_seen_only_by_the_institution_administrators_and_its_assigned_evaluators(
        client, registry, users, open2022, evidence_dir):
    from integrity.apps.effort.models import Assignment, Panel

    stored = add_file(registry["a"], "1.1", "계획.pdf", PDF, users["team_a"])  # the integrity team may prepare it
    url = reverse("effort:evidence_file", args=[stored.pk])
    for name, allowed in (("liaison_a", True), ("team_a", True), ("admin", True), ("evaluator", False),
                          ("liaison_b", False), ("team_b", False), ("analyst", False), ("secretariat", False)):
        assert can_see_effort_evidence(users[name], registry["a"]) is allowed, name
        client.force_login(users[name])
        assert (client.get(url).status_code == 200) is allowed, name
    panel = Panel.objects.create(year=open2022, name="중앙 평가단", type_codes=["central_1"])
    Assignment.objects.create(panel=panel, user=users["evaluator"], institution=registry["a"])  # assigned to score A: may read
    assert can_see_effort_evidence(users["evaluator"], registry["a"])
    client.force_login(users["evaluator"])
    assert client.get(url).status_code == 200


# --- the outcome in the results ------------------------------------------------------

def test_published_report_and_api_show_the_objections_outcome(client, scored, admin):
    from integrity.apps.results.services import publish, run_from_database

    objections.release(scored, admin, today=TODAY)
    bodies = list(scored.institutions.order_by("code"))
    objections.decide(objections.file_objection(bodies[0], "3.2", admin, "근거 누락", today=TODAY), admin,
                      accepted=True, level="A", reason="효과가 수치로 확인됨")
    objections.decide(objections.file_objection(bodies[1], "1.1", admin, "재검토 요청", today=TODAY), admin,
                      accepted=False, reason="평가 기간 밖의 실적")
    run = publish(run_from_database(scored), None)
    row = run.results.get(institution_code=bodies[0].code)
    assert row.scores["effort_indicator_3.2"] == pytest.approx(12)  # the decision is in the scored total
    page = client.get(reverse("results:detail", args=[bodies[0].code]) + "?year=2022").content.decode()
    assert "지표별 점수와 이의신청 결과" in page and "효과가 수치로 확인됨" in page and "인용" in page
    api = client.get(f"/api/v1/results/2022?type={bodies[1].type_code}").json()
    mine = next(r for r in api if r["institution"] == bodies[1].code)
    assert mine["effort"]["objections"] == [{"indicator": "1.1", "status": "rejected", "reason": "평가 기간 밖의 실적",
                                             "points_before": pytest.approx(6.4), "points_after": pytest.approx(6.4)}]
    assert Objection.objects.count() == 2


def test_the_demo_year_releases_scores_and_decides_one_objection_each_way(db, m2022):
    import dataclasses

    from integrity.apps.effort.demo import demo_objections
    from integrity.apps.registry.models import AssessmentYear
    from integrity.apps.results.year_loader import load_generated_year
    from integrity.generate import generate_year
    from integrity.generate.mix import MIX_2017

    year = AssessmentYear.objects.create(year=2022, model_name="2022")
    mix = {t: dataclasses.replace(MIX_2017[t], count=3) for t in ("central_2", "pso_5")}
    load_generated_year(year, generate_year(m2022, seed=3, responses=3_000, mix=mix))
    bodies = list(year.institutions.order_by("code"))
    assert demo_objections(year, bodies[:2]) == {"objections": 2, "accepted": 1}
    assert objections.window_open(year)  # the demo's liaison may still object
    accepted = Objection.objects.get(status="accepted")
    assert accepted.points_after > accepted.points_before and accepted.decision_reason
    assert Objection.objects.get(status="rejected").decision_reason


def test_liaison_objects_on_the_page_until_the_deadline_and_is_refused_after_it_in_korean(client, registry, users, open2022,
                                                                                         admin, evidence_dir):
    from integrity.apps.effort.models import Release

    body = registry["a"]
    complete_evaluation(body, admin, today=timezone.localdate())
    objections.release(open2022, admin)
    client.force_login(users["liaison_a"])
    page = client.get(reverse("effort:preliminary"))
    assert page.status_code == 200 and "이의신청하기" in page.content.decode()
    refused = client.post(reverse("effort:preliminary"), {"indicator": "3.2", "reason": "재검토",
                                                          "file": SimpleUploadedFile("a.pdf", EXE)})
    assert refused.status_code == 400 and not Objection.objects.exists()  # a refused file: nothing filed
    Release.objects.filter(year=open2022).update(objection_deadline=timezone.localdate() - timedelta(days=1))
    late = client.post(reverse("effort:preliminary"), {"indicator": "3.2", "reason": "재검토"})
    assert late.status_code == 400 and "이의신청 기한" in late.content.decode() and "지났습니다" in late.content.decode()
    client.force_login(users["team_a"])  # the integrity team reads, the liaison objects
    assert client.post(reverse("effort:preliminary"), {"indicator": "3.2", "reason": "x"}).status_code == 403
