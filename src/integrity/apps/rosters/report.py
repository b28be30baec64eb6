"""The check's report as an Excel file: every problem with its row and column."""

from __future__ import annotations

import io

from integrity.exports import workbook
from integrity.rosters import get_form


def problems_workbook(upload) -> bytes:
    buf = io.BytesIO()
    book = workbook(buf, in_memory=True)  # file names and problems are liaisons' text: strings stay strings
    bold = book.add_format({"bold": True, "bg_color": "#DDE7F5", "border": 1})
    sheet = book.add_worksheet("점검결과")
    sheet.write_row(0, 0, ["서식", get_form(upload.form_code).title], bold)
    sheet.write_row(1, 0, ["파일", upload.filename])
    sheet.write_row(2, 0, ["결과", upload.get_status_display()])
    sheet.write_row(3, 0, ["오류", len(upload.problems)])
    sheet.write_row(5, 0, ["행", "열", "내용"], bold)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 90)
    for r, p in enumerate(upload.problems, start=6):
        sheet.write_row(r, 0, [p.get("row") or "", p.get("column") or "", p["message"]])
    if upload.notices:
        notes = book.add_worksheet("알림")
        for r, note in enumerate(upload.notices):
            notes.write(r, 0, note)
    book.close()
    return buf.getvalue()
