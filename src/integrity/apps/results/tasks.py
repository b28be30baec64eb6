"""Background work of this app, through Django's task API (django-tasks backport)."""

from pathlib import Path

from django_tasks import task

from . import services


@task()
def score_files_task(model_name: str, institutions: str, responses: list[str], deductions: str | None,
                     publish: bool = False) -> int:
    run = services.score_files(
        model_name, Path(institutions), [Path(p) for p in responses], Path(deductions) if deductions else None,
        publish=publish,
    )
    return run.pk
