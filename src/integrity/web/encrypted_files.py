"""Files kept encrypted at rest (AES-256-GCM, the PII key) under random names, in a
directory of their own under INTEGRITY_VAR_DIR that no URL maps to; read back only by
views that first check who asks. Shared by the incidents' evidence (which also holds the
programme's progress evidence), the 청렴노력도 evidence and the clusters' online space;
each names its directory setting."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

from integrity.files.evidence import EvidenceRejected


class EncryptedStore:
    def __init__(self, directory_setting: str):
        self.directory_setting = directory_setting

    def _directory(self) -> Path:
        path = Path(getattr(settings, self.directory_setting))
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def _path(self, stored_name: str) -> Path:
        if not stored_name.isalnum():  # names are ours (hex); anything else is not a file of this store
            raise FileNotFoundError(stored_name)
        return self._directory() / stored_name

    def save(self, data: bytes) -> str:
        """Encrypt and write; the random name under which it was stored."""
        from integrity.apps.rosters.services import cipher

        name = secrets.token_hex(24)
        path = self._path(name)
        with path.open("xb") as out:  # never overwrite
            out.write(cipher().encrypt_bytes(data))
        path.chmod(0o600)
        return name

    def read(self, stored_name: str) -> bytes:
        from integrity.apps.rosters.services import cipher

        return cipher().decrypt_bytes(self._path(stored_name).read_bytes())

    def remove(self, stored_name: str) -> None:
        self._path(stored_name).unlink(missing_ok=True)


def read_upload(uploaded, limit: int) -> bytes:
    """The uploaded file's bytes, reading no further than one byte past ``limit``."""
    if uploaded.size is not None and uploaded.size > limit:
        raise EvidenceRejected(f"파일이 너무 큽니다 ({uploaded.size / 1_000_000:,.1f} MB). "
                               f"증빙 파일은 {limit / 1_000_000:g} MB까지 올릴 수 있습니다")
    data = bytearray()
    for chunk in uploaded.chunks():
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)


def attachment(data: bytes, name: str, mime: str, *, fallback: str = "evidence") -> HttpResponse:
    """A stored file sent as an attachment that no browser sniffs or renders in place
    (``fallback``: the ASCII name for browsers that cannot read the UTF-8 one)."""
    response = HttpResponse(data, content_type=mime)
    ascii_name = f"{fallback}." + name.rsplit(".", 1)[-1] if "." in name else fallback
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
