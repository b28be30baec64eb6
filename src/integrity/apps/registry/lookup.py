"""Shared by the management commands: the assessment year a command is run for."""

from django.core.management.base import CommandError

from .models import AssessmentYear


def year_or_error(year: int) -> AssessmentYear:
    try:
        return AssessmentYear.objects.get(year=year)
    except AssessmentYear.DoesNotExist as exc:
        raise CommandError(f"{year}년이 등록되어 있지 않습니다") from exc
