"""Files of the clusters' online space: encrypted (AES-256-GCM, the PII key) under random
names in a directory of their own under INTEGRITY_VAR_DIR that no URL maps to; only the
space's download view reads them back, after checking membership."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings

from integrity.apps.rosters.services import cipher


def _directory() -> Path:
    path = Path(getattr(settings, "INTEGRITY_CLUSTER_FILES_DIR", settings.VAR_DIR / "cluster_files"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(stored_name: str) -> Path:
    if not stored_name.isalnum():
        raise FileNotFoundError(stored_name)
    return _directory() / stored_name


def save(data: bytes) -> str:
    name = secrets.token_hex(24)
    path = _path(name)
    with path.open("xb") as out:
        out.write(cipher().encrypt_bytes(data))
    path.chmod(0o600)
    return name


def read(stored_name: str) -> bytes:
    return cipher().decrypt_bytes(_path(stored_name).read_bytes())


def remove(stored_name: str) -> None:
    _path(stored_name).unlink(missing_ok=True)
