"""Personal data at rest: AES-256-GCM per value, and keyed hashes for matching.

The key comes from the environment (INTEGRITY_PII_KEY, 32 bytes in URL-safe
base64); the same key, through HKDF, gives a separate key for the keyed hashes
that find duplicate phone numbers and e-mails without decrypting anything.
Losing the key makes the stored names, phones and e-mails unreadable, which is
also how they are purged: drop the key after fieldwork.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE = 12
HMAC_BLOCK = 64  # SHA-256's block size


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


class PIICipher:
    def __init__(self, key_b64: str):
        key = base64.urlsafe_b64decode(key_b64.encode())
        if len(key) != 32:
            raise ValueError("INTEGRITY_PII_KEY는 32바이트(base64)여야 합니다")
        self._aead = AESGCM(key)
        self._hash_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"integrity-pii-match").derive(key)
        # HMAC-SHA256 (RFC 2104) with its two keyed states computed once: each value then
        # costs two hash copies instead of a fresh HMAC set-up (three times faster).
        padded = self._hash_key.ljust(HMAC_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def encrypt(self, text: str | None) -> bytes | None:
        if text is None:
            return None
        nonce = os.urandom(NONCE)
        return nonce + self._aead.encrypt(nonce, text.encode("utf-8"), None)

    def encrypt_many(self, texts: list[str | None]) -> list[bytes | None]:
        """``encrypt`` for a column of values: the nonces drawn from the system's
        randomness in one call instead of one call per value."""
        nonces = os.urandom(NONCE * len(texts))
        seal = self._aead.encrypt
        return [None if text is None else (nonce := nonces[i:i + NONCE]) + seal(nonce, text.encode("utf-8"), None)
                for i, text in zip(range(0, NONCE * len(texts), NONCE), texts)]

    def decrypt(self, blob: bytes | memoryview | None) -> str | None:
        if blob is None:
            return None
        blob = bytes(blob)
        return self._aead.decrypt(blob[:NONCE], blob[NONCE:], None).decode("utf-8")

    def encrypt_bytes(self, data: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return nonce + self._aead.encrypt(nonce, data, None)

    def decrypt_bytes(self, blob: bytes | memoryview) -> bytes:
        blob = bytes(blob)
        return self._aead.decrypt(blob[:NONCE], blob[NONCE:], None)

    def match_key(self, text: str | None) -> str | None:
        """Keyed hash of a canonical value: equal values match, nothing is revealed."""
        return self.match_keys([text])[0]

    def match_keys(self, texts: list[str | None]) -> list[str | None]:
        """``match_key`` for a column of values (the same keys as ``hmac.new(key, text, sha256)``)."""
        inner, outer = self._inner.copy, self._outer.copy
        out: list[str | None] = []
        for text in texts:
            if text is None:
                out.append(None)
                continue
            h = inner()
            h.update(text.encode("utf-8"))
            o = outer()
            o.update(h.digest())
            out.append(o.hexdigest())
        return out
