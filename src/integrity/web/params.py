"""Query parameters read in one place: a malformed one is a 400 with a Korean message
(never a 500), whatever page reads it."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import JsonResponse

MAX_ID = 2**63 - 1  # what a database key can hold
API_PREFIX = "/api/"


def int_param(request, name: str, *, required: bool = False, source=None) -> int | None:
    """``source``: the QueryDict to read (the query string unless a form's POST is given)."""
    raw = (request.GET if source is None else source).get(name)
    if raw in (None, ""):
        if required:
            raise BadRequest(f"{name} 값이 필요합니다")
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} 값에는 숫자를 적어 주세요") from None
    if not 0 <= value <= MAX_ID:
        raise BadRequest(f"{name} 값이 범위를 벗어났습니다")
    return value


def plain_int(text, *, max_digits: int = 9) -> int | None:
    """Plain ASCII digits ("²" and "٣" are digits to Python, not to int()), at most
    ``max_digits`` of them, as a number; anything else None. For values a page may quietly
    pass over (a year to show, an id to pick), where ``int_param`` would refuse the request."""
    text = str(text or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None


NUL_MESSAGE = "주소나 입력값에 쓸 수 없는 문자(NUL)가 있습니다"


def _has_nul(values) -> bool:
    return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in values.lists())


class MalformedRequestMiddleware:
    """A NUL character in the path, the query or a posted form field can be no code, name
    or number we store, and PostgreSQL refuses it in any text it is asked to compare or
    store (a 500 where a view reads POST values itself): refused here,
    once, for every page and the API, before a view or a query sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            raise BadRequest(NUL_MESSAGE)
        return self.get_response(request)
