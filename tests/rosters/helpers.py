"""Filling and encrypting roster workbooks the way a liaison's Excel would."""

from __future__ import annotations

import io
from datetime import date

from msoffcrypto.format.ooxml import OOXMLFile
import openpyxl

from integrity.rosters import build_template, get_form
from integrity.rosters.template import filled_workbook


def filled(form_code: str, rows: list[dict], *, fieldwork=None, keep_example=False) -> bytes:
    """The form's template with ``rows`` (dicts by column key) written from row 2 (row 3
    after the example row with ``keep_example``)."""
    form = get_form(form_code)
    if not keep_example:
        return filled_workbook(form, rows, fieldwork)
    book = openpyxl.load_workbook(io.BytesIO(build_template(form, fieldwork)))
    sheet = book[form.sheet]
    for r, row in enumerate(rows, start=3):
        for c, col in enumerate(form.columns, start=1):
            if row.get(col.key) is not None:
                sheet.cell(r, c, row[col.key])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def encrypt(xlsx: bytes, password: str) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx)).encrypt(password, out)
    return out.getvalue()


def external_rows(n: int, start: int = 0, **overrides) -> list[dict]:
    return [
        {"name": f"민원인{i}", "phone": f"010-{2000 + i // 10000:04d}-{i % 10000:04d}", "experienced_on": date(2017, 1, 1 + i % 28),
         "detail": "건축허가", "litigant": "아니오", **overrides}
        for i in range(start, start + n)
    ]


def staff_rows(n: int, **overrides) -> list[dict]:
    return [
        {"name": f"직원{i:04d}", "unit": "본부", "department": f"과{i % 20}", "grade": "6급", "position": "주무관",
         "hired_on": date(2010, 3, 2), "employment": "정규직", "status": "재직", "audit_office": "아니오",
         "phone": f"010-3{i // 10000:03d}-{i % 10000:04d}", **overrides}
        for i in range(n)
    ]
