"""Completed questionnaires wait, encrypted, on their invitation until at least k of
the same kind can be released together; only then do they become ``Response`` rows.

Why: the transaction that completes a questionnaire also marks its link used. Had
it inserted the response too, both rows would carry that transaction's id (xmin on
PostgreSQL), and the response's physical position (rowid on SQLite, ctid on
PostgreSQL) would follow completion order — either ties the answers to the named
roster entry behind the invitation. So completion only keeps the answers, encrypted
with the PII key, on the invitation (its draft); the release moves a whole batch in
one transaction of its own, in random order, with the release week as the only date.

A batch holds completions of one stratum: the same institution, survey, task,
office, group and mode, the attributes a response shows and its invitation knows.
Anyone who can read the database can tell which invitations were completed between
two releases (transaction ids are ordered), so the batch is the set a response hides
in, and it is never smaller than k, except at the close of fieldwork
(``release_all``), when whatever is left of a stratum is released together.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from integrity.apps.rosters.services import cipher
from integrity.surveys.pages import CHECK_PREFIX, scored_answers

from .models import Invitation, Response

log = logging.getLogger(__name__)

STRATUM = ("institution_id", "survey", "task_id", "office", "group", "mode")
AWAITING = Q(used=True, draft_enc__isnull=False)  # completed, answers not yet released


def batch_size() -> int:
    return max(int(settings.INTEGRITY_RELEASE_BATCH), 1)


def week_of(day: date) -> date:
    """The Monday of the week."""
    return day - timedelta(days=day.weekday())


def awaiting(year=None):
    """Invitations whose completed answers wait for release."""
    queryset = Invitation.objects.filter(AWAITING)
    return queryset.filter(institution__year=year) if year is not None else queryset


def release_ripe(year=None, *, stratum: dict | None = None) -> int:
    """Release every stratum (or the one given) holding at least k completions;
    returns how many responses were stored."""
    return _release(year, stratum, minimum=batch_size())


def release_all(year=None) -> int:
    """Release everything that waits (the close of fieldwork), stratum by stratum."""
    return _release(year, None, minimum=1)


def release_ripe_quietly(stratum: dict) -> None:
    """After a completion: its answers are safe on the invitation whatever happens
    here, so a failure is logged and left to the next release."""
    try:
        release_ripe(stratum=stratum)
    except Exception:  # noqa: BLE001 — the respondent's completion is stored already
        log.exception("응답 공개(release)에 실패했습니다. 다음 공개 때 다시 시도합니다")


def _release(year, stratum: dict | None, *, minimum: int) -> int:
    waiting = awaiting(year)
    if stratum is not None:
        waiting = waiting.filter(**stratum)
    ripe = [row for row in waiting.values(*STRATUM).annotate(n=Count("id")) if row["n"] >= minimum]
    released = 0
    for row in ripe:
        released += _release_stratum({k: row[k] for k in STRATUM}, minimum)
    return released


def _release_stratum(stratum: dict, minimum: int) -> int:
    """One stratum's waiting answers -> responses, in one transaction: the invitations'
    drafts are cleared and the responses inserted together, or neither (nothing is
    lost if the process dies). The rows are locked and counted again inside, so two
    releases at once never make a batch smaller than ``minimum``."""
    with transaction.atomic():
        rows = list(awaiting().filter(**stratum).select_for_update()
                    .values_list("pk", "draft_enc", "institution__year__model_name"))
        if len(rows) < minimum:
            return 0
        models = _Models()
        responses = [_response(stratum, draft, models[name]) for _, draft, name in rows]
        secrets.SystemRandom().shuffle(responses)  # insertion order = physical order: random
        Invitation.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(draft_enc=None)
        Response.objects.bulk_create(responses, batch_size=1000)
    return len(responses)


class _Models(dict):
    """Measurement models by name, loaded once per release."""

    def __missing__(self, name: str):
        from integrity.model import load_model

        self[name] = load_model(name)
        return self[name]


def _response(stratum: dict, draft: bytes, model) -> Response:
    answers = json.loads(cipher().decrypt_bytes(draft))["answers"]
    checks = {k[len(CHECK_PREFIX):]: v for k, v in answers.items() if k.startswith(CHECK_PREFIX)}
    return Response(
        id=uuid.uuid4(), **stratum,
        answers=scored_answers(model, stratum["survey"], answers),
        favour_requested=None if "favour_requested" not in checks else checks["favour_requested"] == 1,
        completed_on=week_of(timezone.localdate()),  # the release week: the same for the whole batch
    )


def waiting_rows(year) -> list[dict]:
    """The answers still waiting, decrypted, in random order, shaped like released
    responses (``values()`` of ``Response``): so that scores and hand-offs made during
    fieldwork are complete without releasing a batch smaller than k."""
    rows, models = [], _Models()
    for draft, model_name, code, task_code, *stratum in awaiting(year).values_list(
            "draft_enc", "institution__year__model_name", "institution__code", "task__code", *STRATUM):
        response = _response(dict(zip(STRATUM, stratum)), draft, models[model_name])
        rows.append({"institution_id": response.institution_id, "institution__code": code, "task__code": task_code,
                     "task_id": response.task_id, "survey": response.survey, "office": response.office,
                     "group": response.group, "mode": response.mode, "answers": response.answers,
                     "favour_requested": response.favour_requested})
    secrets.SystemRandom().shuffle(rows)
    return rows


def waiting_counts(year) -> dict[tuple, int]:
    """Waiting completions per (institution, task, survey, mode), for monitoring."""
    counts: dict[tuple, int] = defaultdict(int)
    for row in awaiting(year).values("institution_id", "task_id", "survey", "mode").annotate(n=Count("id")):
        counts[(row["institution_id"], row["task_id"], row["survey"], row["mode"])] += row["n"]
    return counts
