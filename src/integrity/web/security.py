"""Start-up checks of the deployment's secrets and files, used by the settings.

A weak key refuses to start with a Korean message instead of running insecurely:
the secret key signs sessions and keys the hashes of rate-limit counters and
networks; the PII key encrypts every name, phone and e-mail.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50
MIN_SECRET_DISTINCT = 10  # distinct characters: a random key of 50 has ~40
MIN_PII_DISTINCT_BYTES = 16  # of 32 random bytes, ~31 are distinct


def check_secret_key(value: str) -> str:
    if len(value) < MIN_SECRET_LENGTH or len(set(value)) < MIN_SECRET_DISTINCT or value.startswith("django-insecure"):
        raise ImproperlyConfigured(
            f"INTEGRITY_SECRET_KEY가 너무 짧거나 단순합니다 ({MIN_SECRET_LENGTH}자 이상, 서로 다른 문자 {MIN_SECRET_DISTINCT}개 이상의 "
            "무작위 값). 예: python -c \"import secrets; print(secrets.token_urlsafe(50))\"")
    return value


def check_pii_key(value: str) -> str:
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32 or len(set(key)) < MIN_PII_DISTINCT_BYTES:
        raise ImproperlyConfigured(
            "INTEGRITY_PII_KEY는 무작위 32바이트를 URL-safe base64로 적은 값이어야 합니다 (개인정보 암호화 키). "
            "예: python -c \"import integrity.pii as p; print(p.new_key())\"")
    return value


def private_dir(path: Path) -> Path:
    """The folder of the SQLite database, keys and uploads: the owner's alone (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create the file readable by its owner only (0600) before anything writes it
    (SQLite gives its -wal and -shm files the database file's permissions)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    path.chmod(0o600)
    return path
