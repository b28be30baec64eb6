"""Background work of 청렴신문고, through Django's task API (django-tasks backport)."""

from django_tasks import task


@task()
def release_reports_task() -> int:
    """The release as a background task (the same run as ``manage.py release_reports``):
    a full batch, or the daily release when it is due; the number of items released.
    Queued by the submission that fills a batch."""
    from integrity.apps.throttle.counters import prune

    from .release import release_due

    released = release_due()
    prune()
    return released
