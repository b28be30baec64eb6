"""The objection window (이의신청): administrators release a year's preliminary
청렴노력도 scores, institutions object per indicator until the deadline, the panel
decides each objection with a reason; an accepted objection changes the score through
``services.record_score`` (the one service that audits every score change, old -> new,
with its reason)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.model.effort import QUALITATIVE, SURVEY

from .models import Objection, ObjectionStatus, Release
from .services import EffortError, framework_of, record_score, score_of, survey_counts

MAX_REASON = 3000


def release_of(year) -> Release | None:
    return Release.objects.filter(year=year).first()


def default_deadline(year, today: date | None = None) -> date | None:
    """The model file's window (``effort.objection_days``) counted from ``today``."""
    framework = framework_of(year)
    return (today or timezone.localdate()) + timedelta(days=framework.objection_days) if framework else None


def window_open(year, today: date | None = None) -> bool:
    release = release_of(year)
    return release is not None and (today or timezone.localdate()) <= release.objection_deadline


@transaction.atomic
def release(year, actor, deadline: date | None = None, today: date | None = None) -> Release:
    """Release (or re-date) the year's preliminary scores; the objection deadline is the
    administrator's, else the model file's number of days from today."""
    if framework_of(year) is None:
        raise EffortError([f"{year} 측정모형에는 청렴노력도 평가가 없습니다"])
    today = today or timezone.localdate()
    deadline = deadline or default_deadline(year, today)
    if deadline < today:
        raise EffortError([f"이의신청 기한({deadline})이 오늘({today})보다 이릅니다"])
    before = release_of(year)
    old_deadline = before.objection_deadline if before else None
    made, _ = Release.objects.update_or_create(year=year, defaults={
        "objection_deadline": deadline, "released_by": actor,
        "released_at": before.released_at if before else timezone.now()})
    if before is None:
        record(actor, "effort.released", year, f"{year} 청렴노력도 잠정 점수 통보, 이의신청 기한 {deadline}",
               objection_deadline=str(deadline))
    else:
        record(actor, "effort.objection_deadline_set", year, f"{year} 청렴노력도 이의신청 기한: {old_deadline} -> {deadline}",
               before=str(old_deadline), after=str(deadline))
    return made


def has_responses(institution, indicator) -> bool:
    counts = survey_counts(institution.year, institution).get(institution.pk, {})
    return any(counts.get(code) for code in indicator.survey_items)


def objectable(indicator) -> bool:
    """Objections are about the panel's judgement: qualitative levels and survey scores.
    Quantitative and bonus points follow from the institution's own submitted figures."""
    return indicator.kind in (QUALITATIVE, SURVEY)


def _indicator(institution, code: str):
    framework = framework_of(institution.year)
    ind = next((i for i in framework.indicators if i.code == code), None) if framework else None
    if ind is None:
        raise EffortError([f"이 해의 청렴노력도 지표가 아닙니다 ({code[:32]})"])
    return ind


@transaction.atomic
def file_objection(institution, indicator_code: str, actor, reason: str, *, upload: tuple[str, bytes] | None = None,
                   today: date | None = None) -> Objection:
    """The institution's objection to one indicator's preliminary score, while the window is open."""
    from .evidence import add_file

    year = institution.year
    release = release_of(year)
    today = today or timezone.localdate()
    if release is None:
        raise EffortError([f"{year} 청렴노력도 잠정 점수가 아직 통보되지 않아 이의신청을 할 수 없습니다"])
    if today > release.objection_deadline:
        raise EffortError([f"이의신청 기한({release.objection_deadline})이 지났습니다. 기한 안에 낸 이의신청만 받습니다"])
    ind = _indicator(institution, indicator_code)
    if not objectable(ind):
        raise EffortError([f"{ind.code} {ind.name}: 정량·가점 지표는 제출한 실적 수치로 계산되어 이의신청 대상이 아닙니다"])
    existing = Objection.objects.filter(institution=institution, indicator=ind.code).first()
    if existing is not None:
        raise EffortError([f"{ind.code} {ind.name}: 이미 이의신청을 했습니다 (처리 결과: {existing.get_status_display()})"])
    reason = (reason or "").strip()
    if not reason:
        raise EffortError([f"{ind.code} {ind.name}: 이의신청 사유를 적어 주세요"])
    if len(reason) > MAX_REASON:
        raise EffortError([f"{ind.code} {ind.name}: 사유는 {MAX_REASON:,}자까지 쓸 수 있습니다 ({len(reason):,}자)"])
    score = score_of(institution)
    objection = Objection.objects.create(institution=institution, indicator=ind.code, reason=reason, filed_by=actor,
                                         points_before=score.indicators.get(ind.code) if score else None)
    record(actor, "effort.objection_filed", institution, f"{institution.name} {ind.code} {ind.name} 이의신청"[:300],
           indicator=ind.code, objection=objection.pk, reason=reason[:500])
    if upload is not None:
        add_file(institution, ind.code, upload[0], upload[1], actor, objection=objection)  # a refused file: nothing filed
    return objection


@transaction.atomic
def decide(objection: Objection, actor, *, accepted: bool, level: str = "", value: str = "", reason: str = "") -> Objection:
    """The panel's decision. Accepted: the indicator's new level (qualitative) or survey
    score, recorded through ``record_score`` with the decision's reason; rejected: the
    score stays. Either way the reason is required and shown to the institution."""
    objection = Objection.objects.select_for_update().select_related("institution__year").get(pk=objection.pk)
    institution = objection.institution
    ind = _indicator(institution, objection.indicator)
    reason = (reason or "").strip()
    problems = []
    if objection.status != ObjectionStatus.PENDING:
        problems.append(f"이미 결정한 이의신청입니다 ({objection.get_status_display()})")
    if not reason:
        problems.append("결정 사유를 적어 주세요")
    elif len(reason) > MAX_REASON:
        problems.append(f"결정 사유는 {MAX_REASON:,}자까지 쓸 수 있습니다 ({len(reason):,}자)")
    if accepted and ind.kind == SURVEY and has_responses(institution, ind):
        problems.append(f"{ind.code} {ind.name}: 직원 설문 응답으로 계산하는 점수라 인용해도 바꿀 수 없습니다. "
                        "응답 자료를 다시 확인하고 기각 사유를 적어 주세요")
    if problems:
        raise EffortError(problems)
    if accepted:
        record_score(institution, ind.code, actor, level=level, value=value, reason=f"이의신청 인용: {reason}")
    score = score_of(institution)
    objection.status = ObjectionStatus.ACCEPTED if accepted else ObjectionStatus.REJECTED
    objection.decision_reason = reason
    objection.points_after = score.indicators.get(ind.code) if score else None
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.save()
    record(actor, "effort.objection_decided", institution,
           f"{institution.name} {ind.code} 이의신청 {objection.get_status_display()}: {reason}"[:300],
           indicator=ind.code, objection=objection.pk, status=objection.status, reason=reason,
           before=objection.points_before, after=objection.points_after)
    return objection


def outcomes(institution_ids) -> dict[int, list[Objection]]:
    """Institution pk -> its objections (the report and the API show their outcome)."""
    out: dict[int, list[Objection]] = {}
    for o in Objection.objects.filter(institution_id__in=list(institution_ids)).order_by("indicator"):
        out.setdefault(o.institution_id, []).append(o)
    return out
