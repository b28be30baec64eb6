"""The evaluation panels: who is on which panel, their declared ties (이해충돌 신고), and
which two evaluators score which institution (the rule is integrity.effort.panels.assign).

``is_assigned`` is the one answer to "may this evaluator read this institution's report"
(its evidence files too)."""

from __future__ import annotations

from django.db import transaction

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of
from integrity.apps.audit.services import record
from integrity.effort.panels import AssignmentError, assign

from .models import Assignment, EvaluatorKind, EvaluatorScore, Panel, PanelMember, Score, Tie
from .services import EffortError


def is_assigned(user, institution) -> bool:
    """The user is an evaluator assigned to score this institution (and has no tie with it)."""
    if role_of(user) != Role.EVALUATOR or institution is None:
        return False
    return Assignment.objects.filter(user=user, institution=institution).exists() and \
        not Tie.objects.filter(user=user, institution=institution).exists()


def panel_of(institution) -> Panel | None:
    """The year's panel that covers the institution's type (at most one does)."""
    for panel in Panel.objects.filter(year_id=institution.year_id):
        if institution.type_code in panel.type_codes:
            return panel
    return None


def chairs(institution) -> set[int]:
    panel = panel_of(institution)
    return set(panel.members.filter(chair=True).values_list("user_id", flat=True)) if panel else set()


def institutions_of(panel):
    return panel.year.institutions.filter(type_code__in=panel.type_codes)


@transaction.atomic
def create_panel(year, actor, name: str, type_codes: list[str]) -> Panel:
    name = (name or "").strip()
    known = year.model.institution_types
    problems = [] if name else ["평가단 이름을 적어 주세요"]
    if len(name) > 100:
        problems.append("평가단 이름은 100자까지 쓸 수 있습니다")
    codes = list(dict.fromkeys(c for c in type_codes if c))
    if not codes:
        problems.append("평가단이 맡을 기관유형을 하나 이상 고르세요")
    problems += [f"이 연도의 측정모형에 없는 기관유형입니다 ({c[:40]})" for c in codes if c not in known]
    taken = {c: p.name for p in Panel.objects.filter(year=year) for c in p.type_codes}
    problems += [f"{known[c].name}: 이미 '{taken[c]}' 평가단이 맡고 있습니다" for c in codes if c in taken and c in known]
    if problems:
        raise EffortError(problems)
    panel = Panel.objects.create(year=year, name=name, type_codes=codes)
    record(actor, "effort.panel_created", panel, f"{year} 평가단 '{name}' 구성 ({', '.join(known[c].name for c in codes)})",
           type_codes=codes)
    return panel


@transaction.atomic
def add_member(panel, actor, user, kind: str, chair: bool = False) -> PanelMember:
    if user is None or role_of(user) != Role.EVALUATOR:
        raise EffortError(["평가위원 역할의 사용자만 평가단에 넣을 수 있습니다"])
    if kind not in EvaluatorKind.values:
        raise EffortError(["내부 또는 외부 평가위원인지 고르세요"])
    member, created = PanelMember.objects.update_or_create(panel=panel, user=user, defaults={"kind": kind, "chair": chair})
    record(actor, "effort.member_added" if created else "effort.member_changed", panel,
           f"평가단 '{panel.name}': {user.username} ({member.get_kind_display()}{', 평가단장' if chair else ''})",
           user=user.username, kind=kind, chair=chair)
    return member


@transaction.atomic
def run_assignment(panel, actor) -> dict:
    """Give every institution of the panel's types two evaluators (kept where already valid,
    topped up where not); nothing changes if any institution cannot get two."""
    bodies = list(institutions_of(panel).order_by("code"))
    members = {m.user_id: m.kind for m in panel.members.all()}
    ties = set(Tie.objects.filter(institution__in=bodies).values_list("user_id", "institution_id"))
    existing: dict[int, list[int]] = {}
    for inst_id, user_id in Assignment.objects.filter(panel=panel).values_list("institution_id", "user_id"):
        existing.setdefault(inst_id, []).append(user_id)
    try:
        wanted = assign([b.pk for b in bodies], members, ties, existing=existing, names={b.pk: b.name for b in bodies})
    except AssignmentError as exc:
        raise EffortError(exc.problems) from exc
    have = {(i, u) for i, users in existing.items() for u in users}
    want = {(i, u) for i, users in wanted.items() for u in users}
    for inst_id, user_id in have - want:  # no longer on the panel, or tied since
        _unassign(panel, inst_id, user_id, actor, "배정 다시 실행: 평가단에서 빠졌거나 이해충돌")
    Assignment.objects.bulk_create([Assignment(panel=panel, institution_id=i, user_id=u) for i, u in sorted(want - have)])
    record(actor, "effort.assigned", panel, f"평가단 '{panel.name}' 배정: 기관 {len(bodies)}곳, 새 배정 {len(want - have)}건",
           institutions=len(bodies), added=len(want - have), removed=len(have - want))
    return {"institutions": len(bodies), "added": len(want - have), "removed": len(have - want)}


