"""An xlsx file is a ZIP archive: checked before anything parses it, so that a small
file that inflates to gigabytes (a "zip bomb") is refused instead of read.

The limits admit any real roster: a 100,000-row external roster is a 2.7 MB file whose
sheet inflates to 39 MB at a ratio of 15 (measured); 1,000,000 rows would need 400 MB
of sheet XML and more memory than one check may take (docs/rosters.md).
"""

from __future__ import annotations

import io
import zipfile

from .problems import Problem, RosterRejected

MAX_ENTRIES = 500  # files inside the archive; a workbook has a few dozen
MAX_ENTRY_BYTES = 80_000_000  # one part (a sheet) uncompressed: about 200,000 roster rows
MAX_TOTAL_BYTES = 120_000_000  # all parts uncompressed
MAX_RATIO = 100  # uncompressed / compressed of any part over RATIO_FROM bytes; real sheets: ~15
RATIO_FROM = 10_000_000


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.0f} MB"


def check_archive(xlsx: bytes) -> None:
    """Refuse, with a Korean message, an archive whose parts are too many, too large or
    too compressed — judged from the directory first, then every part is inflated once
    (within those limits) to prove the directory told the truth."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(xlsx))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RosterRejected([Problem("엑셀 파일의 구조가 손상되어 읽을 수 없습니다")]) from exc
    if len(parts) > MAX_ENTRIES:
        raise RosterRejected([Problem(f"엑셀 파일 안의 구성 파일이 너무 많습니다 ({len(parts):,}개, 최대 {MAX_ENTRIES}개)")])
    total = sum(p.file_size for p in parts)
    largest = max(parts, key=lambda p: p.file_size, default=None)
    if largest is not None and largest.file_size > MAX_ENTRY_BYTES:
        raise RosterRejected([Problem(f"엑셀 파일의 시트가 너무 큽니다 (압축을 풀면 {_mb(largest.file_size)}, 최대 "
                                      f"{_mb(MAX_ENTRY_BYTES)}). 행을 나누어 올리거나 담당자에게 문의하세요")])
    if total > MAX_TOTAL_BYTES:
        raise RosterRejected([Problem(f"엑셀 파일이 너무 큽니다 (압축을 풀면 {_mb(total)}, 최대 {_mb(MAX_TOTAL_BYTES)})")])
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise RosterRejected([Problem("비정상적으로 압축된 파일입니다 (압축을 풀면 크기가 지나치게 커집니다). "
                                          "엑셀에서 다시 저장해 올려 주세요")])
    try:
        bad = archive.testzip()  # inflates each part; zipfile stops at the size declared
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise RosterRejected([Problem("엑셀 파일의 구조가 손상되어 읽을 수 없습니다")]) from exc
    if bad is not None:
        raise RosterRejected([Problem("엑셀 파일의 구조가 손상되어 읽을 수 없습니다")])
