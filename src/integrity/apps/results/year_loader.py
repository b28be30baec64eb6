"""Putting a generated year into the database (demo, tests, benchmark): registry,
completed responses and deductions, so that a run can score it from there."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from integrity.apps.fieldwork.models import Response
from integrity.apps.incidents.models import Case, CredibilityCase, Source
from integrity.apps.registry.demo import registry_from_generated
from integrity.apps.registry.models import TargetTask
from integrity.apps.registry.rotation import set_rotation

BATCH = 5000
ACT_OF_CATEGORY = {"external": "금품·향응수수", "internal": "공금횡령·유용"}


@transaction.atomic
def load_generated_year(year, generated, progress=None, *, effort: bool = True) -> dict:
    """``effort``: for a model with an effort evaluation (2022+), also every body's report and
    the panel's scores (apps.effort.demo), so the year scores end to end."""
    model = year.model
    bodies = registry_from_generated(year, generated.institutions, generated.tasks)
    rotation = set_rotation(year)  # the same choice the generator made: only the measured district offices answered
    tasks = {(t.institution.code, t.code): t.pk for t in TargetTask.objects.filter(institution__year=year).select_related("institution")}
    items = [c for c in model.items if c in generated.responses.columns]
    monday = date(year.year, 6, 5)
    responses = generated.responses
    total = responses.height
    for start in range(0, total, BATCH):
        chunk = responses.slice(start, BATCH)
        Response.objects.bulk_create([
            Response(institution_id=bodies[r["institution"]].pk, survey=r["survey"],
                     task_id=tasks.get((r["institution"], r["task"].rsplit("-", 1)[-1])) if r["task"] else None,
                     office=r["office"] or "", group=r["group"] or "", mode=r["mode"] or "web",
                     answers={c: r[c] for c in items if r[c] is not None}, completed_on=monday)
            for r in chunk.iter_rows(named=True)
        ], batch_size=BATCH)
        if progress:
            progress(min(start + BATCH, total), total)
    _completion_tallies(bodies, responses, date(year.year, 8, 1), date(year.year, 11, 15))
    cases = credibility = 0
    for r in generated.deductions.iter_rows(named=True):
        body = bodies[r["institution"]]
        if r["kind"] == "incident":
            Case.objects.create(year=year, institution=body, source=Source.COMMISSION, act_type=ACT_OF_CATEGORY[r["category"]],
                                disposed_on=date(year.year, 1, 15), position=r["position"] or "", amount=r["amount"],
                                people=r["people"] or 1, detected_by=r["detection"] or "commission",
                                category=r["category"], committee_points=r["points"], note=r["note"] or "")
            cases += 1
        else:
            CredibilityCase.objects.create(year=year, institution=body, violation=r["violation"], points=r["points"],
                                           grade_down=r["grade_down"] or 0, void=bool(r["void"]), note=r["note"] or "")
            credibility += 1
    if effort and model.effort is not None:
        from integrity.apps.effort.demo import load_demo_effort

        load_demo_effort(year, bodies, dict(zip(generated.institutions["code"], generated.institutions[model.effort.input])))
    return {"institutions": len(bodies), "responses": total, "cases": cases, "credibility": credibility,
            "district_measured": rotation.measured, "district_offices": rotation.bodies}




def _completion_tallies(bodies, responses, first: date, last: date) -> None:
    """Spread each institution's completions over the weekdays of fieldwork as the daily
    tallies a live year would have left (counts only): many in the days after the
    invitations, a bump after each reminder, a tail."""
    from datetime import datetime, time, timedelta

    import numpy as np
    from django.utils import timezone

    from integrity.apps.fieldwork.models import CompletionTally

    days = [first + timedelta(n) for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5]
    t = np.arange(len(days), dtype=np.float64)
    curve = np.exp(-t / 12) + 0.6 * np.exp(-np.abs(t - len(days) * 0.35) / 3) + 0.4 * np.exp(-np.abs(t - len(days) * 0.7) / 3) + 0.05
    curve /= curve.sum()
    rng = np.random.default_rng(first.year)
    counts = responses.group_by("institution").len().sort("institution")
    noon = [timezone.make_aware(datetime.combine(d, time(12))) for d in days]
    per_source = 25  # below the burst signal's 30 an hour from one network: a big body's day spans networks
    CompletionTally.objects.bulk_create([
        CompletionTally(institution_id=bodies[code].pk, hour=noon[i], source=f"demo{start // per_source}",
                        completes=min(per_source, int(n) - start))
        for code, total in counts.iter_rows() for i, n in enumerate(rng.multinomial(total, curve))
        for start in range(0, int(n), per_source)
    ], batch_size=BATCH)
