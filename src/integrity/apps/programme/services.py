"""Every change to a programme goes through here (one transaction each, audited)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from integrity.apps.audit.services import record
from integrity.apps.incidents import evidence_store
from integrity.apps.rosters.services import cipher
from integrity.incidents.evidence import check_evidence
from integrity.programme import plan as rules
from integrity.programme.targets import check_target

from .models import CoreTask, ProgressReport, Strategy, SubTask, Target


class ProgrammeError(ValueError):
    """A change refused, with the Korean reason."""


def set_target(code: str, year: int, model, measure: str, kind: str, value: float, note: str, user) -> Target:
    problem = check_target(model, measure, kind, value)
    if problem:
        raise ProgrammeError(problem)
    with transaction.atomic():
        target, created = Target.objects.update_or_create(
            institution_code=code, year=year, measure=measure, kind=kind,
            defaults={"value": value, "note": note[:200], "updated_by": user if user.is_authenticated else None})
        record(user, "programme.target_set", target, f"{code} {year}년 목표 {measure} {kind} {value:g}",
               created=created)
    return target


def delete_target(target: Target, user) -> None:
    with transaction.atomic():
        record(user, "programme.target_deleted", target, f"{target.institution_code} {target.year}년 목표 삭제 {target.measure}")
        target.delete()


def add_strategy(code: str, year: int, title: str, user) -> Strategy:
    title = _required(title, _("추진 전략"))
    with transaction.atomic():
        order = Strategy.objects.filter(institution_code=code, year=year).count() + 1
        strategy = Strategy.objects.create(institution_code=code, year=year, order=order, title=title)
        record(user, "programme.strategy_added", strategy, f"{code} {year}년 추진 전략 '{title}'")
    return strategy


def add_core_task(strategy: Strategy, title: str, user) -> CoreTask:
    title = _required(title, _("핵심과제"))
    with transaction.atomic():
        core = CoreTask.objects.create(strategy=strategy, order=strategy.core_tasks.count() + 1, title=title)
        record(user, "programme.core_task_added", core, f"{strategy.institution_code} {strategy.year}년 핵심과제 '{title}'")
    return core


SUB_TASK_FIELDS = ("title", "description", "owner", "field", "deadline", "kpi_name", "kpi_target", "kpi_unit", "status",
                   "source")


def add_sub_task(core: CoreTask, user, **values) -> SubTask:
    values["title"] = _required(values.get("title", ""), _("세부과제"))
    with transaction.atomic():
        sub = SubTask.objects.create(core_task=core, order=core.sub_tasks.count() + 1,
                                     **{k: v for k, v in values.items() if k in SUB_TASK_FIELDS})
        record(user, "programme.sub_task_added", sub, f"{core.strategy.institution_code} {core.strategy.year}년 세부과제 '{sub.title}'")
    return sub


def update_sub_task(sub: SubTask, user, **values) -> SubTask:
    values["title"] = _required(values.get("title", ""), _("세부과제"))
    with transaction.atomic():
        for key, value in values.items():
            if key in SUB_TASK_FIELDS:
                setattr(sub, key, value)
        sub.save()
        record(user, "programme.sub_task_changed", sub, f"세부과제 '{sub.title}' 수정 ({sub.get_status_display()})")
    return sub


def add_progress(sub: SubTask, user, *, reported_on: date, progress: int, narrative: str, kpi_value: float | None = None,
                 evidence: tuple[str, bytes] | None = None) -> ProgressReport:
    """A progress report; its evidence file (name, bytes) is checked by type and stored
    encrypted. The sub-task's progress becomes the latest report's."""
    if not 0 <= progress <= 100:
        raise ProgrammeError(_("진척률은 0부터 100 사이로 적으세요"))
    narrative = _required(narrative, _("추진 내용"), limit=None)
    stored, accepted = "", None
    if evidence is not None:
        accepted = check_evidence(evidence[0], evidence[1], settings.INTEGRITY_EVIDENCE_MAX_BYTES)
        stored = evidence_store.save(evidence[1])
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                sub_task=sub, reported_on=reported_on, progress=progress, narrative=narrative, kpi_value=kpi_value,
                evidence_stored=stored, evidence_name_enc=cipher().encrypt(accepted.name) if accepted else None,
                evidence_type=accepted.kind if accepted else "", evidence_size=len(evidence[1]) if evidence else None,
                created_by=user if user.is_authenticated else None)
            latest = sub.reports.order_by("-reported_on", "-pk").first()
            sub.progress = latest.progress
            if sub.status == rules.PLANNED and progress > 0:
                sub.status = rules.IN_PROGRESS
            sub.save(update_fields=["progress", "status"])
            record(user, "programme.progress_reported", report, f"세부과제 '{sub.title}' 진척 {progress}%",
                   evidence=bool(stored))
    except Exception:
        if stored:
            evidence_store.remove(stored)  # no file without its row
        raise
    return report


def evidence_name(report: ProgressReport) -> str:
    return (cipher().decrypt(report.evidence_name_enc) or _("증빙")) if report.evidence_name_enc else ""


def plan_of(code: str, year: int):
    return Strategy.objects.filter(institution_code=code, year=year).prefetch_related("core_tasks__sub_tasks")


def copy_from_last_year(code: str, year: int, user) -> int:
    """Last year's plan into this year: the same tree, deadlines a year later, progress
    and reports cleared, every task planned again. Refused when this year has a plan.
    The number of sub-tasks copied."""
    source = list(plan_of(code, year - 1))
    if not source:
        raise ProgrammeError(_("%(year)d년 계획이 없어 가져올 수 없습니다") % {"year": year - 1})
    copied = 0
    with transaction.atomic():
        if Strategy.objects.select_for_update().filter(institution_code=code, year=year).exists():
            raise ProgrammeError(_("올해 계획이 이미 있습니다. 지난해 계획은 빈 계획에만 가져올 수 있습니다"))
        for strategy in source:
            new_strategy = Strategy.objects.create(institution_code=code, year=year, order=strategy.order, title=strategy.title)
            for core in strategy.core_tasks.all():
                new_core = CoreTask.objects.create(strategy=new_strategy, order=core.order, title=core.title)
                SubTask.objects.bulk_create([SubTask(
                    core_task=new_core, order=s.order, title=s.title, description=s.description, owner=s.owner,
                    field=s.field, deadline=rules.next_year(s.deadline), kpi_name=s.kpi_name, kpi_target=s.kpi_target,
                    kpi_unit=s.kpi_unit, source=s.source, status=rules.PLANNED, progress=0) for s in core.sub_tasks.all()])
                copied += core.sub_tasks.count()
        record(user, "programme.plan_copied", "programme.Strategy", f"{code} {year - 1}년 계획을 {year}년으로 복사 (세부과제 {copied}개)",
               institution=code, year=year)
    return copied


def import_plan(code: str, year: int, rows, user) -> int:
    """A plan read from a workbook (integrity.programme.plan_file) into an empty plan, all
    or nothing; the number of sub-tasks made."""
    with transaction.atomic():
        if Strategy.objects.select_for_update().filter(institution_code=code, year=year).exists():
            raise ProgrammeError(_("올해 계획이 이미 있습니다. 파일은 빈 계획에만 가져올 수 있습니다"))
        strategies, cores = {}, {}
        for row in rows:
            if row.strategy not in strategies:
                strategies[row.strategy] = Strategy.objects.create(institution_code=code, year=year,
                                                                   order=len(strategies) + 1, title=row.strategy)
            key = (row.strategy, row.core)
            if key not in cores:
                strategy = strategies[row.strategy]
                cores[key] = CoreTask.objects.create(strategy=strategy, order=strategy.core_tasks.count() + 1, title=row.core)
            core = cores[key]
            SubTask.objects.create(core_task=core, order=core.sub_tasks.count() + 1, title=row.title, owner=row.owner,
                                   field=row.field, deadline=row.deadline, kpi_name=row.kpi_name,
                                   kpi_target=row.kpi_target, kpi_unit=row.kpi_unit)
        record(user, "programme.plan_imported", "programme.Strategy",
               f"{code} {year}년 계획을 파일에서 가져옴 (전략 {len(strategies)}, 핵심과제 {len(cores)}, 세부과제 {len(rows)})",
               institution=code, year=year)
    return len(rows)


def inbox_core_task(code: str, year: int, strategy_title: str, core_title: str, user) -> CoreTask:
    """The core task new tasks from outside the plan land in (diagnosis, citizen auditors),
    made with its strategy the first time."""
    strategy = Strategy.objects.filter(institution_code=code, year=year, title=strategy_title).first() \
        or add_strategy(code, year, strategy_title, user)
    return strategy.core_tasks.filter(title=core_title).first() or add_core_task(strategy, core_title, user)


def add_task_from_finding(institution_code: str, year: int, title: str, description: str = "", field: str = "",
                          source_label: str = "", *, user=None, core_task: CoreTask | None = None) -> SubTask:
    """A citizen auditor's finding (or any finding from outside the plan) as a plan sub-task
    of the institution's year: under ``core_task`` if given, else under the core task
    "시민감사관 지적 사항" of the strategy "지적 사항 개선" (made when missing)."""
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    with transaction.atomic():
        core = core_task or inbox_core_task(institution_code, year, _("지적 사항 개선"), _("시민감사관 지적 사항"), user)
        return add_sub_task(core, user, title=title[:200], description=description, field=field[:100],
                            source=(source_label or _("시민감사관 지적"))[:200])


def _required(value: str, label: str, limit: int | None = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise ProgrammeError(_("%(field)s을(를) 적으세요") % {"field": label})
    return value[:limit] if limit else value


def forget_evidence(sender, instance: ProgressReport, **kwargs) -> None:
    """post_delete (a report, or its plan deleted in the admin): the encrypted file goes
    once the deletion is committed."""
    if instance.evidence_stored:
        name = instance.evidence_stored
        transaction.on_commit(lambda: evidence_store.remove(name))
