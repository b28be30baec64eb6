"""Opening an uploaded roster: decryption, the form's sheet, its header, its rows.

Everything is read as text, so codes and phone numbers keep their leading
zeros. Faults that make the file unreadable raise ``RosterRejected`` with a
Korean message; nothing about the file's content is kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

import fastexcel
import msoffcrypto
import polars as pl
from msoffcrypto.exceptions import DecryptionError, InvalidKeyError

from .archive import check_archive
from .extent import check_shared_strings, check_sheet_size
from .forms import Form, header_key
from .problems import Problem, RosterRejected, SheetMissing

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HELP_SHEET = "작성요령"
HEADER_SEARCH_ROWS = 10
ROW = "__row"

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_FIRST_VALUE_CELL = re.compile(rb'<c r="[A-Z]+(\d+)"[^>]*?(?<!/)>(?:<f[^>]*(?:/>|>[^<]*</f>))?<(?:v|is)>')
_FORMULA = re.compile(rb"<f[ >/]")
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*>(?:(?!</c>).)*?<f[ >/]', re.S)
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _reject(message: str) -> RosterRejected:
    return RosterRejected([Problem(message)])


def decrypt(data: bytes, password: str | None) -> tuple[bytes, list[str]]:
    """Plain xlsx bytes, and notices about the file (e.g. it had no password)."""
    if data.startswith(OLE_MAGIC):
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        try:
            encrypted = office.is_encrypted()
        except Exception as exc:
            raise _reject("엑셀 파일을 열 수 없습니다 (손상되었거나 지원하지 않는 형식입니다)") from exc
        if not encrypted:
            raise _reject("예전 엑셀 형식(.xls)입니다. 엑셀에서 .xlsx 형식으로 저장해 다시 올려 주세요")
        if not password:
            raise _reject("암호가 걸린 파일입니다. 파일의 비밀번호를 함께 입력해 주세요")
        out = io.BytesIO()
        try:
            office.load_key(password=password)
            office.decrypt(out)
        except (InvalidKeyError, DecryptionError) as exc:
            raise _reject("비밀번호가 맞지 않습니다. 파일에 설정한 비밀번호를 다시 확인해 주세요") from exc
        except Exception as exc:
            raise _reject("암호를 풀 수 없는 파일입니다 (지원하지 않는 암호화 방식)") from exc
        opened = out.getvalue()
        del out, office  # one copy of what the password opened, not three
        check_archive(opened)  # what the password opened is checked like any archive
        return opened, []
    if data.startswith(ZIP_MAGIC):
        check_archive(data)
        notices = ["암호가 걸려 있지 않은 파일입니다. 명부 파일은 암호를 설정해 제출해야 합니다"] if not password else []
        return data, notices
    raise _reject("엑셀(.xlsx) 파일이 아닙니다. 서식 파일에 작성해 올려 주세요")


@dataclass
class SheetText:
    frame: pl.DataFrame  # one text column per form key that was found, plus __row
    headers: dict[str, str]  # key -> the header text as found
    notices: list[str] = field(default_factory=list)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML inside the archive, in workbook order."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _choose_sheet(names: list[str], form: Form, exact: bool) -> str:
    """The form's sheet; in a one-sheet roster a renamed sheet is forgiven, never in a
    workbook of several forms (there a missing sheet is missing, not another one)."""
    if form.sheet in names:
        return form.sheet
    candidates = [n for n in names if n != HELP_SHEET]
    if len(candidates) == 1 and not exact:
        return candidates[0]
    raise SheetMissing(form.sheet, f"'{form.sheet}' 시트가 없습니다 (파일의 시트: {', '.join(names)}). "
                                   "서식 파일의 시트 이름을 바꾸지 마세요")


def read_sheet(xlsx: bytes, form: Form, *, exact_sheet: bool = False) -> SheetText:
    check_archive(xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(xlsx))
        paths = _sheet_paths(archive)
        name = _choose_sheet(list(paths), form, exact_sheet)
        check_shared_strings(archive)
        xml = archive.read(paths[name])
    except RosterRejected:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise _reject("엑셀 파일의 구조가 손상되어 읽을 수 없습니다") from exc
    check_sheet_size(xml, name)  # the grid the parser would build, bounded before it builds it
    _reject_merged_cells(xml)
    _reject_formulas(xml)
    first = _FIRST_VALUE_CELL.search(xml)
    if first is None:
        raise _reject(f"'{name}' 시트가 비어 있습니다")
    first_row = int(first.group(1))
    del xml, archive, first  # the sheet's text, up to 100 MB, is not kept while the parser builds the rows
    try:
        sheet = fastexcel.read_excel(xlsx).load_sheet(name, header_row=None, dtypes="string")
        raw = sheet.to_polars()
    except Exception as exc:
        raise _reject(f"'{name}' 시트를 읽을 수 없습니다") from exc
    return _locate_columns(raw, form, first_row)


def _reject_merged_cells(xml: bytes) -> None:
    merges = [m.group(0).split(b'"')[1].decode() for m in _MERGE.finditer(xml)]
    if merges:
        shown = ", ".join(merges[:5]) + (" …" if len(merges) > 5 else "")
        raise _reject(f"병합된 셀이 있습니다 ({shown}). 병합을 풀고 한 칸에 한 값만 적어 주세요")


def _reject_formulas(xml: bytes) -> None:
    if not _FORMULA.search(xml):
        return
    cells = [m.group(1).decode() for m in _FORMULA_CELL.finditer(xml)]
    shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
    raise _reject(f"수식이 들어 있는 셀이 있습니다 ({shown or '위치 미상'}). 값으로 붙여넣기 한 뒤 올려 주세요")


def read_csv_sheet(data: bytes, form: Form) -> SheetText:
    """A form's table saved as CSV: UTF-8 (with or without BOM) or CP949 as Korean Excel
    saves it, read as text, its columns found by header as in a workbook."""
    import csv

    if b"\x00" in data:
        raise RosterRejected([Problem("CSV 파일이 아닙니다 (이진 파일)")])
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterRejected([Problem("CSV 파일의 문자 인코딩을 읽을 수 없습니다 (UTF-8 또는 CP949로 저장해 주세요)")])
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise RosterRejected([Problem(f"CSV 파일을 읽을 수 없습니다 ({exc})")]) from exc
    if not rows:
        raise RosterRejected([Problem("CSV 파일이 비어 있습니다")])
    width = max(len(r) for r in rows)
    columns = {f"column_{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)}
    return _locate_columns(pl.DataFrame(columns, schema={c: pl.Utf8 for c in columns}), form, 1)


def read_form_file(data: bytes, filename: str, form: Form, password: str | None) -> SheetText:
    """An xlsx (password-protected or not) or a CSV file of ``form``, by its name."""
    if filename.lower().endswith(".csv"):
        return read_csv_sheet(data, form)
    xlsx, notices = decrypt(data, password or None)
    sheet = read_sheet(xlsx, form)
    sheet.notices[:0] = notices
    return sheet


def _locate_columns(raw: pl.DataFrame, form: Form, first_row: int) -> SheetText:
    wanted = {}
    for col in form.columns:
        for text in (col.header, *col.aliases):
            wanted[header_key(text)] = col.key
    header_index = None
    for i in range(min(HEADER_SEARCH_ROWS, raw.height)):
        cells = [header_key(v) for v in raw.row(i)]
        if sum(c in wanted for c in cells) >= max(1, len(form.columns) // 2):
            header_index = i
            break
    if header_index is None:
        expected = ", ".join(c.header for c in form.columns)
        raise _reject(f"머리글 행을 찾을 수 없습니다. 첫 행에 서식의 머리글({expected})이 있어야 합니다")
    header_row = first_row + header_index
    found: dict[str, str] = {}
    headers: dict[str, str] = {}
    problems = []
    for name, text in zip(raw.columns, raw.row(header_index)):
        key = wanted.get(header_key(text))
        if key is None:
            continue
        if key in found:
            problems.append(Problem("같은 머리글이 두 번 있습니다", header_row, str(text).strip()))
            continue
        found[key] = name
        headers[key] = re.sub(r"[\s*]+$", "", str(text).strip())
    for col in form.columns:
        if col.key not in found and (col.required or col.type in ("phone", "email")):
            problems.append(Problem(f"필수 열이 없습니다 (머리글 '{col.header}')", header_row, col.header))
    if problems:
        raise RosterRejected(problems)
    body = raw.slice(header_index + 1)
    frame = body.select(
        *(pl.col(src).str.strip_chars().replace("", None).alias(key) for key, src in found.items())
    ).with_columns(pl.int_range(header_row + 1, header_row + 1 + body.height, dtype=pl.Int64).alias(ROW))
    data_cols = [c for c in frame.columns if c != ROW]
    blank = ~pl.any_horizontal(pl.col(c).is_not_null() for c in data_cols)
    blank_count = frame.select(blank.sum()).item()
    frame = frame.filter(~blank)
    notices = [f"빈 행 {blank_count:,}개는 건너뛰었습니다"] if blank_count else []
    for col in form.columns:
        headers.setdefault(col.key, col.header)
    return SheetText(frame=frame, headers=headers, notices=notices)
