"""Evidence files on disk: encrypted (AES-256-GCM, the PII key), random names, a
directory of their own under INTEGRITY_VAR_DIR that no URL maps to. Only the
evidence views read them back, after checking who asks."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings

from integrity.apps.rosters.services import cipher


def _directory() -> Path:
    path = Path(settings.INTEGRITY_EVIDENCE_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(stored_name: str) -> Path:
    if not stored_name.isalnum():  # names are ours (hex); anything else is not a file of this store
        raise FileNotFoundError(stored_name)
    return _directory() / stored_name


def save(data: bytes) -> str:
    """Encrypt and write; the random name under which it was stored."""
    name = secrets.token_hex(24)
    path = _path(name)
    with path.open("xb") as out:  # never overwrite
        out.write(cipher().encrypt_bytes(data))
    path.chmod(0o600)
    return name


def read(stored_name: str) -> bytes:
    return cipher().decrypt_bytes(_path(stored_name).read_bytes())


def remove(stored_name: str) -> None:
    _path(stored_name).unlink(missing_ok=True)
