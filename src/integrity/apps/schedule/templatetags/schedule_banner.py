"""The current phase and the next deadline, on each role's first page."""

from __future__ import annotations

from django import template

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of
from integrity.schedule import current_phases, days_left, next_phase

register = template.Library()


@register.inclusion_tag("schedule/_banner.html", takes_context=True)
def schedule_banner(context):
    from ..plan import today
    from ..status import deadline_rows
    from ..views import _year_for, visible_institutions

    request = context.get("request")
    user = getattr(request, "user", None)
    year = _year_for(user) if user is not None and user.is_authenticated else None
    if year is None:
        return {"shown": False}
    day = today()
    phases = list(year.phases.all())
    if not phases:
        return {"shown": False}
    info = {"shown": True, "today": day, "current": current_phases(phases, day), "next": next_phase(phases, day)}
    if role_of(user) == Role.LIAISON:
        rows = deadline_rows(year, visible_institutions(user, year), day)
        owed = sorted((r for r in rows if r.status != "accepted" and not r.overdue), key=lambda r: r.effective_due)
        info["deadline"] = owed[0] if owed else None
        info["overdue"] = [r for r in rows if r.overdue]
    else:
        rosters = next((p for p in phases if p.kind == "rosters"), None)
        if rosters and rosters.ends >= day:
            info["roster_due"] = rosters.ends
    if info.get("deadline"):
        info["left"] = days_left(info["deadline"].effective_due, day)
    elif info.get("roster_due"):
        info["left"] = days_left(info["roster_due"], day)
    return info
