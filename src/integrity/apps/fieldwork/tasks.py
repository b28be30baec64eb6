"""Background work of fieldwork, through Django's task API (django-tasks backport)."""

from django_tasks import task


@task()
def compute_signals_task(year_id: int) -> int:
    from integrity.apps.registry.models import AssessmentYear

    from .signal_store import compute

    return len(compute(AssessmentYear.objects.get(pk=year_id)).signals)
