"""The evaluation panel (평가단): conflict-free assignment, independent double scoring,
the gap between two scores (mean or reconciliation), on-site notes, audit, access."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.audit.models import AuditEntry
from integrity.apps.effort import assignments, evaluation, services
from integrity.apps.effort.models import Assignment, EvaluatorScore, Score, SiteNote, Tie
from integrity.apps.registry.models import AssessmentYear, Institution

PASSWORD = "x-9-correct-horse"


@pytest.fixture
def year(db):
    year = AssessmentYear.objects.create(year=2022, model_name="2022", open_to_liaisons=True)
    Institution.objects.create(year=year, code="0100001", name="가람부", type_code="central_2", staff=900)
    Institution.objects.create(year=year, code="0100002", name="나래부", type_code="central_2", staff=800)
    Institution.objects.create(year=year, code="0200001", name="누리공단", type_code="pso_5", staff=150)
    return year


def _person(django_user_model, name, role=None, institution=None, superuser=False):
    user = django_user_model.objects.create_user(name, password=PASSWORD, is_superuser=superuser)
    if role:
        Profile.objects.create(user=user, role=role, institution=institution)
    return user


@pytest.fixture
def people(year, django_user_model):
    a = year.institutions.get(code="0100001")
    made = {"admin": _person(django_user_model, "admin", superuser=True),
            "liaison": _person(django_user_model, "liaison", Role.LIAISON, a),
            "analyst": _person(django_user_model, "analyst", Role.ANALYST)}
    for name in ("kim", "lee", "park"):
        made[name] = _person(django_user_model, name, Role.EVALUATOR)
    services.set_deadline(year, made["admin"], date(2099, 12, 31))
    for body in year.institutions.all():
        entries = {i.code: ("90" if i.needs_figure else "", "실적") for i in year.model.effort.indicators}
        services.save_draft(body, made["admin"], entries)
        services.submit(body, made["admin"])
    return made


@pytest.fixture
def panel(year, people):
    """kim (internal, chair) and lee, park (external) on a panel of central_2 and pso_5."""
    panel = assignments.create_panel(year, people["admin"], "중앙·공직유관 평가단", ["central_2", "pso_5"])
    assignments.add_member(panel, people["admin"], people["kim"], "internal", chair=True)
    assignments.add_member(panel, people["admin"], people["lee"], "external")
    assignments.add_member(panel, people["admin"], people["park"], "external")
    return panel


def _pair(body):
    return sorted(Assignment.objects.filter(institution=body).values_list("user__username", flat=True))


def test_assignment_gives_two_evaluators_one_internal_one_external(year, people, panel):
    assignments.run_assignment(panel, people["admin"])
    for body in year.institutions.all():
        pair = _pair(body)
        assert len(pair) == 2 and "kim" in pair  # the only internal evaluator goes with an external one


def test_a_tied_evaluator_is_never_assigned(year, people, panel):
    """Rule: an evaluator never scores an institution they declared a tie with."""
    a = year.institutions.get(code="0100001")
    assignments.declare_tie(people["kim"], a, people["kim"], "2020년까지 이 기관에서 근무")
    assignments.run_assignment(panel, people["admin"])
    assert _pair(a) == ["lee", "park"]
    assert not assignments.is_assigned(people["kim"], a)


def test_a_tie_declared_after_assignment_takes_the_evaluator_off_and_voids_their_scores(year, people, panel):
    """Rule: the conflict is re-checked when a tie is declared after assignment."""
    assignments.run_assignment(panel, people["admin"])
    a = year.institutions.get(code="0100001")
    first = sorted(u for u in _pair(a) if u != "kim")[0]
    evaluation.score_as_evaluator(a, "1.1", people[first], level="A", reason="계획과 점검 모두 충실")
    assignments.declare_tie(people[first], a, people[first], "배우자가 이 기관에 근무")
    pair = _pair(a)
    assert first not in pair and len(pair) == 2  # the other external evaluator replaces them
    assert not EvaluatorScore.objects.filter(institution=a, user=people[first]).exists()
    assert AuditEntry.objects.filter(action="effort.unassigned", target_id=str(a.pk)).exists()
    with pytest.raises(services.EffortError, match="배정된 평가위원이 아니거나"):  # enforced in the service too
        evaluation.score_as_evaluator(a, "1.1", people[first], level="A", reason="다시")


def test_assignment_impossible_names_the_institution_and_assigns_nothing(year, people, panel):
    b = year.institutions.get(code="0200001")
    assignments.declare_tie(people["kim"], b, people["kim"], "자문위원")
    assignments.declare_tie(people["lee"], b, people["lee"], "용역 수행")
    with pytest.raises(services.EffortError) as error:
        assignments.run_assignment(panel, people["admin"])
    assert error.value.problems == ["누리공단: 이해충돌이 없는 평가위원이 1명뿐이라 두 명을 배정할 수 없습니다"]
    assert not Assignment.objects.exists()


def test_a_type_belongs_to_one_panel_per_year(year, people, panel):
    with pytest.raises(services.EffortError, match="이미 '중앙·공직유관 평가단' 평가단이 맡고 있습니다"):
        assignments.create_panel(year, people["admin"], "둘째", ["pso_5"])


def test_only_evaluators_join_a_panel(year, people, panel):
    with pytest.raises(services.EffortError, match="평가위원 역할의 사용자만"):
        assignments.add_member(panel, people["admin"], people["analyst"], "internal")


@pytest.fixture
def assigned(year, people, panel):
    assignments.run_assignment(panel, people["admin"])
    a = year.institutions.get(code="0100001")
    one, two = (people[u] for u in _pair(a))
    return a, one, two


def test_within_the_gap_the_decided_score_is_the_mean(assigned):
    """Rule: points within reconciliation_gap (one rubric step) -> their mean goes to Score."""
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")  # 8 points
    assert not Score.objects.filter(institution=a, indicator="1.1").exists()  # one score decides nothing
    evaluation.score_as_evaluator(a, "1.1", two, level="B", reason="점검 일부 누락")  # 6.4 points
    score = Score.objects.get(institution=a, indicator="1.1")
    assert score.level == "" and score.value == pytest.approx(7.2)
    assert services.score_of(a).indicators["1.1"] == pytest.approx(7.2)  # what the scoring run reads
    evaluation.score_as_evaluator(a, "1.2", one, level="C", reason="보통")
    evaluation.score_as_evaluator(a, "1.2", two, level="C", reason="보통")
    assert Score.objects.get(institution=a, indicator="1.2").level == "C"


def test_beyond_the_gap_the_indicator_waits_for_reconciliation(year, assigned, people):
    """Rule: points differing by more than the gap -> reconciliation (조정), no score until decided."""
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", two, level="D", reason="점검 없음")
    assert not Score.objects.filter(institution=a, indicator="1.1").exists()
    queue = evaluation.reconciliation_queue(year)
    assert [(q.institution.code, q.indicator.code) for q in queue] == [("0100001", "1.1")]
    with pytest.raises(services.EffortError, match="평가 사유를 적어 주세요"):
        evaluation.reconcile(a, "1.1", people["admin"], level="B", reason=" ")
    evaluation.reconcile(a, "1.1", people["admin"], level="B", reason="점검 결과 보고서 확인, 일부 미흡")
    assert Score.objects.get(institution=a, indicator="1.1").level == "B"
    assert evaluation.reconciliation_queue(year) == []
    entry = AuditEntry.objects.get(action="effort.reconciled")
    assert entry.actor == people["admin"] and entry.details["reason"] == "점검 결과 보고서 확인, 일부 미흡"
    assert entry.details["after"] == {"level": "B", "value": None} and entry.details["levels"] == ["A", "D"]


def test_only_a_chair_or_an_administrator_may_reconcile(year, assigned, people):
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", two, level="E", reason="없음")
    assert evaluation.may_reconcile(people["kim"], a)
    with pytest.raises(services.EffortError, match="평가단장만"):
        evaluation.reconcile(a, "1.1", people["lee"], level="C", reason="중간")


def test_scores_lock_once_both_have_scored(assigned):
    """Independence: each may revise until the other has scored; then only reconciliation
    or an administrator's override changes the indicator."""
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", one, level="B", reason="다시 읽어 보니 일부 누락")
    evaluation.score_as_evaluator(a, "1.1", two, level="B", reason="일부 누락")
    with pytest.raises(services.EffortError, match="더 고칠 수 없습니다"):
        evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="바꾸고 싶음")


