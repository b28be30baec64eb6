"""How large a grid a sheet's XML would make, found before any parser builds it.

The reader lays a sheet out as a full grid from A1 to the last row and column any
cell names, so two cells — A1 and XFD1048576 — in a file of 5 KB would ask for 17
billion cells. The archive checks (``archive.py``) bound the XML; this bounds the
grid: the rows and columns named by every ``r="…"`` reference, plus the rows and
cells written without one (the reader places those after the previous), scanned with
numpy in slices so that the scan itself takes a few megabytes.
"""

from __future__ import annotations

import re
import zipfile

import numpy as np

from .problems import Problem, RosterRejected

MAX_ROWS = 250_000  # a 100,000-row roster and then some; the XML limit allows about 200,000
MAX_COLUMNS = 100  # a form has at most a dozen columns; room for notes beside them
MAX_CELLS = 3_000_000  # rows x columns of the grid, blanks included: 250,000 x 12, 100,000 x 30

_SLICE = 1 << 22
_REF_BYTES = 12  # 'XFD1048576"' fits; longer is beyond every limit anyway
_A, _Z, _ZERO, _NINE = ord("A"), ord("Z"), ord("0"), ord("9")
_PREFIX = re.compile(rb"<(\w+:)?sheetData\b")


def _table(byte_values: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(byte_values)] = True
    return table


_WHITE = _table(b" \t\r\n")
_TAG_END = _table(b" \t\r\n>/")
_QUOTE_ONLY = _table(b'"')


def _starts(data: np.ndarray, pattern: bytes, follow: np.ndarray, after_white: bool = False) -> np.ndarray:
    """Positions where ``pattern`` begins, followed by a byte in the ``follow`` table
    (and, with ``after_white``, preceded by white space)."""
    hits = []
    width = len(pattern) + 1
    for start in range(0, len(data), _SLICE):
        window = data[max(0, start - 1):start + _SLICE + width]
        lead = 1 if start else 0  # the byte before the slice, for ``after_white``
        n = min(_SLICE, len(window) - lead - width + 1)
        if n <= 0:
            break
        candidates = np.flatnonzero(window[lead:lead + n] == pattern[0]) + lead
        for i, byte in enumerate(pattern[1:], start=1):
            candidates = candidates[window[candidates + i] == byte]
        candidates = candidates[follow[window[candidates + len(pattern)]]]
        if after_white:
            candidates = candidates[candidates > 0]
            candidates = candidates[_WHITE[window[candidates - 1]]]
        hits.append(candidates - lead + start)
    return np.concatenate(hits) if hits else np.empty(0, dtype=np.int64)


def _leading(matrix: np.ndarray, low: int, high: int) -> np.ndarray:
    """How many bytes at the start of each row fall in [low, high]."""
    inside = (matrix >= low) & (matrix <= high)
    return np.logical_and.accumulate(inside, axis=1).sum(axis=1)


def _references(data: np.ndarray) -> tuple[int, int, int, int]:
    """(highest row, highest column, references with a column, references without one)
    over every r="…" attribute."""
    positions = _starts(data, b"r=", _QUOTE_ONLY, after_white=True)
    max_row = max_col = cells = rows = 0
    for chunk in np.array_split(positions, max(1, len(positions) // 200_000)):
        if not len(chunk):
            continue
        text = _gather(data, chunk + 3, 4)
        letters = _leading(text, _A, _Z)
        if (letters > 3).any():
            return 10**9, 10**9, 1, 0  # a column beyond any sheet's
        digits_at = chunk + 3 + letters
        after = _gather(data, digits_at, 8)
        digits = _leading(after, _ZERO, _NINE)
        if (digits > 7).any():
            return 10**9, 10**9, 1, 0  # a row beyond any sheet's
        row = np.zeros(len(chunk), dtype=np.int64)
        for j in range(7):
            row = np.where(j < digits, row * 10 + (after[:, j].astype(np.int64) - _ZERO), row)
        col = np.zeros(len(chunk), dtype=np.int64)
        for j in range(3):
            col = np.where(j < letters, col * 26 + (text[:, j].astype(np.int64) - _A + 1), col)
        max_row, max_col = max(max_row, int(row.max())), max(max_col, int(col.max()))
        cells += int((letters > 0).sum())
        rows += int((letters == 0).sum())
    return max_row, max_col, cells, rows


def _gather(data: np.ndarray, at: np.ndarray, width: int) -> np.ndarray:
    """``width`` bytes from each position (zeros past the end)."""
    index = at[:, None] + np.arange(width)
    inside = index < len(data)
    if inside.all():
        return data[index]
    return np.where(inside, data[np.minimum(index, len(data) - 1)], 0).astype(np.uint8)


def grid_size(xml: bytes) -> tuple[int, int]:
    """The rows and columns the reader's grid would have, at most."""
    prefix = _PREFIX.search(xml)
    tag = b"<" + (prefix.group(1) or b"" if prefix else b"")
    data = np.frombuffer(xml, dtype=np.uint8)
    row_starts = _starts(data, tag + b"row", _TAG_END)
    cell_starts = _starts(data, tag + b"c", _TAG_END)
    max_row, max_col, with_ref, rows_with_ref = _references(data)
    rows = max_row + max(0, len(row_starts) - rows_with_ref)
    columns = max_col
    if len(cell_starts) > with_ref and len(cell_starts):  # cells placed one after another
        per_row = np.bincount(np.searchsorted(row_starts, cell_starts), minlength=1)
        columns += int(per_row.max())
    return rows, columns


SHARED_STRINGS = "xl/sharedStrings.xml"


def check_shared_strings(archive: zipfile.ZipFile) -> None:
    """The reader keeps every shared text in memory: no more of them than cells a
    sheet may have (counted as the part streams, never held whole)."""
    if SHARED_STRINGS not in archive.namelist():
        return
    count, carry = 0, b""
    with archive.open(SHARED_STRINGS) as part:
        while chunk := part.read(1 << 20):
            text = carry + chunk
            count += sum(text.count(tag) for tag in (b"<si>", b"<si ", b":si>", b":si "))
            carry = text[-3:]  # a tag cut by the chunk's end is counted with the next one
    if count > MAX_CELLS:
        raise RosterRejected([Problem(f"엑셀 파일의 글자 목록이 너무 깁니다 (서로 다른 값 {count:,}개, 최대 {MAX_CELLS:,}개). "
                                      "명부를 나누어 올려 주세요")])


def check_sheet_size(xml: bytes, sheet: str) -> None:
    """Refuse, in Korean, a sheet whose grid would be larger than any roster needs."""
    rows, columns = grid_size(xml)
    if rows > MAX_ROWS:
        message = f"'{sheet}' 시트의 행이 너무 많습니다 ({rows:,}행, 최대 {MAX_ROWS:,}행). 명부를 나누어 올려 주세요"
    elif columns > MAX_COLUMNS:
        message = (f"'{sheet}' 시트의 열이 너무 많습니다 ({columns:,}열, 최대 {MAX_COLUMNS}열). "
                   "서식에 없는 열과 멀리 떨어진 셀을 지운 뒤 올려 주세요")
    elif rows * columns > MAX_CELLS:
        message = (f"'{sheet}' 시트의 범위가 너무 넓습니다 ({rows:,}행 × {columns:,}열, 최대 {MAX_CELLS:,}칸). "
                   "서식에 없는 열과 빈 행을 지운 뒤 올려 주세요")
    else:
        return
    raise RosterRejected([Problem(message)])
