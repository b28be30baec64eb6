"""Background jobs that end as done or failed, never stuck "running".

A job is a row with a status (its own model: a roster upload, a scoring job …) that
mixes in ``Leased``. While it runs, ``running()`` keeps its lease: a thread writes
``heartbeat_at`` every ``INTEGRITY_JOB_HEARTBEAT`` seconds, from its own database
connection, so a long step (reading a large file, scoring a year) still shows signs
of life. Any exception ends the job as failed with a Korean message (the detail goes
to the log, not to the user). A job whose worker died (kill -9, a lost machine) stops
beating; once its lease (``INTEGRITY_JOB_LEASE`` seconds) has run out, ``reap_stale``
marks it failed and lets its kind remove what it had half-written.

Each kind registers how to fail itself (``register``); the reaper runs when a worker
picks up a task, when a status page is viewed, and as ``manage.py reap_jobs``.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

log = logging.getLogger(__name__)

DIED = "작업을 처리하던 프로세스가 멈췄습니다. 다시 시도해 주세요 (남은 자료는 지웠습니다)"
CRASHED = "처리 중 오류가 나 끝내지 못했습니다. 다시 시도해 주시고, 계속되면 권익위 담당자에게 알려 주세요"


class Leased(models.Model):
    """What a job row needs to be watched: when its worker last showed life, and the
    background task (django-tasks result id) that runs it."""

    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    task_result_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Kind:
    """How one kind of job is found running and failed."""

    model: type[models.Model]
    running: dict  # filter for "running" (e.g. {"status": "running"})
    fail: Callable[[models.Model, str], None]  # marks one job failed and removes its partial rows


_KINDS: list[Kind] = []


def register(kind: Kind) -> None:
    if all(k.model is not kind.model for k in _KINDS):
        _KINDS.append(kind)


def lease() -> timedelta:
    return timedelta(seconds=settings.INTEGRITY_JOB_LEASE)


def _beat(model, pk, stop: threading.Event) -> None:
    interval = settings.INTEGRITY_JOB_HEARTBEAT
    try:
        while not stop.wait(interval):
            try:
                model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
            except Exception:  # noqa: BLE001 — a busy database: the next beat tries again
                log.warning("작업 %s #%s: 생존 신호를 쓰지 못했습니다", model.__name__, pk, exc_info=True)
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def running(job: models.Model, fail: Callable[[models.Model, str], None]):
    """Keep the job's lease while the block runs; any exception fails it (logged, not
    raised: the job's own status tells the user)."""
    model = type(job)
    model.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    stop = threading.Event()
    beater = threading.Thread(target=_beat, args=(model, job.pk, stop), daemon=True, name=f"heartbeat-{job.pk}")
    beater.start()
    try:
        yield
    except Exception as exc:
        log.exception("작업 %s #%s 실패", model.__name__, job.pk)
        fail(job, _message_for_people(exc))
    finally:
        stop.set()
        beater.join(timeout=5)


def _message_for_people(exc: Exception) -> str:
    """The exception's own message where it was written for people (Korean: bad input
    found by the checks), else the plain one; never a traceback or an English detail."""
    text = str(exc).strip()
    if not HANGUL.search(text):
        return CRASHED
    return text if len(text) <= 290 else text[:289] + "…"


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def reap_stale(*, older_than: timedelta | None = None) -> int:
    """Fail every running job whose worker has stopped beating; how many were failed."""
    cutoff = timezone.now() - (lease() if older_than is None else older_than)
    failed = 0
    for kind in _KINDS:
        stale = kind.model.objects.filter(**kind.running).filter(
            models.Q(heartbeat_at__lt=cutoff) | models.Q(heartbeat_at__isnull=True))
        for job in stale:
            kind.fail(job, DIED)
            _fail_task_result(job.task_result_id)
            failed += 1
    return failed


def _fail_task_result(task_result_id: str) -> None:
    """The queue's own record of the task, left RUNNING by the dead worker."""
    if not task_result_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_result_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now())


def reap_on_task_start(sender=None, **kwargs) -> None:
    try:
        reap_stale()
    except Exception:  # noqa: BLE001 — never keep a worker from its work
        log.exception("멈춘 작업 정리에 실패했습니다")
