"""Form codes shown as their titles (서식 2-1 직원명부 …), never as machine codes."""

from django import template

from integrity.rosters import get_form

register = template.Library()


@register.filter
def form_title(code: str) -> str:
    try:
        return get_form(code).title
    except (KeyError, ValueError):
        return code
