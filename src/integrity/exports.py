"""The one writer of every table a person downloads or a command exports.

- Text is text. A cell that starts with = + - @ TAB or CR (also after leading spaces)
  would be run as a formula by a spreadsheet (OWASP "CSV injection"): in CSV such a text
  cell gets a leading apostrophe, which Excel shows as text and ``integrity.interchange``
  strips on reading back; in xlsx every string is written as a string (never a formula
  or a link). Numbers stay numbers.
- Korean Excel opens the CSV without garbling: UTF-8 with a byte-order mark, Korean
  column headers. The xlsx has a named sheet, the header row frozen, widths from the
  header and the first rows, number formats with thousands separators, scores rounded
  as published, and a second sheet ("열 설명") giving each column's header, machine code
  and meaning. Parquet is for machines: machine codes as column names.
- Rows stream: CSV and xlsx (xlsxwriter's constant-memory mode) are written row by row
  and Parquet batch by batch, so a year of responses never sits in memory whole.

Pure: no Django.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import polars as pl
import xlsxwriter

FORMATS = ("csv", "xlsx", "parquet")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PATTERN = r"^\s*[=+\-@\t\r]"  # the same rule for polars frames
BOM = "\ufeff".encode("utf-8")
BATCH = 10_000  # rows per Parquet part held in memory
ROW_GROUP = 50_000  # rows per row group of the joined Parquet file
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
WIDTH_SAMPLE = 200  # rows read ahead to size the xlsx columns
MIME = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SAFE_WORKBOOK = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
KINDS = ("text", "int", "score", "float", "percent", "date", "bool")


class ExportError(ValueError):
    """A table that cannot be written as asked (Korean message)."""


@dataclass(frozen=True)
class Column:
    """One column: its machine code, its Korean header, what kind of value it holds
    (text, int, score, float, percent, date, bool) and, for the data dictionary, its meaning.
    A bool column holds True/False for machines (Parquet) and the words a view gives people."""

    code: str
    header: str
    kind: str = "text"
    meaning: str = ""
    decimals: int = 2  # scores: the published precision

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"알 수 없는 열 종류입니다: {self.kind} (허용: {', '.join(KINDS)})")

    @property
    def polars_type(self) -> pl.DataType:
        return {"int": pl.Int64, "score": pl.Float64, "float": pl.Float64, "percent": pl.Float64,
                "date": pl.Date, "bool": pl.Boolean}.get(self.kind, pl.Utf8)


_FORMULA = re.compile(FORMULA_PATTERN)


def neutralise(value: str) -> str:
    """A text cell that a spreadsheet would take for a formula, made plain text."""
    return "'" + value if _FORMULA.match(value) else value


def round_published(value: float, decimals: int) -> float:
    """Publication rounding, as the engine's ``round_half_up``: half away from zero on
    the decimal value (7.945 -> 7.95), binary noise removed first."""
    factor = 10.0**decimals
    return math.floor(round(value * factor, 9) + 0.5) / factor


def workbook(target, **options) -> xlsxwriter.Workbook:
    """Every xlsx this project writes starts here: strings stay strings."""
    return xlsxwriter.Workbook(target, {**SAFE_WORKBOOK, "remove_timezone": True, **options})


def columns_of(frame: pl.DataFrame) -> list[Column]:
    """Columns for a frame that has no spec: codes as headers, kinds from the types."""
    def kind(dtype) -> str:
        if dtype.is_integer():
            return "int"
        if dtype.is_float():
            return "float"
        return "date" if dtype in (pl.Date, pl.Datetime) else "text"
    return [Column(name, name, kind(dtype)) for name, dtype in frame.schema.items()]


def _cell(value, column: Column) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if column.kind == "score" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return round_published(value, column.decimals)
    return value


def _clean(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[list]:
    for row in rows:
        yield [_cell(v, c) for v, c in zip(row, columns)]


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence], out: BinaryIO, *, machine_headers: bool = False) -> None:
    """CSV for Korean Excel (BOM, Korean headers) or, with ``machine_headers``, for the
    engine (codes as headers; still BOM and neutralised text, which it reads back)."""
    out.write(BOM)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([_csv_value(c.code if machine_headers else c.header) for c in columns])
    for row in _clean(columns, rows):
        writer.writerow([_csv_value(value) for value in row])
    text.detach()


def _csv_value(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: Hangul and other wide letters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], out, *, sheet: str = "자료",
               dictionary: bool = True, machine_headers: bool = False,
               preamble: Sequence[tuple[str, object]] = ()) -> None:
    """xlsx in constant memory: strings as strings, formats by kind, frozen header.
    ``preamble``: (label, value) lines above the table (a report's summary)."""
    on_disk = isinstance(out, (str, Path))
    book = workbook(str(out) if on_disk else out, **({"constant_memory": True} if on_disk else {"in_memory": True}))
    header = book.add_format({"bold": True, "bg_color": "#DDE7F5", "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = _number_formats(book, columns)
    data = book.add_worksheet(sheet[:31])
    rows = _clean(columns, rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    titles = [c.code if machine_headers else c.header for c in columns]
    for i, title in enumerate(titles):  # widths first: constant-memory mode writes rows in order
        seen = [display_width(_shown(row[i])) for row in sample if row[i] is not None]
        data.set_column(i, i, max(8, min(50, max([display_width(title) + 2, *(w + 2 for w in seen)]))))
    for r, (label, value) in enumerate(preamble):
        data.write_string(r, 0, label, header)
        _write(data, r, 1, value, None)
    top = len(preamble) + 1 if preamble else 0  # a blank line between summary and table
    data.freeze_panes(top + 1, 0)
    data.set_row(top, 30)
    for i, title in enumerate(titles):
        data.write_string(top, i, title, header)
    last = top
    for last, row in enumerate(itertools.chain(sample, rows), start=top + 1):
        if last >= XLSX_MAX_ROWS:
            book.close()
            raise ExportError(f"xlsx 한 시트에는 {XLSX_MAX_ROWS - 1 - top:,}행까지만 들어갑니다: csv나 parquet으로 받으세요")
        for i, value in enumerate(row):
            _write(data, last, i, value, formats[i])
    data.autofilter(top, 0, max(last, top), len(columns) - 1)
    if dictionary and any(c.header != c.code or c.meaning for c in columns):
        _dictionary(book, header, columns)
    book.close()


def _number_formats(book, columns: Sequence[Column]) -> list:
    """One cell format per column: thousands separators, percentages, published decimals."""
    shared = {"int": book.add_format({"num_format": "#,##0"}), "percent": book.add_format({"num_format": "0.0%"}),
              "float": book.add_format({"num_format": "#,##0.00"}), "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    scores = {}
    for c in columns:
        if c.kind == "score" and c.decimals not in scores:
            scores[c.decimals] = book.add_format({"num_format": "#,##0." + "0" * c.decimals if c.decimals else "#,##0"})
    return [scores[c.decimals] if c.kind == "score" else shared.get(c.kind) for c in columns]


def _shown(value) -> str:
    return value.isoformat()[:10] if isinstance(value, (date, datetime)) else str(value)


def _write(sheet, r: int, c: int, value, fmt) -> None:
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(r, c, value)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value, fmt)
    elif isinstance(value, (date, datetime)):
        sheet.write_datetime(r, c, value, fmt)
    else:
        sheet.write_string(r, c, str(value))


def _dictionary(book, header, columns: Sequence[Column]) -> None:
    legend = book.add_worksheet("열 설명")
    legend.freeze_panes(1, 0)
    for c, title in enumerate(("열 이름", "코드", "설명")):
        legend.write_string(0, c, title, header)
    legend.set_column(0, 1, 24)
    legend.set_column(2, 2, 60)
    for r, col in enumerate(columns, start=1):
        legend.write_string(r, 0, col.header)
        legend.write_string(r, 1, col.code)
        legend.write_string(r, 2, col.meaning)


def write_parquet(columns: Sequence[Column], rows: Iterable[Sequence], out: Path) -> None:
    """Parquet with machine codes as names, written batch by batch as temporary Parquet
    parts joined by polars' streaming sink: memory holds a batch, not the table. (Arrow
    parts were memory-mapped whole by the sink: 450 MB for a million responses.)"""
    schema = {c.code: c.polars_type for c in columns}
    with tempfile.TemporaryDirectory(prefix="export-", dir=Path(out).parent) as folder:
        parts = []
        for n, batch in enumerate(_batches(_clean(columns, rows), BATCH)):
            part = Path(folder) / f"{n:06d}.parquet"
            # column lists, not row tuples: half the memory of orient="row"
            pl.DataFrame(dict(zip(schema, map(list, zip(*batch)))), schema=schema).write_parquet(part)
            parts.append(part)
        if not parts:
            pl.DataFrame(schema=schema).write_parquet(out)
            return
        pl.scan_parquet([str(p) for p in parts]).sink_parquet(out, row_group_size=ROW_GROUP)


def write(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence], out: Path, *, sheet: str = "자료",
          machine_headers: bool = False, preamble: Sequence[tuple[str, object]] = ()) -> Path:
    """Write ``rows`` (sequences in ``columns`` order) to the file ``out`` in ``fmt``."""
    out = Path(out)
    if fmt == "csv":
        with out.open("wb") as fh:
            write_csv(columns, rows, fh, machine_headers=machine_headers)
    elif fmt == "xlsx":
        write_xlsx(columns, rows, str(out), sheet=sheet, machine_headers=machine_headers, preamble=preamble)
    elif fmt == "parquet":
        write_parquet(columns, rows, out)
    else:
        raise ExportError(f"지원하지 않는 형식입니다: {fmt} (허용: {', '.join(FORMATS)})")
    return out


def write_frame(fmt: str, frame: pl.DataFrame, out: Path, *, columns: Sequence[Column] | None = None,
                sheet: str = "자료", machine_headers: bool = True) -> Path:
    """A polars frame through the same rules; CSV and Parquet in polars itself (a
    million rows in seconds), with the same neutralisation and BOM as ``write_csv``."""
    columns = list(columns or columns_of(frame))
    if fmt == "csv":
        texts = [c.code for c in columns if frame.schema[c.code] == pl.Utf8]
        safe = frame.select([c.code for c in columns]).with_columns(
            *(pl.when(pl.col(c).str.contains(FORMULA_PATTERN)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
              for c in texts),
            *(((pl.col(c.code) * 10.0**c.decimals).round(9) + 0.5).floor().truediv(10.0**c.decimals).alias(c.code)
              for c in columns if c.kind == "score"))
        if not machine_headers:
            safe = safe.rename({c.code: neutralise(c.header) for c in columns})
        safe.write_csv(out, include_bom=True)
        return Path(out)
    if fmt == "parquet":
        frame.select([c.code for c in columns]).write_parquet(out)
        return Path(out)
    return write(fmt, columns, frame_rows(frame, columns), out, sheet=sheet, machine_headers=machine_headers)


def frame_rows(frame: pl.DataFrame, columns: Sequence[Column]) -> Iterator[tuple]:
    """The rows of a frame in ``columns`` order (a column the frame lacks is blank)."""
    present = [c.code for c in columns if c.code in frame.columns]
    for row in frame.select(present).iter_rows(named=True):
        yield tuple(row.get(c.code) for c in columns)


def _batches(rows: Iterable[Sequence], size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(tuple(row))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
