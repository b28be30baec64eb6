"""The one writer of every table a person downloads or a command exports.

- Text is text. A cell that starts with = + - @ TAB or CR would be run as a formula by
  a spreadsheet (OWASP "CSV injection"): in CSV such a text cell gets a leading
  apostrophe, which Excel shows as text and ``integrity.interchange`` strips on reading
  back; in xlsx every string is written as a string (never a formula or a link).
- Korean Excel opens the CSV without garbling: UTF-8 with a byte-order mark, Korean
  column headers. The xlsx has a named sheet, the Korean headers frozen, widths,
  number formats with thousands separators, scores with the published decimals, and a
  second sheet ("열 설명") giving each column's machine code and meaning. Parquet is
  for machines: machine codes as column names.
- Rows stream: CSV and xlsx (xlsxwriter's constant-memory mode) are written row by row
  and Parquet batch by batch, so a year of responses never sits in memory whole.

Pure: no Django.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import polars as pl
import xlsxwriter

FORMATS = ("csv", "xlsx", "parquet")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode("utf-8")
BATCH = 50_000  # rows per Parquet batch
MIME = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SAFE_WORKBOOK = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


@dataclass(frozen=True)
class Column:
    """One column: its machine code, its Korean header, what kind of value it holds
    (text, int, score, float, percent, date) and, for the data dictionary, its meaning."""

    code: str
    header: str
    kind: str = "text"
    meaning: str = ""
    decimals: int = 2  # scores: the published precision

    @property
    def polars_type(self) -> pl.DataType:
        return {"int": pl.Int64, "score": pl.Float64, "float": pl.Float64, "percent": pl.Float64,
                "date": pl.Date}.get(self.kind, pl.Utf8)


def neutralise(value: str) -> str:
    """A text cell that a spreadsheet would take for a formula, made plain text."""
    stripped = value.lstrip(" ")
    return "'" + value if stripped.startswith(FORMULA_START) or value.startswith(FORMULA_START) else value


def workbook(target, **options) -> xlsxwriter.Workbook:
    """Every xlsx this project writes starts here: strings stay strings."""
    return xlsxwriter.Workbook(target, {**SAFE_WORKBOOK, **options})


def _cell(value) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence], out: BinaryIO, *, machine_headers: bool = False) -> None:
    """CSV for Korean Excel (BOM, Korean headers) or, with ``machine_headers``, for the
    engine (codes as headers; still BOM and neutralised text, which it reads back)."""
    out.write(BOM)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.code if machine_headers else c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    text.detach()


def _csv_value(value) -> object:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], out, *, sheet: str = "자료",
               dictionary: bool = True, machine_headers: bool = False) -> None:
    """xlsx in constant memory: strings as strings, formats by kind, frozen Korean header."""
    on_disk = isinstance(out, (str, Path))
    book = workbook(str(out) if on_disk else out, **({"constant_memory": True} if on_disk else {"in_memory": True}))
    header = book.add_format({"bold": True, "bg_color": "#DDE7F5", "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {"int": book.add_format({"num_format": "#,##0"}), "percent": book.add_format({"num_format": "0.0%"}),
               "float": book.add_format({"num_format": "#,##0.00"}), "date": book.add_format({"num_format": "yyyy-mm-dd"})}
    scores = {}
    data = book.add_worksheet(sheet[:31])
    data.freeze_panes(1, 0)
    data.set_row(0, 30)
    for i, col in enumerate(columns):
        data.write_string(0, i, col.code if machine_headers else col.header, header)
        width = max(10, min(40, len(col.header) * 2 + 2))
        if col.kind == "score":
            scores.setdefault(col.decimals, book.add_format({"num_format": "0." + "0" * col.decimals if col.decimals else "0"}))
        data.set_column(i, i, width)
    cell_formats = [scores.get(c.decimals) if c.kind == "score" else formats.get(c.kind) for c in columns]
    for r, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            value = _cell(value)
            if value is None:
                continue
            if isinstance(value, str):
                data.write_string(r, i, value)
            elif isinstance(value, bool):
                data.write_boolean(r, i, value)
            elif isinstance(value, (int, float)):
                data.write_number(r, i, round(value, columns[i].decimals) if columns[i].kind == "score" else value,
                                  cell_formats[i])
            elif isinstance(value, (date, datetime)):
                data.write_datetime(r, i, value, cell_formats[i])
            else:
                data.write_string(r, i, str(value))
    if dictionary:
        legend = book.add_worksheet("열 설명")
        for c, title in enumerate(("열 이름", "코드", "설명")):
            legend.write_string(0, c, title, header)
        legend.set_column(0, 1, 24)
        legend.set_column(2, 2, 60)
        for r, col in enumerate(columns, start=1):
            legend.write_string(r, 0, col.header)
            legend.write_string(r, 1, col.code)
            legend.write_string(r, 2, col.meaning)
    book.close()


def write_parquet(columns: Sequence[Column], rows: Iterable[Sequence], out: Path) -> None:
    """Parquet with machine codes as names, written batch by batch through temporary
    Arrow files and polars' streaming sink: memory holds one batch, not the table."""
    schema = {c.code: c.polars_type for c in columns}
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        parts = []
        for n, batch in enumerate(_batches(rows, BATCH)):
            part = Path(folder) / f"{n:06d}.arrow"
            pl.DataFrame(batch, schema=schema, orient="row").write_ipc(part)
            parts.append(part)
        if not parts:
            pl.DataFrame(schema=schema).write_parquet(out)
            return
        pl.scan_ipc([str(p) for p in parts]).sink_parquet(out)


def write(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence], out: Path, *, sheet: str = "자료",
          machine_headers: bool = False) -> Path:
    """Write ``rows`` (sequences in ``columns`` order) to the file ``out`` in ``fmt``."""
    if fmt == "csv":
        with out.open("wb") as fh:
            write_csv(columns, rows, fh, machine_headers=machine_headers)
    elif fmt == "xlsx":
        write_xlsx(columns, rows, str(out), sheet=sheet, machine_headers=machine_headers, dictionary=not machine_headers)
    elif fmt == "parquet":
        write_parquet(columns, rows, out)
    else:
        raise ValueError(f"지원하지 않는 형식입니다: {fmt} (허용: {', '.join(FORMATS)})")
    return out


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
