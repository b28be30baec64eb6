"""Background work of this app, through Django's task API (django-tasks backport)."""

from django_tasks import task


@task()
def run_year_task(year_id: int, actor_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from integrity.apps.registry.models import AssessmentYear

    from .services import run_from_database

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return run_from_database(AssessmentYear.objects.get(pk=year_id), actor).pk
