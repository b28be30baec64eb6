"""Fieldwork figures per institution and task, after AAPOR's standard definitions
(Standard Definitions, 2016): with completes I, refusals and break-offs R (incl.
opt-outs), eligible cases of unknown outcome and non-contacts NC/UH, and
ineligible cases excluded from the base,
  RR1 = I / (eligible sample),  REF1 = R / (eligible sample),
  CON1 = (I + R + other contacts) / (eligible sample)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import polars as pl
from django.db.models import Count, Q

from integrity.quality import careless_flags, institution_signals
from integrity.quality.signals import burst_signals

from . import release
from .models import CompletionTally, Invitation, InvitationStatus, Response

CONTACTED = (InvitationStatus.OPENED, InvitationStatus.COMPLETED, InvitationStatus.REFUSED, InvitationStatus.PHONE,
             InvitationStatus.OPTED_OUT, InvitationStatus.QUOTA_FULL)


def fieldwork_rows(year) -> list[dict]:
    invitations = (
        Invitation.objects.filter(institution__year=year).exclude(status=InvitationStatus.WITHDRAWN)
        .values("institution_id", "institution__code", "institution__name", "task_id", "task__name", "task__quota", "survey")
        .annotate(
            invited=Count("id"),
            sent=Count("id", filter=~Q(status=InvitationStatus.CREATED)),
            contacted=Count("id", filter=Q(status__in=CONTACTED)),
            completed=Count("id", filter=Q(used=True)),
            refused=Count("id", filter=Q(status__in=(InvitationStatus.REFUSED, InvitationStatus.OPTED_OUT))),
            ineligible=Count("id", filter=Q(status=InvitationStatus.INELIGIBLE)),
        )
        .order_by("institution__code", "task__name", "survey")
    )
    modes = defaultdict(dict)  # completions by mode, counted on the links (released or not)
    for r in (Invitation.objects.filter(institution__year=year, used=True).exclude(mode="")
              .values("institution_id", "task_id", "survey", "mode").annotate(n=Count("id"))):
        modes[(r["institution_id"], r["task_id"], r["survey"])][r["mode"]] = r["n"]
    rows = []
    for r in invitations:
        base = max(r["invited"] - r["ineligible"], 0)
        quota = r["task__quota"]
        rows.append({
            **r,
            "rr1": r["completed"] / base if base else None,
            "ref1": r["refused"] / base if base else None,
            "con1": r["contacted"] / base if base else None,
            "fill": r["completed"] / quota if quota else None,
            "modes": modes.get((r["institution_id"], r["task_id"], r["survey"]), {}),
        })
    return rows


def year_responses(year, *fields: str):
    """The year's completed questionnaires as ``values(*fields)`` rows: the released
    responses, then those still waiting for their batch (decrypted in memory, in
    random order), so that scores made during fieldwork miss nothing."""
    yield from Response.objects.filter(institution__year=year).values(*fields).iterator(chunk_size=5000)
    for row in release.waiting_rows(year):
        yield {f: row[f] for f in fields}


def quality_signals(year) -> list:
    """Favour requests and careless responding from the responses; bursts from the tallies."""
    responses = list(year_responses(year, "institution__code", "survey", "answers", "favour_requested"))
    model = year.model
    signals = []
    for sv in model.surveys:
        rows = [r for r in responses if r["survey"] == sv.code]
        if not rows:
            continue
        likert = [i.code for i in sv.items if i.method == "likert"]
        matrix = np.array([[r["answers"].get(c, np.nan) for c in likert] for r in rows], dtype=np.float64)
        favour = np.array([np.nan if r["favour_requested"] is None else float(r["favour_requested"]) for r in rows])
        codes = np.array([r["institution__code"] for r in rows])
        signals += institution_signals(codes, favour, careless_flags(matrix))
    tallies = CompletionTally.objects.filter(institution__year=year).values_list("institution__code", "hour", "completes")
    signals += burst_signals([(c, h.strftime("%Y-%m-%d %H시"), n) for c, h, n in tallies])
    return signals


def responses_frame(year) -> pl.DataFrame:
    """Completed responses in the interchange format (one row per questionnaire)."""
    model = year.model
    items = list(model.items)
    rows = []
    for r in year_responses(year, "institution__code", "survey", "task__code", "office", "group", "mode", "answers"):
        row = {"institution": r["institution__code"], "survey": r["survey"],
               "task": f"{r['institution__code']}-{r['task__code']}" if r["task__code"] else None,
               "office": r["office"] or None, "group": r["group"] or None, "mode": r["mode"]}
        row.update({c: r["answers"].get(c) for c in items})
        rows.append(row)
    schema = {c: pl.Utf8 for c in ("institution", "survey", "task", "office", "group", "mode")} | {c: pl.Int16 for c in items}
    return pl.DataFrame(rows, schema=schema)
