"""Survey codes shown as the model's survey names (외부청렴도 …), in the page's language."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from integrity.model import load_model

register = template.Library()


@register.filter
def survey_title(code: str) -> str:
    try:
        return load_model(settings.INTEGRITY_DEFAULT_MODEL).survey(code).title(get_language() or "ko")
    except (KeyError, ValueError, StopIteration):  # not a survey of the model: shown as it is
        return code
