"""The demo's early warning: the default calendar, generated incidents of the years
before the demo year in the history (seasonal: gifts around 설/추석, personnel cases in
인사·채용 seasons) and the alerts of the demo year's January, sent to the liaisons."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.core.mail import get_connection
from django.db import transaction

from integrity.apps.audit.services import record
from integrity.earlywarning.calendar import load_default
from integrity.generate.incidents import generate_incidents

from .models import CalendarEvent, PastIncident
from .services import calendar_events, deliver, family_of, issue_warnings, load_calendar, registry_year, warning_settings

GENERATED = "generated"


def registry_bodies(year) -> pl.DataFrame:
    model = year.model
    rows = [{"code": b.code, "name": b.name, "type": b.type_code, "family": family_of(b.type_code, model),
             "region": b.region or ""} for b in year.institutions.order_by("code")]
    return pl.DataFrame(rows, schema={"code": pl.String, "name": pl.String, "type": pl.String, "family": pl.String,
                                      "region": pl.String})


def generated_history(years: tuple[int, int], *, seed: int, year=None) -> int:
    """Generated incidents of the registry's institutions over ``years`` into the history,
    replacing generated ones of those years (imported ones stay)."""
    year = year or registry_year()
    if year is None:
        raise ValueError("등록부가 없습니다 (측정 연도를 먼저 만드세요)")
    if not CalendarEvent.objects.exists():
        load_calendar(load_default(warning_settings().kinds))
    frame = generate_incidents(registry_bodies(year), calendar_events(), years, seed=seed)
    with transaction.atomic():
        PastIncident.objects.filter(source=GENERATED, occurred_on__gte=date(years[0], 1, 1),
                                    occurred_on__lte=date(years[1], 12, 31)).delete()
        PastIncident.objects.bulk_create([
            PastIncident(occurred_on=r["day"], field=r["field"], act_type=r["act_type"], institution_code=r["institution"],
                         institution_name=r["institution_name"], type_code=r["type"], family=r["family"],
                         region=r["region"], source=GENERATED)
            for r in frame.iter_rows(named=True)], batch_size=2000)
        record(None, "earlywarning.history_generated", "earlywarning.PastIncident",
               f"가상 지난 부패사건 {frame.height}건 ({years[0]}~{years[1]})", years=list(years), seed=seed)
    return frame.height


def demo_warnings(assessment, *, seed: int = 2017) -> dict:
    """Calendar, three years of history before the demo year, and its January's alerts
    (설 and the January 인사 season), delivered to the liaisons."""
    load_calendar(load_default(warning_settings().kinds))
    history = generated_history((assessment.year - 3, assessment.year - 1), seed=seed, year=assessment)
    issued = issue_warnings(date(assessment.year, 1, 1))
    # Kept in memory: the demo's console mail would print the letters amid its progress lines
    # (the deliveries are recorded all the same and show on each alert's page).
    outbox = get_connection("django.core.mail.backends.locmem.EmailBackend")
    sent = sum(deliver(a, connection=outbox).emails for a in issued.alerts)
    return {"history": history, "month": f"{assessment.year}-01", "alerts": len(issued.alerts), "emails": sent}
