"""The demo's institution programme (seeds 003, 004): the demo liaison's institution with
targets on the published measures, a plan of 3 strategies, 6 core tasks and 15 sub-tasks
in the seeds' words, some progress and one overdue task. Deadlines are set around the
day the demo is made, so that the dashboard shows tasks due, done and one late."""

from __future__ import annotations

import math
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from integrity.programme.targets import GRADE, SCORE, actual, measures

from . import readings, services
from .models import Strategy, Target

# (strategy, [(core task, [(sub-task, owner, field, days to deadline, progress, status), ...]), ...])
PLAN = [
    ("반부패·청렴제도의 내재화", [
        ("기관장 주관의 청렴 리더십 강화", [
            ("기관장 청렴 메시지 전달", "감사실", "", -60, 100, "done"),
            ("간부공무원 청렴서약", "감사실", "", -30, 100, "done"),
            ("청렴 추진기획단 보고회 개최(반기)", "기획예산과", "", 45, 50, "in_progress"),
        ]),
        ("청탁금지제도 운영 내실화", [
            ("부정청탁 신고·등록 사후관리", "감사실", "", 120, 40, "in_progress"),
            ("청탁금지법 상담창구 운영", "감사실", "", 150, 20, "in_progress"),
        ]),
    ]),
    ("부패 취약 분야 집중 개선 및 청렴 역량 강화", [
        ("부패 취약 분야 자체감사·내부통제 확충", [
            ("계약·공사 분야 자체감사", "감사실", "계약·공사", -14, 40, "in_progress"),  # the overdue one
            ("민간위탁·보조사업 정산 점검", "회계과", "민간위탁·보조사업", 60, 30, "in_progress"),
            ("인·허가 처리 실태 점검", "건축과", "인·허가", 90, 0, "planned"),
        ]),
        ("공정하고 투명한 인사 운영체계 마련", [
            ("인사 운영 기준 사전 공개", "총무과", "인사", 30, 70, "in_progress"),
            ("승진·전보 결과 설명회", "총무과", "인사", 100, 0, "planned"),
        ]),
    ]),
    ("청렴 정책의 조직 내 확산 및 정착", [
        ("시민 참여로 행정 투명성 제고", [
            ("시민감사관 참여 확대", "감사실", "", 75, 25, "in_progress"),
            ("청렴신문고 운영·신고자 보호 강화", "감사실", "", 40, 60, "in_progress"),
        ]),
        ("소통 중심의 청렴문화 확산", [
            ("공연형 청렴교육(청렴 콘서트)", "총무과", "", 20, 80, "in_progress"),
            ("부서별 청렴시책 성과 공유", "기획예산과", "", 160, 0, "planned"),
            ("갑질 예방 교육", "총무과", "", 130, 10, "in_progress"),
        ]),
    ]),
]


def demo_programme(body) -> dict:
    """Targets and a plan for ``body`` in its year; counts for the demo's line."""
    code, year = body.code, body.year.year
    nobody = AnonymousUser()
    today = timezone.localdate()
    if Strategy.objects.filter(institution_code=code, year=year).exists():
        return _counts(code, year)
    with transaction.atomic():
        _targets(code, year, nobody)
        weakest = (readings.diagnosis_of(code, year).get("weak_items") or [None])[0]
        for strategy_title, cores in PLAN:
            strategy = services.add_strategy(code, year, strategy_title, nobody)
            for core_title, subs in cores:
                core = services.add_core_task(strategy, core_title, nobody)
                for title, owner, field, days, progress, status in subs:
                    sub = services.add_sub_task(core, nobody, title=title, owner=owner, field=field,
                                                deadline=today + timedelta(days=days), status=status,
                                                kpi_name="추진 실적", kpi_target=100, kpi_unit="%")
                    if progress:
                        services.add_progress(sub, nobody, reported_on=today - timedelta(days=7), progress=progress,
                                              narrative=f"{title}: 계획대로 추진 중", kpi_value=progress)
        if weakest is not None:  # the diagnosis feeds the plan: the audit task names the weakest item as its source
            sub = Strategy.objects.get(institution_code=code, year=year, title=PLAN[1][0]).core_tasks.first().sub_tasks.first()
            sub.source = f"{year}년 진단: {weakest.name}"
            sub.save(update_fields=["source"])
    return _counts(code, year)


def _targets(code: str, year: int, user) -> None:
    """The seeds' targets: the top grade overall (and on each graded part), and scores a
    little below and above the published result on the surveys."""
    model = readings.model_for(year)
    result = readings.result_values(readings.result_of(readings.published_run(year), code))
    all_measures = measures(model, items=False)
    for m in all_measures:
        if m.gradable:
            services.set_target(code, year, model, m.code, GRADE, 1, "", user)
    surveys = [m for m in all_measures if not m.gradable and m.code in {s.code for s in model.surveys}]
    for offset, m in zip((-0.2, 0.3), surveys):
        now = actual(model, m.code, SCORE, result)
        if now is not None:
            value = min(model.scale_max, max(model.scale_min, math.floor((now + offset) * 10) / 10))
            services.set_target(code, year, model, m.code, SCORE, value, "", user)


def _counts(code: str, year: int) -> dict:
    tree = readings.plan_tree(code, year)
    return {"targets": Target.objects.filter(institution_code=code, year=year).count(), "strategies": len(tree),
            "cores": sum(len(n["cores"]) for n in tree), "subs": sum(n["rollup"].tasks for n in tree),
            "overdue": sum(n["rollup"].overdue for n in tree)}
