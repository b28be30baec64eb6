"""Two evaluators score each qualitative indicator of an institution independently; their
pair decides the indicator's ``Score`` (the one the scoring run reads): the mean within
the model's reconciliation gap, else reconciliation (조정) by an administrator or the
panel's chair. On-site verification notes (현장 확인). Every change is audited with its
reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of
from integrity.apps.audit.services import record
from integrity.effort.panels import decide_pair
from integrity.model.effort import QUALITATIVE

from .assignments import chairs, is_assigned
from .models import Assignment, EvaluatorScore, Score, SiteNote, Status, Submission, Tie
from .services import EffortError, framework_of, submission_of


def _qualitative(institution, code: str):
    framework = framework_of(institution.year)
    ind = next((i for i in framework.indicators if i.code == code), None) if framework else None
    if ind is None or ind.kind != QUALITATIVE:
        raise EffortError([f"평가위원이 평가하는 정성 지표가 아닙니다 ({code[:32]})"])
    return framework, ind


def _reason(ind, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise EffortError([f"{ind.code} {ind.name}: 평가 사유를 적어 주세요"])
    if len(reason) > 2000:
        raise EffortError([f"{ind.code} {ind.name}: 사유는 2,000자까지 쓸 수 있습니다"])
    return reason


def pair_of(institution, code: str) -> list[EvaluatorScore]:
    """The scores of the evaluators assigned now (an evaluator taken off no longer counts)."""
    assigned = Assignment.objects.filter(institution=institution).values_list("user_id", flat=True)
    return list(EvaluatorScore.objects.filter(institution=institution, indicator=code, user_id__in=assigned))


@transaction.atomic
def score_as_evaluator(institution, code: str, user, *, level: str, reason: str) -> EvaluatorScore:
    """An assigned evaluator's own level. It may change until the other has scored too;
    from then on the pair decides and only reconciliation or an override changes it."""
    framework, ind = _qualitative(institution, code)
    if not is_assigned(user, institution) or Tie.objects.filter(user=user, institution=institution).exists():
        raise EffortError(["이 기관에 배정된 평가위원이 아니거나 이해충돌을 신고한 기관입니다"])
    if submission_of(institution).status != Status.SUBMITTED:
        raise EffortError(["제출되지 않은 실적은 평가할 수 없습니다"])
    chosen = ind.level(level or "")
    if chosen is None:
        raise EffortError([f"{ind.code} {ind.name}: 평가 수준을 고르세요"])
    reason = _reason(ind, reason)
    # one evaluator at a time per institution, so two scores given at once still meet and decide
    Submission.objects.select_for_update().filter(institution=institution).first()
    pair = {s.user_id: s for s in pair_of(institution, ind.code)}
    mine = pair.get(user.pk)
    if mine is not None and len(pair) >= 2:
        raise EffortError([f"{ind.code} {ind.name}: 두 평가위원이 모두 평가해 더 고칠 수 없습니다 (조정은 관리자·평가단장이 합니다)"])
    before = {"level": mine.level, "reason": mine.reason} if mine else None
    saved, _ = EvaluatorScore.objects.update_or_create(institution=institution, indicator=ind.code, user=user,
                                                       defaults={"level": chosen.code, "reason": reason})
    record(user, "effort.evaluator_scored", institution,
           f"{institution.name} {ind.code} {ind.name}: 평가위원 {user.username} {chosen.name}"[:300],
           indicator=ind.code, before=before, after={"level": chosen.code}, reason=reason)
    pair[user.pk] = saved
    if len(pair) >= 2:
        _decide(institution, framework, ind, list(pair.values()), user)
    return saved


def _decide(institution, framework, ind, pair, actor) -> None:
    first, second = sorted(pair, key=lambda s: s.user_id)[:2]
    a, b = ind.level(first.level), ind.level(second.level)
    outcome = decide_pair(a.points, b.points, framework.gap_points(ind))
    old = Score.objects.select_for_update().filter(institution=institution, indicator=ind.code).first()
    before = {"level": old.level, "value": old.value} if old else None
    if old is not None and old.scored_by_id is not None:
        # a person already decided this indicator on the record (an override): it stands
        record(actor, "effort.pair_completed", institution,
               f"{institution.name} {ind.code}: 두 평가 완료({a.name}, {b.name}), 먼저 기록된 결정 유지"[:300],
               indicator=ind.code, levels=[a.code, b.code], reason="관리자가 먼저 결정한 점수 유지")
        return
    if outcome.reconcile:
        if old is not None:
            old.delete()
        record(actor, "effort.to_reconciliation", institution,
               f"{institution.name} {ind.code}: 두 평가 차이 {outcome.difference:g}점 > 허용 {framework.gap_points(ind):g}점, 조정 대상"[:300],
               indicator=ind.code, before=before, after=None, levels=[a.code, b.code],
               reason="두 평가위원의 점수 차이가 허용 범위를 넘음")
        return
    level, value = (a.code, None) if a.code == b.code else ("", outcome.points)
    why = f"두 평가위원 평균: {a.name} {a.points:g}점, {b.name} {b.points:g}점"
    Score.objects.update_or_create(institution=institution, indicator=ind.code,
                                   defaults={"level": level, "value": value, "reason": why, "scored_by": None})
    record(actor, "effort.decided", institution, f"{institution.name} {ind.code} {ind.name}: {outcome.points:g}점 ({why})"[:300],
           indicator=ind.code, before=before, after={"level": level, "value": value}, reason=why)


def may_reconcile(user, institution) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.EVALUATOR and user.pk in chairs(institution) and \
        not Tie.objects.filter(user=user, institution=institution).exists()


@transaction.atomic
def reconcile(institution, code: str, actor, *, level: str, reason: str) -> Score:
    """The decided level of an indicator whose two scores differ beyond the gap (조정)."""
    framework, ind = _qualitative(institution, code)
    if not may_reconcile(actor, institution):
        raise EffortError(["조정은 관리자나 이 기관을 맡은 평가단의 평가단장만 합니다"])
    pair = pair_of(institution, ind.code)
    if len(pair) < 2:
        raise EffortError([f"{ind.code} {ind.name}: 두 평가위원이 모두 평가한 뒤에 조정합니다"])
    if role_of(actor) != Role.ADMIN and actor.pk in {s.user_id for s in pair}:
        raise EffortError([f"{ind.code} {ind.name}: 자신이 평가한 지표는 조정할 수 없습니다 (관리자가 조정합니다)"])
    chosen = ind.level(level or "")
    if chosen is None:
        raise EffortError([f"{ind.code} {ind.name}: 조정할 수준을 고르세요"])
    reason = _reason(ind, reason)
    old = Score.objects.select_for_update().filter(institution=institution, indicator=ind.code).first()
    before = {"level": old.level, "value": old.value} if old else None
    score, _ = Score.objects.update_or_create(institution=institution, indicator=ind.code,
                                              defaults={"level": chosen.code, "value": None, "reason": reason,
                                                        "scored_by": actor})
    record(actor, "effort.reconciled", institution, f"{institution.name} {ind.code} {ind.name}: 조정 {chosen.name}"[:300],
           indicator=ind.code, before=before, after={"level": chosen.code, "value": None},
           levels=sorted(s.level for s in pair), reason=reason)
    return score


@dataclass
class QueueItem:
    institution: object
    indicator: object
    scores: list  # the two EvaluatorScores
    difference: float


def reconciliation_queue(year, institutions=None) -> list[QueueItem]:
    """Indicators whose two scores differ beyond the gap and that are not decided yet, in a
    fixed number of queries (a year's scores read as tuples; only the queue's rows as
    objects). ``institutions``: only these (a chair's panel)."""
    framework = framework_of(year)
    if framework is None:
        return []
    scores = EvaluatorScore.objects.filter(institution__year=year)
    if institutions is not None:
        scores = scores.filter(institution__in=institutions)
    assigned = set(Assignment.objects.filter(institution__year=year).values_list("institution_id", "user_id"))
    decided = set(Score.objects.filter(institution__year=year).values_list("institution_id", "indicator"))
    qualitative = {i.code: i for i in framework.indicators if i.kind == QUALITATIVE}
    pairs: dict[tuple[int, str], list] = {}
    for pk, inst_id, code, user_id, level in scores.values_list("pk", "institution_id", "indicator", "user_id", "level"):
        if (inst_id, user_id) in assigned and code in qualitative and (inst_id, code) not in decided:
            pairs.setdefault((inst_id, code), []).append((pk, level))
    waiting: dict[int, float] = {}
    for (_inst_id, code), pair in pairs.items():
        if len(pair) < 2:
            continue
        ind = qualitative[code]
        a, b = (ind.level(level) for _pk, level in pair[:2])
        if a is None or b is None:
            continue
        outcome = decide_pair(a.points, b.points, framework.gap_points(ind))
        if outcome.reconcile:
            for pk, _level in pair[:2]:
                waiting[pk] = outcome.difference
    grouped: dict[tuple[int, str], list] = {}
    for s in EvaluatorScore.objects.filter(pk__in=list(waiting)).select_related("institution", "user"):
        grouped.setdefault((s.institution_id, s.indicator), []).append(s)
    items = [QueueItem(pair[0].institution, qualitative[code], sorted(pair, key=lambda s: s.user_id), waiting[pair[0].pk])
             for (_inst_id, code), pair in grouped.items()]
    return sorted(items, key=lambda i: (i.institution.code, i.indicator.code))


@transaction.atomic
def add_note(institution, actor, *, indicator: str, visited_on: str, text: str) -> SiteNote:
    """An on-site verification note by an administrator or an evaluator assigned there."""
    if role_of(actor) != Role.ADMIN and not is_assigned(actor, institution):
        raise EffortError(["이 기관에 배정된 평가위원이나 관리자만 현장 확인을 기록합니다"])
    framework = framework_of(institution.year)
    problems = []
    codes = {i.code for i in framework.indicators} if framework else set()
    if indicator and indicator not in codes:
        problems.append(f"없는 지표입니다 ({indicator[:32]})")
    try:
        day = date.fromisoformat(visited_on or "")
    except ValueError:
        problems.append("확인 일자는 YYYY-MM-DD 날짜로 적어 주세요")
        day = None
    text = (text or "").strip()
    if not text:
        problems.append("현장에서 확인한 내용을 적어 주세요")
    elif len(text) > 3000:
        problems.append("확인 내용은 3,000자까지 쓸 수 있습니다")
    if problems:
        raise EffortError(problems)
    note = SiteNote.objects.create(institution=institution, indicator=indicator, visited_on=day, text=text, author=actor)
    record(actor, "effort.site_note", institution, f"{institution.name} 현장 확인 {day} {indicator}".strip()[:300],
           indicator=indicator, note=note.pk)
    return note
