"""Fieldwork progress for the monitoring page: completions by day (from the hourly
completion tallies, which hold counts only, never who) and figures by institution type."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import get_language

from integrity.apps.registry.models import Institution

from .models import CompletionTally, Response


def completions_by_day(year) -> list[tuple[date, int]]:
    rows = (CompletionTally.objects.filter(institution__year=year).annotate(day=TruncDate("hour"))
            .values("day").annotate(n=Sum("completes")).order_by("day"))
    return [(r["day"], r["n"]) for r in rows]


def by_type(year, rows: list[dict]) -> list[dict]:
    """Per institution type, in the model's order: institutions, invited, completed links
    and RR1 (from the invitations), and the responses stored so far."""
    model = year.model
    type_of = dict(Institution.objects.filter(year=year).values_list("code", "type_code"))
    totals: dict[str, dict] = defaultdict(lambda: {"invited": 0, "completed": 0, "ineligible": 0, "responses": 0})
    for r in rows:
        t = totals[type_of.get(r["institution__code"], "")]
        t["invited"] += r["invited"]
        t["completed"] += r["completed"]
        t["ineligible"] += r["ineligible"]
    stored = (Response.objects.filter(institution__year=year).values("institution__type_code").annotate(n=Count("id")))
    for r in stored:
        totals[r["institution__type_code"]]["responses"] += r["n"]
    bodies = defaultdict(int)
    for code in type_of.values():
        bodies[code] += 1
    out = []
    for code, kind in model.institution_types.items():
        if code not in totals and not bodies.get(code):
            continue
        t = totals[code]
        base = t["invited"] - t["ineligible"]
        out.append({"code": code, "name": kind.title(get_language()), "institutions": bodies.get(code, 0), **t, "base": base,
                    "rr1": t["completed"] / base if base > 0 else None})
    return out