def test_every_evaluator_score_is_audited_with_old_new_and_reason(assigned):
    a, one, _two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", one, level="C", reason="증빙 부족")
    entries = list(AuditEntry.objects.filter(action="effort.evaluator_scored").order_by("pk"))
    assert [e.actor for e in entries] == [one, one]
    assert entries[1].details["before"] == {"level": "A", "reason": "충실"} and entries[1].details["after"] == {"level": "C"}
    assert entries[1].details["reason"] == "증빙 부족"
    with pytest.raises(services.EffortError, match="평가 사유를 적어 주세요"):
        evaluation.score_as_evaluator(a, "1.1", one, level="B", reason="")


def test_evaluators_score_only_qualitative_indicators(assigned):
    a, one, _two = assigned
    with pytest.raises(services.EffortError, match="정성 지표가 아닙니다"):
        evaluation.score_as_evaluator(a, "4.2", one, level="A", reason="설문")


def test_site_notes_by_an_assigned_evaluator_or_an_administrator(assigned, people, year):
    a, one, _two = assigned
    evaluation.add_note(a, one, indicator="3.2", visited_on="2022-09-14", text="취약분야 진단 보고서 원본 확인")
    evaluation.add_note(a, people["admin"], indicator="", visited_on="2022-09-15", text="기관 전체 면담")
    assert SiteNote.objects.filter(institution=a).count() == 2
    with pytest.raises(services.EffortError, match="YYYY-MM-DD"):
        evaluation.add_note(a, one, indicator="", visited_on="9월 14일", text="면담")
    other = year.institutions.exclude(pk=a.pk).exclude(effort_assignments__user=one).first()
    if other is not None:
        with pytest.raises(services.EffortError, match="배정된 평가위원이나 관리자만"):
            evaluation.add_note(other, one, indicator="", visited_on="2022-09-14", text="면담")