def _unassign(panel, institution_id: int, user_id: int, actor, why: str) -> None:
    """Take an evaluator off an institution: their scores there no longer count, nor any
    decision made from them (the indicator is scored again by the replacement)."""
    Assignment.objects.filter(institution_id=institution_id, user_id=user_id).delete()
    voided = list(EvaluatorScore.objects.filter(institution_id=institution_id, user_id=user_id)
                  .values_list("indicator", "level"))
    if voided:
        EvaluatorScore.objects.filter(institution_id=institution_id, user_id=user_id).delete()
        # the pair's automatic mean goes with the score it came from; a decision a person
        # recorded with a reason (reconciliation, override, objection) stays on the record
        Score.objects.filter(institution_id=institution_id, indicator__in=[c for c, _ in voided],
                             scored_by__isnull=True).delete()
    from integrity.apps.registry.models import Institution

    body = Institution.objects.get(pk=institution_id)
    record(actor, "effort.unassigned", body, f"{body.name}: 평가위원 배정 해제 ({why})"[:300],
           user_id=user_id, voided=[{"indicator": c, "level": lv} for c, lv in voided], reason=why)


@transaction.atomic
def declare_tie(user, institution, actor, reason: str) -> Tie:
    """Record a tie (이해충돌 신고). If the evaluator was already assigned there, they come off
    it at once (their scores there void) and the panel finds another evaluator if it can."""
    reason = (reason or "").strip()
    if not reason:
        raise EffortError(["이해관계의 내용(사유)을 적어 주세요"])
    if len(reason) > 500:
        raise EffortError(["사유는 500자까지 쓸 수 있습니다"])
    if role_of(user) != Role.EVALUATOR:
        raise EffortError(["평가위원만 이해충돌을 신고합니다"])
    tie, created = Tie.objects.get_or_create(user=user, institution=institution, defaults={"reason": reason})
    if not created:
        raise EffortError([f"{institution.name}: 이미 이해충돌을 신고했습니다"])
    record(actor, "effort.tie_declared", institution, f"{institution.name}: {user.username} 이해충돌 신고"[:300],
           user=user.username, reason=reason)
    assignment = Assignment.objects.filter(user=user, institution=institution).select_related("panel").first()
    if assignment is not None:
        panel = assignment.panel
        _unassign(panel, institution.pk, user.pk, actor, f"이해충돌 신고: {reason}")
        _top_up(panel, institution, actor)
    return tie


def _top_up(panel, institution, actor) -> None:
    """Find a replacement for one institution; if none is free of conflict, the panel page
    shows it as short of evaluators."""
    members = {m.user_id: m.kind for m in panel.members.all()}
    ties = set(Tie.objects.filter(institution=institution).values_list("user_id", "institution_id"))
    load: dict[int, int] = {}
    for user_id in Assignment.objects.filter(panel=panel).exclude(institution=institution).values_list("user_id", flat=True):
        load[user_id] = load.get(user_id, 0) + 1
    current = list(Assignment.objects.filter(institution=institution).values_list("user_id", flat=True))
    try:
        wanted = assign([institution.pk], members, ties, existing={institution.pk: current}, load=load)
    except AssignmentError:
        return
    for user_id in set(wanted[institution.pk]) - set(current):
        Assignment.objects.create(panel=panel, institution=institution, user_id=user_id)
        record(actor, "effort.assigned", institution, f"{institution.name}: 평가위원 다시 배정 (이해충돌로 교체)",
               user_id=user_id)


@transaction.atomic
def remove_member(panel, actor, user, reason: str) -> int:
    """Take an evaluator off a panel: off every institution of it (as if unassigned), each
    then given a replacement free of conflict if the panel has one."""
    reason = (reason or "").strip()
    if not reason:
        raise EffortError(["평가단에서 빼는 사유를 적어 주세요"])
    member = PanelMember.objects.filter(panel=panel, user=user).first()
    if member is None:
        raise EffortError(["이 평가단의 평가위원이 아닙니다"])
    member.delete()
    bodies = list(Assignment.objects.filter(panel=panel, user=user).select_related("institution"))
    for a in bodies:
        _unassign(panel, a.institution_id, user.pk, actor, f"평가단에서 빠짐: {reason}")
        _top_up(panel, a.institution, actor)
    record(actor, "effort.member_removed", panel, f"평가단 '{panel.name}': {user.username} 빠짐 ({reason})"[:300],
           user=user.username, reason=reason, institutions=len(bodies))
    return len(bodies)


def shortfalls(panel) -> list:
    """The panel's institutions with fewer than two evaluators."""
    counts: dict[int, int] = {}
    for inst_id in Assignment.objects.filter(panel=panel).values_list("institution_id", flat=True):
        counts[inst_id] = counts.get(inst_id, 0) + 1
    return [b for b in institutions_of(panel).order_by("code") if counts.get(b.pk, 0) < 2]
