"""Background jobs end as done or failed, never stuck "running": an exception fails
them with a Korean message; a worker killed with SIGKILL is detected by its lapsed
lease, its job failed and its half-written rows removed; the work can then be done
again. Real processes, real kills (``transaction=True``: the worker must see the data)."""


import pytest
from django.test import TestCase
from django.urls import reverse

from integrity.apps.jobs.lease import CRASHED, DIED, reap_stale
from integrity.apps.results.models import JobStatus, ScoringJob, ScoringRun
from integrity.apps.rosters import services
from integrity.apps.rosters.models import RosterEntry, RosterUpload, UploadStatus
from tests import processes
from tests.rosters.helpers import external_rows, filled

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 30_000  # enough batches that the kill lands while storing


def _queued_upload(registry, users, rows: int) -> RosterUpload:
    task = registry["task_a"]
    task.quota = rows // 20
    task.save()
    data = filled("external", external_rows(rows))
    return services.start_upload(users["admin"], registry["a"], "external", task, data, "명부.xlsx", None, enqueue=False)


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
    upload = _queued_upload(registry, users, ROWS)
    worker = processes.start(f"""
        import time
        from integrity.apps.rosters import services
        insert = services._insert
        def insert_then_hang(rows):
            insert(rows)
            print("stored a batch", flush=True)
            time.sleep(120)
        services._insert = insert_then_hang
        services.process_upload({upload.pk})
    """)
    try:
        processes.wait_for_line(worker, "stored a batch")
        assert RosterEntry.objects.filter(upload=upload).exists()  # half-written, committed batches
    finally:
        processes.kill(worker)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.RUNNING  # what a dead worker leaves behind
    assert reap_stale() == 0  # its lease has not run out yet
    assert reap_stale(older_than=__import__("datetime").timedelta(0)) == 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED and upload.problems[0]["message"] == DIED
    assert not RosterEntry.objects.filter(upload=upload).exists()  # partial rows removed
    again = _queued_upload(registry, users, 200)  # the liaison sends it again
    services.process_upload(again.pk)
    again.refresh_from_db()
    assert again.status == UploadStatus.ACCEPTED


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
    job = ScoringJob.objects.create(year=generated_year, started_by=admin)  # queued, for the worker below
    worker = processes.start(f"""
        import time
        from integrity.apps.results import jobs
        def hang(*args, **kwargs):
            kwargs["progress"]("채점하는 중")
            print("scoring", flush=True)
            time.sleep(120)
        jobs.run_from_database = hang
        jobs.run_scoring_job({job.pk})
    """)
    try:
        processes.wait_for_line(worker, "scoring")
    finally:
        processes.kill(worker)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert reap_stale(older_than=__import__("datetime").timedelta(0)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == DIED and not ScoringRun.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("results:start_run"))
    page = client.get(reverse("results:runs")).content.decode()
    assert "작업을 처리하던 프로세스가 멈췄습니다" in page and "완료" in page
    assert ScoringJob.objects.filter(status=JobStatus.DONE).count() == 1 and ScoringRun.objects.count() == 1


@pytest.mark.django_db(transaction=False)  # the first job stays queued: its commit hook never runs
def test_only_one_scoring_job_per_year_at_a_time(client, generated_year, admin):
    client.post(reverse("results:start_run"))  # queued (its commit hook does not run here)
    response = client.post(reverse("results:start_run"), follow=True)
    assert "이미 진행 중입니다" in response.content.decode() and ScoringJob.objects.count() == 1


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
    reap_stale(older_than=__import__("datetime").timedelta(0))
    record.refresh_from_db()
    assert record.status == TaskResultStatus.FAILED
