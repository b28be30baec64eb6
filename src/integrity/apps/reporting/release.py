"""Reports and reporters' answers wait, sealed, in a pool; a release moves all of them
into the case tables at once, in random order (docs/reporting.md, "Waiting for release").

Why: rows are physically ordered (rowid on SQLite, the heap and xmin on PostgreSQL) and
transaction ids are ordered. Had a submission inserted its report at once, comparing
the row with anything that carries a time (audit entries, sign-ins, the access log of
another case) would give the time of day of the report, which is never stored. So a
submission only adds an opaque blob (``PendingItem``: the PII key's AES-GCM over a
padded frame, ``integrity.reporting.sealed``); the release inserts every waiting item
in one transaction of its own, in random order, with the coarse date each carries.
An observer of the pool learns when *some* item came, never which released row it
became: the batch is the set a report or an answer hides in.

When: as soon as ``INTEGRITY_REPORT_RELEASE_BATCH`` items wait (the submission that
fills the batch queues the task), and once a day at ``INTEGRITY_REPORT_RELEASE_HOUR``
(``manage.py release_reports`` run hourly from cron, or ``release_reports_task``),
whatever waits then, so that nothing waits longer than a day.
"""

from __future__ import annotations

import base64
import logging
import secrets
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from integrity.apps.rosters.services import cipher
from integrity.pii import NONCE
from integrity.reporting import sealed
from integrity.reporting.scrub import Cleaned

from . import notify
from .models import Attachment, Message, PendingItem, ReleaseDay, Report, Side

log = logging.getLogger(__name__)
TAG = 16  # AES-GCM's tag: with the nonce, what the cipher adds to the frame


def batch_size() -> int:
    return max(int(settings.INTEGRITY_REPORT_RELEASE_BATCH), 1)


def next_release(now: datetime | None = None) -> datetime:
    """The latest a report or answer sent now becomes visible: the next daily release."""
    now = timezone.localtime(now)
    at = now.replace(hour=settings.INTEGRITY_REPORT_RELEASE_HOUR, minute=0, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def hold(header: dict, files: list[Cleaned]) -> None:
    """Put a report or answer into the pool; when that fills a batch, queue a release
    (after the commit, so the item is in it)."""
    header = {**header, "kinds": [c.kind for c in files]}
    frame = sealed.frame(header, [c.data for c in files], overhead=NONCE + TAG)
    PendingItem.objects.create(sealed=cipher().encrypt_bytes(frame))
    if PendingItem.objects.count() >= batch_size():
        transaction.on_commit(_queue_release)


def _queue_release() -> None:
    from .tasks import release_reports_task

    try:
        release_reports_task.enqueue()
    except Exception:  # noqa: BLE001 — the item is safe in the pool; the hourly run releases it
        log.exception("청렴신문고 일괄 접수 처리를 예약하지 못했습니다. 다음 정기 처리 때 합니다")


def waiting() -> int:
    return PendingItem.objects.count()


def release_due(now: datetime | None = None) -> int:
    """What the periodic run does: a full batch at any time; at or after the release
    hour, once a day, whatever waits. The day is marked even when nothing waits, so
    that a lone item sent later that day is not released alone right after it came.
    Two runs at once: the day's row is unique, the second waits for the first's commit
    and then finds the day taken."""
    if timezone.localtime(now).hour < settings.INTEGRITY_REPORT_RELEASE_HOUR:
        return release(minimum=batch_size())
    today = timezone.localdate(now)
    with transaction.atomic():
        _, daily = ReleaseDay.objects.get_or_create(day=today)
        if not daily:
            return release(minimum=batch_size())
        ReleaseDay.objects.exclude(day=today).delete()
        return release(minimum=1)


def release(*, minimum: int = 1, mail=None) -> int:
    """Every waiting item into the case tables in one transaction, in random order,
    if at least ``minimum`` wait; the number released. The pool is locked and counted
    inside, so two releases at once never make a smaller batch or release twice.
    After the commit the handlers hear of it (``notify``; ``mail``: the connection)."""
    with transaction.atomic():
        pks = list(PendingItem.objects.select_for_update().values_list("pk", flat=True))
        if not pks or len(pks) < minimum:
            return 0
        secrets.SystemRandom().shuffle(pks)  # insertion order = physical order: random
        plan = _plan(pks)
        reports, answers = Counter(), Counter()
        for pk in pks:
            if plan[pk] is not None:
                header, files = _open(pk)
                _insert(header, files, plan[pk])
                if plan[pk] == NEW_CASE:
                    reports[header["institution"]] += 1
                else:
                    answers[plan[pk][0].institution_id] += 1
        PendingItem.objects.filter(pk__in=pks).delete()
        transaction.on_commit(lambda: notify.released(*_by_code(reports, answers), connection=mail))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # the deleted blobs' row versions go now, not at autovacuum's leisure
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(PendingItem._meta.db_table)}")
    return len(pks)


