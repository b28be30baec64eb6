"""Names from the measurement-model file (areas, indicators, levels, types ...) in the page's
language: ``{{ indicator|named }}``; Korean where the file gives no English."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def named(thing) -> str:
    """``thing.title(language)`` for a model object; anything else as it is."""
    if thing is None or isinstance(thing, str):
        return thing or ""
    return thing.title(get_language()) if hasattr(thing, "title") else str(thing)


@register.filter
def evidence_in(indicator) -> str:
    return indicator.evidence_in(get_language())


@register.filter
def unit_in(indicator) -> str:
    return indicator.unit_in(get_language())