# -- screens -----------------------------------------------------------------------------------

def test_evaluator_does_not_see_the_other_score_until_both_have_scored(client, assigned):
    """Rule: independence — the other's level and reason stay hidden until both scored."""
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", two, level="D", reason="비밀스러운 사유")
    client.force_login(one)
    page = client.get(reverse("effort:evaluate", args=[a.pk])).content.decode()
    assert "비밀스러운 사유" not in page and "다른 평가위원" not in page
    client.post(reverse("effort:evaluator_score", args=[a.pk]), {"indicator": "1.1", "level": "A", "reason": "충실"})
    page = client.get(reverse("effort:evaluate", args=[a.pk])).content.decode()
    assert "비밀스러운 사유" in page and "조정 중" in page


def test_evaluator_sees_only_assigned_institutions(client, year, assigned, people):
    a, one, _two = assigned
    client.force_login(one)
    listing = client.get(reverse("effort:assigned")).content.decode()
    assert "가람부" in listing
    elsewhere = year.institutions.exclude(effort_assignments__user=one).first()
    if elsewhere is not None:
        assert client.get(reverse("effort:evaluate", args=[elsewhere.pk])).status_code == 403
        assert client.post(reverse("effort:evaluator_score", args=[elsewhere.pk]),
                           {"indicator": "1.1", "level": "A", "reason": "x"}).status_code == 403
    assert client.get(reverse("effort:institution", args=[a.pk])).status_code == 403  # the administrators' page
    assert client.get(reverse("effort:panels")).status_code == 403


def test_tied_evaluator_gets_403_at_once(client, assigned):
    a, one, _two = assigned
    client.force_login(one)
    client.post(reverse("effort:ties"), {"institution": a.code, "reason": "전 직장"})
    assert Tie.objects.filter(user=one, institution=a).exists()
    assert client.get(reverse("effort:evaluate", args=[a.pk])).status_code == 403


def test_liaison_never_sees_evaluator_scores(client, assigned, people):
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="평가위원만 보는 사유")
    client.force_login(people["liaison"])
    page = client.get(reverse("effort:mine")).content.decode()
    assert "평가위원만 보는 사유" not in page
    for name in ("effort:evaluate", "effort:institution"):
        assert client.get(reverse(name, args=[a.pk])).status_code == 403
    assert client.get(reverse("effort:reconciliation")).status_code == 403


def test_admin_runs_a_panel_from_the_pages_and_reconciles_from_the_queue(client, year, people):
    client.force_login(people["admin"])
    response = client.post(reverse("effort:panels") + "?year=2022", {"name": "중앙 평가단", "type_codes": ["central_2"]})
    panel = year.effort_panels.get()
    assert response["Location"] == reverse("effort:panel", args=[panel.pk])
    for name, kind in (("kim", "internal"), ("lee", "external")):
        client.post(reverse("effort:panel_member", args=[panel.pk]), {"user": people[name].pk, "kind": kind})
    client.post(reverse("effort:panel_assign", args=[panel.pk]))
    a = year.institutions.get(code="0100001")
    assert _pair(a) == ["kim", "lee"]
    page = client.get(reverse("effort:panel", args=[panel.pk])).content.decode()
    assert "가람부" in page and "내부 평가위원" in page
    evaluation.score_as_evaluator(a, "3.2", people["kim"], level="A", reason="충실")
    evaluation.score_as_evaluator(a, "3.2", people["lee"], level="E", reason="미흡")
    queue = client.get(reverse("effort:reconciliation") + "?year=2022").content.decode()
    assert "부패취약분야 발굴과 개선" in queue
    client.post(reverse("effort:reconcile", args=[a.pk]), {"indicator": "3.2", "level": "C", "reason": "현장 확인 결과", "back": "queue"})
    assert Score.objects.get(institution=a, indicator="3.2").level == "C"
    history = client.get(reverse("effort:institution", args=[a.pk])).content.decode()
    assert "조정 보통" in history and "현장 확인 결과" in history and "– → C" in history


