"""Reading the programme's forms: each bad value is refused with a Korean message that
names the field."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from .models import TaskStatus
from .services import ProgrammeError


def number(raw: str | None, label: str, *, required: bool = False) -> float | None:
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        if required:
            raise ProgrammeError(_("%(field)s을(를) 적으세요") % {"field": label})
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ProgrammeError(_("%(field)s에는 숫자를 적으세요: %(value)s") % {"field": label, "value": raw[:30]}) from None
    if value != value or value in (float("inf"), float("-inf")) or abs(value) > 1e12:
        raise ProgrammeError(_("%(field)s의 값이 범위를 벗어났습니다") % {"field": label})
    return value


def day(raw: str | None, label: str, *, required: bool = False) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise ProgrammeError(_("%(field)s을(를) 적으세요") % {"field": label})
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ProgrammeError(_("%(field)s은(는) 2025-06-30처럼 적으세요: %(value)s") % {"field": label, "value": raw[:30]}) from None
    if not 1990 <= value.year <= 2100:
        raise ProgrammeError(_("%(field)s의 연도가 범위를 벗어났습니다") % {"field": label})
    return value


def sub_task_values(post) -> dict:
    status = post.get("status") or TaskStatus.PLANNED
    if status not in TaskStatus.values:
        raise ProgrammeError(_("상태를 목록에서 고르세요"))
    return {
        "title": post.get("title", ""), "description": post.get("description", "").strip(),
        "owner": post.get("owner", "").strip()[:100], "field": post.get("field", "").strip()[:100],
        "deadline": day(post.get("deadline"), _("기한")), "kpi_name": post.get("kpi_name", "").strip()[:200],
        "kpi_target": number(post.get("kpi_target"), _("지표 목표값")), "kpi_unit": post.get("kpi_unit", "").strip()[:20],
        "status": status,
    }
