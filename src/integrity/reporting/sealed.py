"""The plaintext of a report or a reporter's answer while it waits for release
(docs/reporting.md, "Waiting for release"): one header (JSON) and the files, padded so
that, once encrypted, its length is a power of two of at least 64 KiB.

Why padded: a released report shows its attachments' sizes and its texts' lengths;
had the waiting blob its exact length, the two could be matched and the row's own
insertion time (which the waiting blob does carry) would date the released report.
Every text a form allows fits in the smallest size; with files, a size class holds
everything between half of it and it."""

from __future__ import annotations

import json
import struct

MIN_BUCKET = 1 << 16  # 64 KiB: any report or answer without files
_LENGTH = struct.Struct(">I")


def bucket(size: int) -> int:
    """The smallest power of two of at least ``size`` and MIN_BUCKET."""
    return max(MIN_BUCKET, 1 << max(size - 1, 0).bit_length())


def frame(header: dict, files: list[bytes], *, overhead: int) -> bytes:
    """``header`` (its ``sizes`` key is set here) and the files, zero-padded so that
    the frame plus ``overhead`` (the cipher's nonce and tag) fills a bucket."""
    head = json.dumps({**header, "sizes": [len(f) for f in files]}, ensure_ascii=False).encode()
    body = b"".join([_LENGTH.pack(len(head)), head, *files])
    return body.ljust(bucket(len(body) + overhead) - overhead, b"\0")


def unframe(data: bytes) -> tuple[dict, list[bytes]]:
    """The header (without ``sizes``) and the files of a frame; ValueError if damaged."""
    if len(data) < _LENGTH.size:
        raise ValueError("frame too short")
    (length,) = _LENGTH.unpack_from(data)
    end = _LENGTH.size + length
    if end > len(data):
        raise ValueError("header beyond the frame")
    try:
        header = json.loads(data[_LENGTH.size:end])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("header is not JSON") from error
    files = []
    for size in header.pop("sizes", []):
        files.append(data[end:end + size])
        end += size
    if end > len(data):
        raise ValueError("files beyond the frame")
    return header, files