def test_chair_sees_the_reconciliation_queue_of_their_panel_only(client, assigned, people):
    client.force_login(people["kim"])
    assert client.get(reverse("effort:reconciliation")).status_code == 200
    client.force_login(people["lee"])
    assert client.get(reverse("effort:reconciliation")).status_code == 403


def test_evaluator_screen_queries_do_not_grow_with_scores_and_notes(client, assigned):
    """Speed: the evaluator's screen reads a fixed number of queries however many
    indicators are scored, notes written or evaluators assigned."""
    a, one, two = assigned
    client.force_login(one)
    url = reverse("effort:evaluate", args=[a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for code in ("1.1", "1.2", "2.2", "3.2", "3.3", "4.3", "5.1"):
        evaluation.score_as_evaluator(a, code, one, level="B", reason="우수")
        evaluation.score_as_evaluator(a, code, two, level="C", reason="보통")
        evaluation.add_note(a, one, indicator=code, visited_on="2022-09-14", text="확인")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]


def test_an_override_recorded_before_the_pair_completes_stands(assigned, people):
    """An administrator's override (record_score, with a reason) is not replaced by the
    pair's mean when the second evaluator scores later."""
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    services.record_score(a, "1.1", people["admin"], level="E", reason="감사원 지적으로 실적 인정 불가")
    evaluation.score_as_evaluator(a, "1.1", two, level="A", reason="충실")
    assert Score.objects.get(institution=a, indicator="1.1").level == "E"
    assert AuditEntry.objects.filter(action="effort.pair_completed").exists()


def test_a_tie_after_reconciliation_keeps_the_recorded_decision(year, assigned, people):
    """Voiding a conflicted evaluator's scores withdraws the pair's automatic mean, not a
    decision a person recorded with its reason."""
    a, one, two = assigned
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", two, level="E", reason="없음")
    evaluation.reconcile(a, "1.1", people["admin"], level="C", reason="현장 확인")
    evaluation.score_as_evaluator(a, "1.2", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.2", two, level="B", reason="우수")
    assignments.declare_tie(one, a, one, "뒤늦게 안 자문 관계")
    assert Score.objects.get(institution=a, indicator="1.1").level == "C"
    assert not Score.objects.filter(institution=a, indicator="1.2").exists()  # to be scored again


def test_removing_a_member_moves_their_institutions_to_others(year, people, panel):
    assignments.run_assignment(panel, people["admin"])
    with pytest.raises(services.EffortError, match="사유를 적어 주세요"):
        assignments.remove_member(panel, people["admin"], people["lee"], "")
    moved = assignments.remove_member(panel, people["admin"], people["lee"], "개인 사정으로 사퇴")
    assert moved >= 1
    assert not Assignment.objects.filter(user=people["lee"]).exists()
    for body in year.institutions.all():
        assert _pair(body) == ["kim", "park"]


def test_a_chair_does_not_reconcile_a_disagreement_they_are_part_of(assigned, people):
    a, one, two = assigned
    assert people["kim"] in (one, two)  # the only internal evaluator is on every pair
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", two, level="E", reason="없음")
    with pytest.raises(services.EffortError, match="자신이 평가한 지표는 조정할 수 없습니다"):
        evaluation.reconcile(a, "1.1", people["kim"], level="C", reason="중간")


def test_a_chair_outside_the_pair_reconciles(assigned, people, panel, django_user_model):
    a, one, two = assigned
    choi = _person(django_user_model, "choi", Role.EVALUATOR)
    assignments.add_member(panel, people["admin"], choi, "external", chair=True)
    evaluation.score_as_evaluator(a, "1.1", one, level="A", reason="충실")
    evaluation.score_as_evaluator(a, "1.1", two, level="E", reason="없음")
    evaluation.reconcile(a, "1.1", choi, level="C", reason="평가단장 조정: 증빙 일부 인정")
    assert Score.objects.get(institution=a, indicator="1.1").scored_by == choi
