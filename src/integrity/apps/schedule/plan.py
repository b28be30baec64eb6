"""A year's schedule in the database: created from the default plan (integrity.schedule
plans.yaml), then the administrators' to edit; every form's due date read from it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.rosters.forms import load_forms
from integrity.schedule import PHASES, load_plan

from .models import Extension, FormDeadline, Phase


def today() -> dt.date:
    """The date in Korea (settings.TIME_ZONE): the day a deadline is counted in."""
    return timezone.localdate()


def submission_forms() -> list[str]:
    """Every form an institution may owe (the registry's own sheets are not submissions)."""
    return [code for code in load_forms() if not code.startswith("registry_")]


def reminder_days() -> tuple[int, ...]:
    """Days before a due date when reminders go out: the setting, else the plan file."""
    days = getattr(settings, "INTEGRITY_REMINDER_DAYS", None)
    return tuple(sorted(set(days), reverse=True)) if days else load_plan(2017).reminder_days


@transaction.atomic
def create_schedule(year: AssessmentYear, actor=None) -> list[Phase]:
    """The default phases and due dates for ``year``; what already exists is kept
    (an administrator's edits are never overwritten)."""
    plan = load_plan(year.year).with_roster_due(year.model.fieldwork.roster_due)
    made = 0
    for kind in PHASES:
        starts, ends = plan.phases[kind]
        _, created = Phase.objects.get_or_create(year=year, kind=kind, defaults={"starts": starts, "ends": ends})
        made += created
    for code in submission_forms():
        _, created = FormDeadline.objects.get_or_create(year=year, form_code=code, defaults={"due": plan.due(code)})
        made += created
    if made:
        record(actor, "schedule.created", year, f"{year} 일정: 기본 일정에서 {made}개 날짜를 만듦")
    return list(year.phases.all())


def phases_of(year: AssessmentYear | None) -> list[Phase]:
    return list(year.phases.all()) if year else []


def due_dates(year: AssessmentYear) -> dict[str, dt.date]:
    """form -> due date; a form without its own date is due when roster submission ends."""
    dues = dict(year.form_deadlines.values_list("form_code", "due"))
    rosters = year.phases.filter(kind="rosters").values_list("ends", flat=True).first()
    if rosters:
        for code in submission_forms():
            dues.setdefault(code, rosters)
    return dues


def extensions_of(institutions) -> dict[tuple[int, str], Extension]:
    return {(e.institution_id, e.form_code): e for e in Extension.objects.filter(institution__in=institutions)}


@transaction.atomic
def grant_extension(actor, institution: Institution, form_code: str, until: dt.date, reason: str) -> Extension:
    """Extend one form's due date for one institution, with a reason; logged."""
    extension, _ = Extension.objects.update_or_create(
        institution=institution, form_code=form_code,
        defaults={"until": until, "reason": reason.strip(), "granted_by": actor if getattr(actor, "is_authenticated", False) else None})
    record(actor, "schedule.extension", extension,
           f"{institution.name} {form_code} 제출 기한 연장: {until:%Y-%m-%d}까지 ({reason.strip()})"[:300],
           institution=institution.code, form=form_code, until=until.isoformat(), reason=reason.strip())
    return extension


@transaction.atomic
def withdraw_extension(actor, extension: Extension) -> None:
    record(actor, "schedule.extension_withdrawn", extension,
           f"{extension.institution.name} {extension.form_code} 기한 연장 취소", institution=extension.institution.code,
           form=extension.form_code)
    extension.delete()
