"""The one rule the roster upload service asks: may this person still submit this form?
Imports nothing of the rosters app (it calls in here)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of
from integrity.apps.audit.services import record
from integrity.apps.registry.models import Institution
from integrity.schedule import effective_due, is_late

from .models import Extension, FormDeadline, Phase


def due_date(institution: Institution, form_code: str) -> dt.date | None:
    """The form's due date in the institution's year (None: the year has no schedule)."""
    due = FormDeadline.objects.filter(year_id=institution.year_id, form_code=form_code).values_list("due", flat=True).first()
    if due is None:
        due = Phase.objects.filter(year_id=institution.year_id, kind="rosters").values_list("ends", flat=True).first()
    return due


def _contact(institution: Institution) -> str:
    officer = institution.officer
    if officer is None:
        return gettext("권익위 담당자")
    parts = [p for p in (officer.name, officer.title) if p]
    reach = ", ".join(p for p in (officer.phone, officer.email) if p)
    return gettext("권익위 담당자({who})").format(who=" ".join(parts) + (", " + reach if reach else ""))


def late_message(institution: Institution, form_title: str, due: dt.date) -> str:
    return gettext("{form} 제출 기한({due})이 지나 제출할 수 없습니다. 기한 연장이 필요하면 {contact}에게 사유와 함께 "
                   "연장을 요청하세요. 연장이 승인되면 연장된 기한까지 제출할 수 있습니다.").format(
        form=form_title, due=date_format(due, "Y년 n월 j일"), contact=_contact(institution))


def upload_closed_message(user, institution: Institution, form_code: str, form_title: str,
                          today: dt.date | None = None) -> str | None:
    """None while a liaison may still submit (by the due date, or an extension's);
    the Korean refusal otherwise. Administrators (and the command line) may always
    submit on an institution's behalf. A refusal is logged."""
    if user is None or role_of(user) != Role.LIAISON:
        return None
    from .plan import today as local_today

    day = today or local_today()
    due = due_date(institution, form_code)
    if due is None:
        return None
    until = Extension.objects.filter(institution=institution, form_code=form_code).values_list("until", flat=True).first()
    if not is_late(due, day, until):
        return None
    shown = effective_due(due, until)
    record(user, "schedule.late_refused", institution, f"{institution.name} {form_code}: 기한({shown:%Y-%m-%d}) 후 제출 거절",
           form=form_code, due=shown.isoformat())
    return late_message(institution, form_title, shown)
