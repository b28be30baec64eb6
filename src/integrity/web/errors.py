"""Error pages in the site's layout, in the user's language, with the reason the code
gave where it wrote one for people (Korean text), and a plain one otherwise (Django's
own messages, e.g. "No Institution matches the given query", are for developers)."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
API_PREFIX = "/api/"
SITE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


def _titles() -> dict[int, tuple[str, str, str]]:
    """status -> (title, default reason, advice)."""
    return {
        400: (_("요청을 처리할 수 없습니다"), _("주소나 입력값이 올바르지 않습니다."),
              _("주소를 다시 확인하거나, 이전 화면에서 다시 시도해 주세요.")),
        403: (_("볼 권한이 없습니다"), _("이 화면을 볼 권한이 없습니다."),
              _("다른 계정으로 로그인해야 하거나, 권익위 담당자에게 권한을 요청해야 합니다.")),
        405: (_("허용되지 않는 요청 방식입니다"), _("이 주소는 화면의 단추나 양식으로만 쓸 수 있습니다."),
              _("이전 화면으로 돌아가 단추를 눌러 다시 시도해 주세요.")),
        404: (_("찾을 수 없습니다"), _("요청하신 화면이나 자료가 없습니다."),
              _("주소를 다시 확인해 주세요. 지워졌거나 아직 공개되지 않은 자료일 수 있습니다.")),
        413: (_("파일이 너무 큽니다"), _("올린 파일이 허용된 크기보다 큽니다."),
              _("이전 화면으로 돌아가 파일을 나누어 올리거나, 권익위 담당자에게 문의해 주세요.")),
        429: (_("요청이 너무 많습니다"), _("짧은 시간에 요청이 너무 많았습니다."),
              _("잠시 후 다시 시도해 주세요.")),
        500: (_("잠시 문제가 생겼습니다"), _("요청을 처리하는 중에 서버에서 오류가 났습니다."),
              _("입력하신 내용은 저장되지 않았을 수 있습니다. 잠시 후 다시 시도해 주시고, 계속되면 권익위 담당자에게 알려 주세요.")),
    }


def written_for_people(message: str) -> bool:
    """Our checks raise their findings in Korean; anything else (a library's English
    detail, a traceback's last line) is not shown to people."""
    return bool(HANGUL.search(message))


def reason_of(exception) -> str | None:
    """The exception's message if it was written for people."""
    message = str(exception.args[0]) if exception is not None and getattr(exception, "args", None) else ""
    return message if written_for_people(message) else None


def render_error(request, status: int, exception=None) -> HttpResponse:
    title, default, advice = _titles()[status]
    if request.path.startswith(API_PREFIX):  # an API client reads JSON, not the layout
        return JsonResponse({"detail": reason_of(exception) or default}, status=status)
    context = {"title": title, "reason": reason_of(exception) or default, "advice": advice, "status": status}
    try:
        html = render_to_string("errors/error.html", context, request=request)
    except Exception:  # noqa: BLE001 — the layout itself failed (e.g. the database is down): plain page
        log.exception("오류 화면을 그리지 못했습니다")
        html = f"<!doctype html><html lang=ko><meta charset=utf-8><title>{title}</title><h1>{title}</h1><p>{default}</p>"
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return render_error(request, 400, exception)


def permission_denied(request, exception=None):
    return render_error(request, 403, exception)


def page_not_found(request, exception=None):
    return render_error(request, 404, exception)


def server_error(request):
    return render_error(request, 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is English in a bare layout."""
    message = _("보안 확인(CSRF)에 실패했습니다. 화면을 새로 고친 뒤 다시 시도해 주세요. 쿠키를 막아 두었다면 이 사이트에는 허용해 주세요.")
    return render_error(request, 403, PermissionDenied(message))


class MethodNotAllowedMiddleware:
    """A 405 (a form's address opened in the address bar, the API asked with POST, a
    method no page takes) in Korean: Django's ``require_POST`` answers with an empty body and django-ninja with
    English. Placed outside the session and CSRF middleware, so the page sets no cookie
    (respondents get none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SITE_METHODS:  # no page takes TRACE, PUT, DELETE or PATCH
            response = HttpResponseNotAllowed(SITE_METHODS)
        else:
            response = self.get_response(request)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        if request.path.startswith(API_PREFIX):
            detail = _("허용되지 않는 요청 방식입니다 (가능한 방식: %(allowed)s)") % {"allowed": allowed}
            replaced = JsonResponse({"detail": detail}, status=405)
        else:
            replaced = render_error(request, 405)
        if allowed:
            replaced["Allow"] = allowed
        return replaced
