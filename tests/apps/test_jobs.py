"""Background jobs end as done or failed, never stuck "running": an exception fails
them with a Korean message; a worker killed with SIGKILL is detected by its lapsed
lease, its job failed and its half-written rows removed; the work can then be done
again. Real processes, real kills (``transaction=True``: the worker must see the data)."""


import textwrap
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from integrity.apps.jobs.lease import CRASHED, DIED, STOPPED, reap_stale
from integrity.apps.results.models import JobStatus, ScoringJob, ScoringRun
from integrity.apps.rosters import services
from integrity.apps.rosters.models import RosterEntry, RosterUpload, UploadStatus
from tests import processes
from tests.rosters.helpers import external_rows, filled

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 30_000  # enough batches that the kill lands while storing
# The production set-up: tasks wait in the database for `manage.py db_worker`.
DB_QUEUE = "django_tasks_db.DatabaseBackend"
WORKER = 'from django.core.management import call_command\n' \
         'call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")\n'


def _worker(patch: str = ""):
    """``manage.py db_worker`` in a process of its own, running what is queued, with
    ``patch`` (Python) applied first."""
    return processes.start(textwrap.dedent(patch) + WORKER, INTEGRITY_TASK_BACKEND=DB_QUEUE)
NO_TIME = timedelta(0)


def _queued_upload(registry, users, rows: int, *, enqueue: bool = False) -> RosterUpload:
    task = registry["task_a"]
    task.quota = rows // 20
    task.save()
    data = filled("external", external_rows(rows))
    with override_settings(TASKS={"default": {"BACKEND": DB_QUEUE}}):
        upload = services.start_upload(users["admin"], registry["a"], "external", task, data, "명부.xlsx", None,
                                       enqueue=enqueue)
    upload.refresh_from_db()
    return upload


def _reap(verbosity: int = 1, **lease) -> str:
    """``manage.py reap_jobs`` as cron runs it; what it said."""
    from io import StringIO

    out = StringIO()
    with override_settings(**lease):
        call_command("reap_jobs", stdout=out, verbosity=verbosity)
    return out.getvalue()


