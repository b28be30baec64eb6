"""The reporter's way back: a receipt code and a passphrase (docs/reporting.md).

- The **receipt code** alone carries 140 random bits: 28 characters of Crockford's
  base32 (digits and capitals without I, L, O, U, so nothing looks alike), written in
  seven groups of four. Typing is forgiving: lower case, spaces and hyphens are
  ignored and O/I/L read as 0/1/1.
- The **passphrase** (12 digits, three groups of four, ~40 bits) is a second factor:
  a reporter can keep the code on paper and the passphrase in memory; a code found on
  a note is not enough to read the case.
- The server keeps neither. It keeps a **lookup id**, HMAC-SHA256 of the code under a
  server key (a database reader cannot test a code without that key), and a
  **verifier**: scrypt (memory-hard, slow) over an HMAC of code and passphrase with a
  random salt per report. A follow-up finds the row by lookup id and compares the
  verifier in constant time; a missing row costs the same scrypt on a dummy salt, so
  "no such code" and "wrong passphrase" look and take alike.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: 5 bits a character
CODE_CHARS = 28  # 140 bits
GROUP = 4
CODE_BITS = CODE_CHARS * 5
PASSPHRASE_DIGITS = 12
SALT_BYTES = 16
KEY_BYTES = 32
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
DUMMY_SALT = b"\x00" * SALT_BYTES


class ReceiptMalformed(ValueError):
    """Not a code of ours at all (wrong length or characters)."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return group(raw)


def new_passphrase() -> str:
    digits = "".join(secrets.choice("0123456789") for _ in range(PASSPHRASE_DIGITS))
    return group(digits)


def group(text: str) -> str:
    return "-".join(text[i:i + GROUP] for i in range(0, len(text), GROUP))


def normal_code(typed: str) -> str:
    """The code as stored in the HMAC: upper case, separators gone, look-alikes mapped."""
    text = "".join(ch for ch in (typed or "").upper() if ch not in " -\t\r\n").translate(_READS_AS)
    if len(text) != CODE_CHARS or any(ch not in ALPHABET for ch in text):
        raise ReceiptMalformed(text)
    return text


def normal_passphrase(typed: str) -> str:
    return "".join(ch for ch in (typed or "") if ch.isdigit())


def lookup_id(key: bytes, code: str) -> str:
    """The indexed column a follow-up finds the report by."""
    return hmac.new(key, b"lookup\0" + normal_code(code).encode(), hashlib.sha256).hexdigest()


def _kdf(key: bytes, code: str, passphrase: str, salt: bytes, n: int) -> bytes:
    peppered = hmac.new(key, b"verify\0" + code.encode() + b"\0" + passphrase.encode(), hashlib.sha256).digest()
    return hashlib.scrypt(peppered, salt=salt, n=n, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=KEY_BYTES)


def make_verifier(key: bytes, code: str, passphrase: str, n: int) -> bytes:
    """salt ‖ scrypt(...): what is stored instead of the code and the passphrase."""
    salt = secrets.token_bytes(SALT_BYTES)
    return salt + _kdf(key, normal_code(code), normal_passphrase(passphrase), salt, n)


def check_verifier(key: bytes, code: str, passphrase: str, verifier: bytes | None, n: int) -> bool:
    """Constant-time comparison; with no verifier (no such report) the same work is done
    on a dummy salt and the answer is False."""
    stored = bytes(verifier) if verifier else DUMMY_SALT + b"\x00" * KEY_BYTES
    try:
        code = normal_code(code)
    except ReceiptMalformed:
        code = "0" * CODE_CHARS
        stored = DUMMY_SALT + b"\x00" * KEY_BYTES
    derived = _kdf(key, code, normal_passphrase(passphrase), stored[:SALT_BYTES], n)
    return hmac.compare_digest(derived, stored[SALT_BYTES:]) and verifier is not None and bool(passphrase)
