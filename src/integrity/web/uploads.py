"""Uploads that stop at the limit: the body of a request larger than
``INTEGRITY_MAX_UPLOAD_BYTES`` is refused from its Content-Length before anything is
read, and a file that grows past the limit while it streams (no or a false length)
stops there. Files over a few megabytes go to a temporary file, never to memory."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

FORM_FIELDS_SLACK = 1_000_000  # room for the form's other fields around the file


def limit_text() -> str:
    """The limit in the unit it is enforced in (decimal megabytes)."""
    return f"{settings.INTEGRITY_MAX_UPLOAD_BYTES / 1_000_000:g} MB"


def refusal(request) -> str | None:
    """The Korean reason an upload of this request was stopped, if it was (the body is
    parsed here, through the handlers, if the view has not touched it yet)."""
    if request.method == "POST":
        request.FILES  # noqa: B018 — parsing is what runs the limit
    return getattr(request, "upload_refused", None)


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts what arrives and stops at the limit."""

    def _refuse(self) -> None:
        self.request.upload_refused = f"파일이 너무 큽니다. {limit_text()}까지 올릴 수 있습니다"

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > settings.INTEGRITY_MAX_UPLOAD_BYTES + FORM_FIELDS_SLACK:
            self._refuse()
            return QueryDict(encoding=encoding), MultiValueDict()  # the body is not read at all
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.received > settings.INTEGRITY_MAX_UPLOAD_BYTES:
            self._refuse()
            raise StopUpload(connection_reset=True)  # stop reading the body here
        return raw_data


    def file_complete(self, file_size):
        return None
