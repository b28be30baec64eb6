"""The check's report as an Excel file: every problem with its row and column, through
the one writer (file names and messages quote the liaison's text: kept as text)."""

from __future__ import annotations

from integrity.exports import Column
from integrity.rosters import get_form

COLUMNS = [Column("row", "행", "int", "명부 파일의 행 번호"), Column("column", "열", meaning="명부 서식의 열 이름"),
           Column("message", "내용", meaning="고칠 점")]


def problems_table(upload) -> tuple[list[Column], list[tuple], list[tuple[str, object]]]:
    """(columns, rows, summary lines above the table)."""
    summary = [("서식", get_form(upload.form_code).title), ("파일", upload.filename),
               ("결과", upload.get_status_display()), ("오류", len(upload.problems))]
    summary += [("알림", note) for note in upload.notices]
    rows = [(p.get("row") or None, p.get("column") or None, p["message"]) for p in upload.problems]
    return COLUMNS, rows, summary
