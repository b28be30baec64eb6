"""Query parameters read in one place: a malformed one is a 400 with a Korean message
(never a 500), whatever page reads it."""

from __future__ import annotations

from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1  # what a database key can hold


def int_param(request, name: str, *, required: bool = False) -> int | None:
    raw = request.GET.get(name)
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
