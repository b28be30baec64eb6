"""A generated year's 청렴노력도: every body's performance report, submitted, and the
panel's scores, so that the demo (and a generated 2022+ year in tests and the benchmark)
scores end to end. Each body's results are drawn around the effort score the generator
gave it (the institutions frame's input column), so the totals keep the generator's shape."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.model.effort import BONUS, LINEAR, QUALITATIVE, QUANTITATIVE, SURVEY, Indicator

from .models import Deadline, Report, Score, Status, Submission

NOISE = 0.08  # spread of an indicator's share around the body's overall share
REASON = "데모: 실적보고서 서면평가"


def _figure(ind: Indicator, share: float, rng) -> float | None:
    if ind.kind == QUANTITATIVE and ind.rule == LINEAR:
        return round(ind.floor + (ind.target - ind.floor) * share, 1)
    if ind.kind == QUANTITATIVE:
        wanted = share * ind.points  # the lowest band that reaches it, else the top band
        return next((at for at, points in ind.thresholds if points >= wanted), ind.thresholds[-1][0])
    if ind.kind == BONUS:
        return float(rng.poisson(1.5 * share))
    return None


def _level(ind: Indicator, share: float) -> str:
    return min(ind.levels, key=lambda lv: abs(lv.points - share * ind.points)).code


@transaction.atomic
def load_demo_effort(year, bodies: dict, targets: dict[str, float], *, seed: int = 2022) -> dict:
    """``bodies``: code -> Institution; ``targets``: code -> the generated effort (0..100).
    Also moves the submission deadline a month ahead, so the demo's liaison can try the form
    (after an administrator returns the report)."""
    framework = year.model.effort
    if framework is None:
        return {"bodies": 0}
    rng = np.random.default_rng(seed)
    now = timezone.now()
    reports, scores, submissions = [], [], []
    for code, body in sorted(bodies.items()):
        base = float(targets.get(code) or 80.0) / framework.total
        for ind in framework.indicators:
            share = float(np.clip(base + rng.normal(0, NOISE), 0, 1))
            if ind.kind == SURVEY:
                scores.append(Score(institution=body, indicator=ind.code, value=round(100 * share, 1), reason=REASON))
                continue
            if ind.kind == QUALITATIVE:
                scores.append(Score(institution=body, indicator=ind.code, level=_level(ind, share), reason=REASON))
            reports.append(Report(institution=body, indicator=ind.code, figure=_figure(ind, share, rng),
                                  narrative=f"{ind.name}: 평가 기간의 추진 실적(데모)"))
        submissions.append(Submission(institution=body, status=Status.SUBMITTED, submitted_at=now))
    Report.objects.bulk_create(reports, batch_size=2000)
    Score.objects.bulk_create(scores, batch_size=2000)
    Submission.objects.bulk_create(submissions, batch_size=2000)
    made = list(Submission.objects.filter(institution__year=year).order_by("pk"))
    for submission in made:
        submission.receipt = f"EF{year.year}-{submission.pk:05d}"
    Submission.objects.bulk_update(made, ["receipt"], batch_size=2000)
    Deadline.objects.update_or_create(year=year, defaults={"submission_deadline": timezone.localdate() + timedelta(days=30)})
    record(None, "effort.demo_loaded", year, f"{year} 청렴노력도 데모: 기관 {len(made)}곳 실적 제출·평가",
           reports=len(reports), scores=len(scores))
    return {"bodies": len(made), "reports": len(reports), "scores": len(scores)}


OBJECTION_REASON = ("제출한 증빙(개선과제 추진 결과 보고서 3쪽)에 과제별 효과가 수치로 나와 있는데 평가에 반영되지 않았습니다. "
                    "다시 검토해 주시기 바랍니다.")
ACCEPTED_REASON = "증빙을 다시 확인한 결과 개선과제의 효과가 수치로 확인되어 한 단계 올립니다."
REJECTED_REASON = "제출한 자료는 평가 기간 밖(2022년 8월)의 실적이라 반영할 수 없습니다. 평가를 유지합니다."


def _step_up(ind: Indicator, points: float | None) -> str | None:
    """The level just above the indicator's current points (a level chosen, or a panel's mean)."""
    above = [lv for lv in ind.levels if points is not None and lv.points > points + 1e-9]
    return min(above, key=lambda lv: lv.points).code if above else None


def demo_objections(year, bodies: list) -> dict:
    """The demo's objection window: preliminary scores released (deadline a week ahead,
    so the demo's liaison can still object), and two objections decided by the panel, one
    accepted (the level one step up) and one rejected, each with its reason."""
    from . import objections
    from .services import score_of

    framework = year.model.effort
    if framework is None or len(bodies) < 2:
        return {"objections": 0}
    today = timezone.localdate()
    objections.release(year, None, today + timedelta(days=framework.objection_days), today=today)
    qualitative = [i for i in framework.indicators if i.kind == QUALITATIVE]
    decided = []
    for body, accepted in ((bodies[0], True), (bodies[1], False)):
        points = score_of(body).indicators
        ind = next((i for i in qualitative if _step_up(i, points.get(i.code))), qualitative[0])
        filed = objections.file_objection(body, ind.code, None, OBJECTION_REASON, today=today)
        new_level = _step_up(ind, points.get(ind.code)) or ""
        decided.append(objections.decide(filed, None, accepted=accepted, level=new_level,
                                         reason=ACCEPTED_REASON if accepted else REJECTED_REASON))
    return {"objections": len(decided), "accepted": sum(o.status == "accepted" for o in decided)}