def _by_code(reports: Counter, answers: Counter) -> tuple[Counter, Counter]:
    """Counts by institution row -> by institution code (handlers are per code: ``access``)."""
    from integrity.apps.registry.models import Institution

    code = dict(Institution.objects.filter(pk__in=set(reports) | set(answers)).values_list("pk", "code"))
    return (Counter({code[k]: v for k, v in reports.items() if k in code}),
            Counter({code[k]: v for k, v in answers.items() if k in code}))


def _open(pk) -> tuple[dict, list[bytes]]:
    blob = PendingItem.objects.values_list("sealed", flat=True).get(pk=pk)
    return sealed.unframe(cipher().decrypt_bytes(blob))


NEW_CASE = ()  # the plan of a report: a case of its own


def _plan(pks: list) -> dict:
    """What becomes of each item: a report ``NEW_CASE``; an answer its place in its
    case (the case, its ``seq``, the number before its first attachment): after the
    case's messages so far, several answers to one case in the order they were written
    (the last message the reporter had seen, then the page's count); ``None``: dropped,
    and logged without content (unreadable, e.g. sealed with a key since rotated, or
    its institution or case gone) — one bad item must not hold back the others."""
    from integrity.apps.registry.models import Institution

    headers, plan = [], {}
    for pk in pks:
        try:
            headers.append((pk, _open(pk)[0]))
        except (InvalidTag, ValueError, KeyError):
            log.error("청렴신문고: 읽을 수 없는 대기 항목 1건을 버립니다 (PII 키가 바뀌었거나 손상됨)")
            plan[pk] = None
    bodies = set(Institution.objects.filter(pk__in={h["institution"] for _, h in headers if h["type"] == "report"})
                 .values_list("pk", flat=True))
    for pk, h in headers:
        if h["type"] == "report":
            plan[pk] = NEW_CASE if h["institution"] in bodies else None
            if plan[pk] is None:
                log.error("청렴신문고: 기관이 없어진 신고 1건을 넣지 못해 버립니다")
    answers = [(pk, h) for pk, h in headers if h["type"] == "reply"]
    reports = {uuid.UUID(h["report"]) for _, h in answers}
    locked = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=reports)}  # seq: one writer per case
    seq = {r: locked[r].messages.aggregate(last=Max("seq"))["last"] or 0 for r in locked}
    number = {r: locked[r].attachments.aggregate(last=Max("number"))["last"] or 0 for r in locked}
    for pk, h in sorted(answers, key=lambda a: (a[1]["after"], a[1]["n"], secrets.randbits(32))):
        report = uuid.UUID(h["report"])
        if report not in locked:
            log.warning("청렴신문고: 없어진 신고에 온 답변 1건을 버립니다")
            plan[pk] = None
            continue
        seq[report] += 1
        plan[pk] = (locked[report], seq[report], number[report])
        number[report] += len(h["kinds"])
    return plan


def _insert(header: dict, files: list[bytes], place) -> None:
    if place == NEW_CASE:
        report = Report.objects.create(
            id=uuid.uuid4(), institution_id=header["institution"], kind=header["kind"], field=header["field"],
            content_enc=cipher().encrypt(header["content"]),
            named=header["identity"] is not None,
            identity_enc=cipher().encrypt(header["identity"]) if header["identity"] is not None else None,
            received_on=date.fromisoformat(header["received_on"]), due_on=date.fromisoformat(header["due_on"]),
            lookup_id=header["lookup_id"], verifier=base64.b64decode(header["verifier"]))
        message, first = None, 0
    else:
        report, seq, first = place
        message = Message.objects.create(id=uuid.uuid4(), report=report, seq=seq, side=Side.REPORTER,
                                         body_enc=cipher().encrypt(header["body"]),
                                         sent_on=date.fromisoformat(header["sent_on"]))
    for i, (kind, data) in enumerate(zip(header["kinds"], files), start=first + 1):
        Attachment.objects.create(id=uuid.uuid4(), report=report, message=message, number=i, kind=kind,
                                  size=len(data), data_enc=cipher().encrypt_bytes(data))
