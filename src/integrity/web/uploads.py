"""Uploads that stop at the limit, for every view that takes a file.

- ``UploadLimitMiddleware`` refuses a request whose declared length is over
  ``INTEGRITY_MAX_UPLOAD_BYTES`` before a byte of its body is read — and before the CSRF
  check, which would otherwise read the body looking for its token and then answer a
  bewildering "CSRF verification failed" instead of the size.
- ``LimitedUploadHandler`` (first of ``FILE_UPLOAD_HANDLERS``) counts a file as it
  streams and stops reading at the limit; the middleware turns that into the same page.

Either way the answer is a Korean 413 page saying the limit in the unit it is enforced
in (decimal megabytes: 60 MB = 60,000,000 bytes). Files over a few megabytes stream
to a temporary file (``FILE_UPLOAD_TEMP_DIR``), never to memory."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

FORM_FIELDS_SLACK = 100_000  # room for the form's other fields and the multipart framing around the file
BODY_METHODS = ("POST", "PUT", "PATCH")


class UploadTooLarge(Exception):
    """Carries the Korean reason to the error page."""


def limit_text() -> str:
    """The limit in the unit it is enforced in (decimal megabytes)."""
    return f"{settings.INTEGRITY_MAX_UPLOAD_BYTES / 1_000_000:g} MB"


def too_large_message() -> str:
    return _("파일이 너무 큽니다. %(limit)s까지 올릴 수 있습니다") % {"limit": limit_text()}


def declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot read


def body_too_large(length: int) -> bool:
    return length > settings.INTEGRITY_MAX_UPLOAD_BYTES + FORM_FIELDS_SLACK


class UploadLimitMiddleware:
    """Place before CsrfViewMiddleware: its ``process_view`` runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method not in BODY_METHODS:
            return None
        if body_too_large(declared_length(request)):
            return self._refuse(request)
        if request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 — parsed here, through LimitedUploadHandler, before anyone else reads it
            if getattr(request, "upload_refused", False):
                return self._refuse(request)
        return None

    @staticmethod
    def _refuse(request):
        from .errors import render_error

        return render_error(request, 413, UploadTooLarge(too_large_message()))


class LimitedUploadHandler(FileUploadHandler):
    """Counts what arrives and stops at the limit (the rest of the body is never read)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and body_too_large(content_length):  # without the middleware, e.g. a direct call
            self.request.upload_refused = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.INTEGRITY_MAX_UPLOAD_BYTES:
            self.request.upload_refused = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
