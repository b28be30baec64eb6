"""Every download goes out through the one writer (integrity.exports), from a temporary
file streamed to the client: memory holds a batch of rows, never the whole table."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404

from integrity import exports


def download(fmt: str, columns: Sequence[exports.Column], rows: Iterable[Sequence], name: str, *,
             sheet: str = "자료", preamble: Sequence[tuple[str, object]] = ()) -> FileResponse:
    """``name``: the file name without extension (Korean is fine); ``preamble``: an xlsx
    report's summary lines above its table."""
    if fmt not in exports.FORMATS:
        raise Http404("받을 수 없는 형식입니다")
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR, suffix=f".{fmt}", delete=False) as tmp:
        path = Path(tmp.name)
    try:
        exports.write(fmt, columns, rows, path, sheet=sheet, preamble=preamble)
        handle = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the data until it is sent
    return FileResponse(handle, content_type=exports.MIME[fmt], as_attachment=True, filename=f"{name}.{fmt}")