def test_an_exception_in_a_job_fails_it_in_korean(registry, users, monkeypatch):
    upload = _queued_upload(registry, users, 200)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "check_roster", broken)
    services.process_upload(upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED and upload.problems[0]["message"] == CRASHED
    assert "boom" not in str(upload.problems) and not RosterEntry.objects.filter(upload=upload).exists()


def test_a_roster_upload_killed_while_storing_is_failed_and_can_be_sent_again(registry, users):
    """The queue's worker (manage.py db_worker) is killed with SIGKILL after a batch is
    stored; cron's reap_jobs fails the upload once the lease has run out."""
    upload = _queued_upload(registry, users, ROWS, enqueue=True)
    worker = _worker("""
        import time
        from integrity.apps.rosters import services
        insert = services._insert
        def insert_then_hang(rows):
            insert(rows)
            print("stored a batch", flush=True)
            time.sleep(120)
        services._insert = insert_then_hang
    """)
    try:
        processes.wait_for_line(worker, "stored a batch")
        assert RosterEntry.objects.filter(upload=upload).exists()  # half-written, committed batches
    finally:
        processes.kill(worker)
    upload.refresh_from_db()
    queued = DBTaskResult.objects.get(id=upload.task_result_id)
    assert upload.status == UploadStatus.RUNNING and queued.status == TaskResultStatus.RUNNING  # what a dead worker leaves
    assert "0건" in _reap()  # its lease has not run out yet
    assert "1건" in _reap(INTEGRITY_JOB_LEASE=0)
    upload.refresh_from_db()
    queued.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED and upload.problems[0]["message"] == DIED
    assert queued.status == TaskResultStatus.FAILED
    assert not RosterEntry.objects.filter(upload=upload).exists()  # partial rows removed
    again = _queued_upload(registry, users, 200, enqueue=True)  # the liaison sends it again
    processes.finish(_worker())
    again.refresh_from_db()
    assert again.status == UploadStatus.ACCEPTED and RosterEntry.objects.filter(upload=again).count() == 200
    assert DBTaskResult.objects.get(id=again.task_result_id).status == TaskResultStatus.SUCCESSFUL


def test_a_worker_taken_for_dead_stores_nothing_and_keeps_the_accepted_roster(registry, users, monkeypatch):
    """A worker alive but silent for a whole lease (the reaper failed its upload) stops
    at its next step and removes what it wrote, instead of accepting half a roster over
    the one already accepted."""
    first = _queued_upload(registry, users, 200)
    services.process_upload(first.pk)
    insert = services._insert

    def insert_then_get_reaped(rows):
        insert(rows)
        assert reap_stale(older_than=NO_TIME) == 1

    monkeypatch.setattr(services, "_insert", insert_then_get_reaped)
    second = _queued_upload(registry, users, 200)
    services.process_upload(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == UploadStatus.REJECTED and second.problems[0]["message"] == DIED
    assert not RosterEntry.objects.filter(upload=second).exists()
    assert first.status == UploadStatus.ACCEPTED and RosterEntry.objects.filter(upload=first).count() == 200


def test_a_database_error_mid_insert_leaves_nothing_of_the_upload(registry, users, monkeypatch):
    """All or nothing (seed: a roster is taken whole or not at all): the database refuses
    a row of the third batch (COPY on PostgreSQL, executemany on SQLite), after two
    batches went in; the upload fails, none of its rows remain, the roster accepted
    before stays as it was, and sending it again works."""
    first = _queued_upload(registry, users, 200)
    services.process_upload(first.pk)
    monkeypatch.setattr(services, "BATCH", 60)
    entry_rows, made = services._entry_rows, []

    def third_batch_refused(*args):
        rows = entry_rows(*args)
        made.append(len(rows))
        if len(made) == 3:
            rows[7] = (*rows[7][:3], None, *rows[7][4:])  # form_code NULL: refused by the database
        return rows

    monkeypatch.setattr(services, "_entry_rows", third_batch_refused)
    inserted = []
    insert = services._insert
    monkeypatch.setattr(services, "_insert", lambda rows: (insert(rows), inserted.append(len(rows))))
    second = _queued_upload(registry, users, 200)
    services.process_upload(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert inserted == [60, 60]  # two batches stored before the refusal
    assert second.status == UploadStatus.REJECTED and second.problems[0]["message"] == CRASHED
    assert not RosterEntry.objects.filter(upload=second).exists()
    assert first.status == UploadStatus.ACCEPTED and RosterEntry.objects.filter(upload=first).count() == 200
    monkeypatch.setattr(services, "_entry_rows", entry_rows)
    again = _queued_upload(registry, users, 200)
    services.process_upload(again.pk)
    again.refresh_from_db()
    assert again.status == UploadStatus.ACCEPTED and RosterEntry.objects.filter(upload=again).count() == 200
    assert not RosterEntry.objects.filter(upload=first).exists()  # replaced


def test_a_stopped_worker_fails_its_job_and_goes_on_stopping(registry, users, monkeypatch):
    """db_worker stopped twice (Ctrl+C, SIGTERM) raises SystemExit inside the task."""
    upload = _queued_upload(registry, users, 200)

    def stopped(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr(services, "check_roster", stopped)
    with pytest.raises(SystemExit):
        services.process_upload(upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED and upload.problems[0]["message"] == STOPPED


def test_a_queued_job_whose_task_died_before_taking_it_is_failed(registry, users):
    """The queue's record ended (or its worker went silent) before the job was claimed:
    the job would wait forever."""
    ended, silent, waiting = (_queued_upload(registry, users, 200, enqueue=True) for _ in range(3))
    DBTaskResult.objects.filter(id=ended.task_result_id).update(status=TaskResultStatus.FAILED)
    DBTaskResult.objects.filter(id=silent.task_result_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5))
    assert reap_stale() == 2
    for upload in (ended, silent, waiting):
        upload.refresh_from_db()
    assert ended.status == silent.status == UploadStatus.REJECTED and silent.problems[0]["message"] == DIED
    assert DBTaskResult.objects.get(id=silent.task_result_id).status == TaskResultStatus.FAILED
    assert waiting.status == UploadStatus.QUEUED  # its worker has simply not come yet


@pytest.fixture
def generated_year(m2017):
    from integrity.apps.registry.models import AssessmentYear
    from integrity.apps.results.year_loader import load_generated_year
    from integrity.generate import generate_year

    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=5, responses=3_000))
    return year


@pytest.fixture
def admin(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("jobs-admin", password="jobs-admin-password-1")
    client.force_login(user)
    return user


def test_a_scoring_run_killed_midway_is_failed_and_can_be_started_again(client, generated_year, admin):
    """The queue's worker is killed with SIGKILL while it stores the run (inside
    store_run's transaction, after scoring the year): no run is left, the job fails."""
    from integrity.apps.results.jobs import start_scoring

    with override_settings(TASKS={"default": {"BACKEND": DB_QUEUE}}):
        job = start_scoring(generated_year, admin)
    worker = _worker("""
        import time
        from integrity.apps.results import services
        record = services.record
        def hang_while_storing(actor, action, *args, **kwargs):
            if action == "scores.stored":
                print("storing", flush=True)
                time.sleep(120)
            return record(actor, action, *args, **kwargs)
        services.record = hang_while_storing
    """)
    try:
        processes.wait_for_line(worker, "storing")
    finally:
        processes.kill(worker)
    job.refresh_from_db()
    queued = DBTaskResult.objects.get(id=job.task_result_id)
    assert job.status == JobStatus.RUNNING and job.stage == "결과를 저장하는 중" and queued.status == TaskResultStatus.RUNNING
    assert "1건" in _reap(INTEGRITY_JOB_LEASE=0)
    job.refresh_from_db()
    queued.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == DIED and queued.status == TaskResultStatus.FAILED
    assert not ScoringRun.objects.exists()  # the transaction died with the worker
    page = client.get(reverse("results:runs")).content.decode()
    assert "실패" in page and "작업을 처리하던 프로세스가 멈췄습니다" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("results:start_run"))
    page = client.get(reverse("results:runs")).content.decode()
    assert "작업을 처리하던 프로세스가 멈췄습니다" in page and "완료" in page
    assert ScoringJob.objects.filter(status=JobStatus.DONE).count() == 1 and ScoringRun.objects.count() == 1


def test_a_scoring_worker_taken_for_dead_stores_no_run(generated_year, admin, monkeypatch):
    from integrity.apps.results import jobs, services as results

    score_year = results.score_year

    def score_then_get_reaped(*args, **kwargs):
        assert reap_stale(older_than=NO_TIME) == 1
        return score_year(*args, **kwargs)

    monkeypatch.setattr(results, "score_year", score_then_get_reaped)
    job = ScoringJob.objects.create(year=generated_year, started_by=admin)
    assert jobs.run_scoring_job(job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == DIED and not ScoringRun.objects.exists()


@pytest.mark.django_db(transaction=False)  # the first job stays queued: its commit hook never runs
def test_only_one_scoring_job_per_year_at_a_time(client, generated_year, admin):
    client.post(reverse("results:start_run"))  # queued (its commit hook does not run here)
    response = client.post(reverse("results:start_run"), follow=True)
    page = response.content.decode()
    assert ScoringJob.objects.count() == 1
    assert '<p class="card failure" role="status">2017년 채점이 이미 진행 중입니다' in page  # told as a refusal, not a success


def test_a_failing_scoring_run_ends_failed_with_a_message(client, registry, users, monkeypatch):
    """Bad input found by the checks is told as it is; anything else plainly, never a traceback."""
    client.force_login(users["admin"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("results:start_run"))  # the registry's year has no response yet
    job = ScoringJob.objects.get()
    assert job.status == JobStatus.FAILED and "응답이 한 건도 없습니다" in job.message and "Traceback" not in job.message

    from integrity.apps.results import jobs

    def broken(*args, **kwargs):
        raise ValueError("internal detail")

    monkeypatch.setattr(jobs, "run_from_database", broken)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("results:start_run"))
    assert ScoringJob.objects.first().message == CRASHED


def test_the_reaper_fails_the_queues_own_record_too(registry, users):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from integrity.apps.rosters.tasks import process_upload_task

    upload = _queued_upload(registry, users, 200)
    record = DBTaskResult.objects.create(status=TaskResultStatus.RUNNING, task_path=process_upload_task.module_path,
                                         args_kwargs={"args": [upload.pk], "kwargs": {}}, queue_name="default",
                                         backend_name="default", priority=0)
    RosterUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, task_result_id=str(record.id))
    reap_stale(older_than=NO_TIME)
    record.refresh_from_db()
    assert record.status == TaskResultStatus.FAILED


def test_the_liaisons_progress_poll_ends_a_dead_upload(client, registry, users):
    """The page the liaison watches is where a dead upload first shows as failed: the
    poll reaps it (no cron needed), and the page says why, in Korean."""
    upload = _queued_upload(registry, users, 200)
    silent_since = timezone.now() - timedelta(minutes=5)
    RosterUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, heartbeat_at=silent_since, progress_done=52)
    client.force_login(users["liaison_a"])
    status = client.get(reverse("rosters:upload_status", kwargs={"upload_id": upload.pk})).json()
    assert status["status"] == "rejected" and status["finished"] and status["problems"] == 1
    page = client.get(reverse("rosters:upload_detail", kwargs={"upload_id": upload.pk})).content.decode()
    assert "작업을 처리하던 프로세스가 멈췄습니다" in page and "Traceback" not in page


def test_reap_jobs_is_quiet_for_cron_unless_it_failed_something(registry, users):
    assert _reap(verbosity=0) == ""
    upload = _queued_upload(registry, users, 200)
    RosterUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, heartbeat_at=None)
    assert "1건" in _reap(verbosity=0)
