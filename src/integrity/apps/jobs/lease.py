"""Background jobs that end as done or failed, never stuck "running".

A job is a row with a status (its own model: a roster upload, a scoring job …) that
mixes in ``Leased``. While it runs, ``running()`` keeps its lease: a thread writes
``heartbeat_at`` every ``INTEGRITY_JOB_HEARTBEAT`` seconds, from its own database
connection, so a long step (reading a large file, scoring a year) still shows signs
of life. Any exception ends the job as failed with a Korean message (the detail goes
to the log, not to the user). A job whose worker died (kill -9, a lost machine) stops
beating; once its lease (``INTEGRITY_JOB_LEASE`` seconds) has run out, ``reap_stale``
marks it failed and lets its kind remove what it had half-written.

The lease is also a fence. A worker that is alive but was taken for dead (its beats
did not reach the database for a whole lease) learns it at its next step
(``advance``) or at its final write, which only counts while the job is still
running: it stops and removes what it wrote since, so a failed job never turns into a
half-stored accepted one. The reaper fails a job only while it is still running and
stale, in one transaction with the job's row locked.

Each kind registers how to fail itself (``register``); the reaper runs when a worker
picks up a task, when a status page is viewed, and as ``manage.py reap_jobs``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from integrity.web.errors import written_for_people

log = logging.getLogger(__name__)

DIED = "작업을 처리하던 프로세스가 멈췄습니다. 다시 시도해 주세요 (남은 자료는 지웠습니다)"
CRASHED = "처리 중 오류가 나 끝내지 못했습니다. 다시 시도해 주시고, 계속되면 권익위 담당자에게 알려 주세요"
STOPPED = "작업을 처리하던 프로세스가 중단되었습니다. 다시 시도해 주세요 (남은 자료는 지웠습니다)"


class LeaseLost(Exception):
    """The reaper took this job for dead while its worker was still at it."""


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
    queued: dict | None = None  # filter for "waiting for a worker" (e.g. {"status": "queued"})


_KINDS: list[Kind] = []


def register(kind: Kind) -> None:
    if all(k.model is not kind.model for k in _KINDS):
        _KINDS.append(kind)


def kind_of(model: type[models.Model]) -> Kind:
    return next(k for k in _KINDS if k.model is model)


def lease() -> timedelta:
    return timedelta(seconds=settings.INTEGRITY_JOB_LEASE)


def held(job: models.Model):
    """The job's row while it is still running: the filter a worker's writes go through."""
    return type(job).objects.filter(pk=job.pk, **kind_of(type(job)).running)


def advance(job: models.Model, **fields) -> None:
    """Record a step of a running job (progress, stage); LeaseLost if it was reaped."""
    if not held(job).update(heartbeat_at=timezone.now(), **fields):
        raise LeaseLost(f"{type(job).__name__} #{job.pk}")


def _beat(job: models.Model, stop: threading.Event) -> None:
    interval = settings.INTEGRITY_JOB_HEARTBEAT
    try:
        while not stop.wait(interval):
            try:
                if not held(job).update(heartbeat_at=timezone.now()):
                    return  # ended, or reaped: the worker finds out at its next step
            except Exception:  # noqa: BLE001 — a busy database: the next beat tries again
                log.warning("작업 %s #%s: 생존 신호를 쓰지 못했습니다", type(job).__name__, job.pk, exc_info=True)
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def running(job: models.Model, fail: Callable[[models.Model, str], None]):
    """Keep the job's lease while the block runs; any exception fails it (logged, not
    raised: the job's own status tells the user). An interruption (SystemExit from a
    stopping worker, KeyboardInterrupt) fails it too, and goes on stopping the process."""
    held(job).update(heartbeat_at=timezone.now())
    stop = threading.Event()
    beater = threading.Thread(target=_beat, args=(job, stop), daemon=True, name=f"heartbeat-{job.pk}")
    beater.start()
    try:
        yield
    except LeaseLost:
        log.warning("작업 %s #%s: 멈춘 것으로 처리되어 그만두고 쓴 자료를 지웁니다", type(job).__name__, job.pk)
        fail(job, DIED)  # already failed by the reaper; this removes what was written since
    except Exception as exc:
        log.exception("작업 %s #%s 실패", type(job).__name__, job.pk)
        _fail_if_running(kind_of(type(job)), job.pk, _message_for_people(exc))
    except BaseException:
        log.warning("작업 %s #%s: 프로세스가 중단되어 실패로 끝냅니다", type(job).__name__, job.pk)
        _fail_if_running(kind_of(type(job)), job.pk, STOPPED)
        raise
    finally:
        stop.set()
        beater.join(timeout=5)


def _fail_if_running(kind: Kind, pk, message: str, *, state: dict | None = None, stale: models.Q | None = None) -> bool:
    """Fail the job if it is still in ``state`` (running by default) and, for the reaper,
    still stale, with its row locked: a worker finishing at the same moment either
    finishes first (and the job is left alone) or finds its lease gone."""
    with transaction.atomic():
        rows = kind.model.objects.select_for_update().filter(pk=pk, **(state or kind.running))
        job = rows.filter(stale).first() if stale is not None else rows.first()
        if job is None:
            return False
        kind.fail(job, message)
    return True


def _message_for_people(exc: Exception) -> str:
    """The exception's own message where it was written for people (Korean: bad input
    found by the checks), else the plain one; never a traceback or an English detail."""
    text = str(exc).strip()
    if _from_the_database(exc) or not written_for_people(text):
        return CRASHED  # a database's message quotes the refused row (Korean data included)
    return text if len(text) <= 290 else text[:289] + "…"


def _from_the_database(exc: Exception) -> bool:
    """An error raised by the database or its driver (Django's wrapper, or the driver's
    own class where a raw cursor was used, as for COPY)."""
    from django.db import Error

    return isinstance(exc, Error) or type(exc).__module__.split(".")[0] in ("psycopg", "psycopg2", "sqlite3")


def reap_stale(*, older_than: timedelta | None = None) -> int:
    """Fail every job whose worker has died: running without a sign of life for the
    lease, or still waiting although the queue's own record of its task has ended or
    was taken by a worker that has been silent as long. How many were failed."""
    cutoff = timezone.now() - (lease() if older_than is None else older_than)
    stale = models.Q(heartbeat_at__lt=cutoff) | models.Q(heartbeat_at__isnull=True)
    failed = 0
    for kind in _KINDS:
        for pk, task_result_id in kind.model.objects.filter(**kind.running).filter(stale).values_list("pk", "task_result_id"):
            if _fail_if_running(kind, pk, DIED, stale=stale):
                _fail_task_result(task_result_id)
                failed += 1
        if kind.queued is None:
            continue
        for pk, task_result_id in _queued_with_dead_task(kind, cutoff):
            if _fail_if_running(kind, pk, DIED, state=kind.queued):
                _fail_task_result(task_result_id)
                failed += 1
    return failed


def _queued_with_dead_task(kind: Kind, cutoff) -> list[tuple]:
    """Waiting jobs whose task will never run them: the queue's record failed or
    succeeded without the job being claimed, or a worker took it and went silent."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return []
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = {}
    for task_result_id, pk in kind.model.objects.filter(**kind.queued).exclude(task_result_id="").values_list(
            "task_result_id", "pk"):
        try:
            waiting[uuid.UUID(task_result_id)] = (pk, task_result_id)
        except ValueError:
            continue  # another backend's id: not the database queue's record
    if not waiting:
        return []
    dead = DBTaskResult.objects.filter(id__in=list(waiting)).filter(
        models.Q(status__in=(TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL))
        | models.Q(status=TaskResultStatus.RUNNING, started_at__lt=cutoff))
    return [waiting[i] for i in dead.values_list("id", flat=True)]


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
