"""Excel templates for every form: Korean headers, input hints, data validation
and an example row; phone and code columns are formatted as text so Excel does
not turn 010... into a number."""

from __future__ import annotations

import io
from datetime import date

from ..exports import workbook
from ..model.schema import Fieldwork
from .forms import Column, Form
from .workbook import HELP_SHEET

TYPE_NAMES = {"text": "글자", "name": "성명", "phone": "전화번호", "email": "전자우편", "date": "날짜",
              "choice": "목록에서 선택", "yes_no": "예/아니오", "int": "숫자"}
DATA_ROWS = 20_000  # rows that carry validation and text formats


def build_template(form: Form, fieldwork: Fieldwork | None = None, *, institution: str = "", task: str = "") -> bytes:
    return build_workbook([form], fieldwork, institution=institution, task=task)


def build_workbook(forms: list[Form], fieldwork: Fieldwork | None = None, *, institution: str = "", task: str = "") -> bytes:
    """One sheet per form, and a help sheet describing the first form's columns."""
    buf = io.BytesIO()
    book = workbook(buf, in_memory=True)  # institution and task names are text, never formulas
    styles = {
        "header": book.add_format({"bold": True, "bg_color": "#DDE7F5", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        "required": book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "example": book.add_format({"italic": True, "font_color": "#808080", "num_format": "@"}),
        "example_date": book.add_format({"italic": True, "font_color": "#808080", "num_format": "yyyy-mm-dd"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    sheets = []
    for form in forms:
        sheet = book.add_worksheet(form.sheet)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 32)
        for i, col in enumerate(form.columns):
            _column(sheet, styles, i, col, fieldwork)
        sheets.append(sheet)
    _help_sheet(book, styles, forms[0], fieldwork, institution, task)
    sheets[0].activate()
    book.close()
    return buf.getvalue()


def _column(sheet, styles, i: int, col: Column, fieldwork: Fieldwork | None) -> None:
    header = f"{col.header} *" if col.required else col.header
    sheet.write_string(0, i, header, styles["required" if col.required else "header"])
    width = max(12, len(col.header) * 2 + 4, len(col.example or "") + 4)
    fmt = styles["date"] if col.type == "date" else styles["text"] if col.type in ("text", "name", "phone", "email", "choice", "yes_no") else None
    sheet.set_column(i, i, width, fmt)
    hint = col.hint or TYPE_NAMES[col.type]
    sheet.write_comment(0, i, f"{col.header}: {hint}" + (" (필수)" if col.required else ""), {"x_scale": 2, "y_scale": 1.2})
    validation = {"input_title": col.header[:32], "input_message": hint[:255], "error_type": "warning"}
    if col.type in ("choice", "yes_no"):
        validation |= {"validate": "list", "source": list(col.allowed),
                       "error_title": "목록에 없는 값", "error_message": f"허용: {', '.join(col.allowed)}"[:255]}
    elif col.type == "date":
        start = fieldwork.experience_start if fieldwork else date(1900, 1, 1)
        validation |= {"validate": "date", "criteria": ">=", "value": date(1950, 1, 1) if col.key != "experienced_on" else start,
                       "error_title": "날짜", "error_message": "2017-03-15처럼 날짜로 입력하세요"}
    elif col.type == "int":
        validation |= {"validate": "integer", "criteria": ">=", "value": 0,
                       "error_title": "숫자", "error_message": "0 이상의 정수를 입력하세요"}
    else:
        validation |= {"validate": "any"}
    sheet.data_validation(1, i, DATA_ROWS, i, validation)
    if col.example is not None:
        if col.type == "date":
            sheet.write_datetime(1, i, date.fromisoformat(col.example), styles["example_date"])
        else:
            sheet.write_string(1, i, col.example, styles["example"])


def _help_sheet(book, styles, form: Form, fieldwork: Fieldwork | None, institution: str, task: str) -> None:
    help_ = book.add_worksheet(HELP_SHEET)
    help_.set_column(0, 0, 18)
    help_.set_column(1, 4, 30, styles["wrap"])
    help_.write(0, 0, form.title, styles["title"])
    lines = []
    if institution:
        lines.append(("기관", institution))
    if task:
        lines.append(("측정대상업무", task))
    if fieldwork:
        lines.append(("측정대상기간", f"{fieldwork.experience_start:%Y-%m-%d} ~ {fieldwork.experience_end:%Y-%m-%d}"))
        lines.append(("제출기한", f"{fieldwork.roster_due:%Y-%m-%d}"))
    lines += [
        ("작성 방법", f"'{form.sheet}' 시트 2행의 회색 예시를 지우고 그 자리(2행)부터 작성합니다. 머리글과 시트 이름은 바꾸지 않습니다."),
        ("필수 항목", "머리글에 * 표시가 있는 열은 비울 수 없습니다."),
        ("금지", "셀 병합, 수식, 머리글 변경은 하지 않습니다. 값으로 붙여넣기 합니다."),
        ("보안", "파일에 암호를 설정해 올리고, 암호는 업로드 화면에 따로 입력합니다(저장하지 않음)."),
    ]
    for r, (label, text) in enumerate(lines, start=2):
        help_.write(r, 0, label, styles["header"])
        help_.merge_range(r, 1, r, 4, text, styles["wrap"])
    start = len(lines) + 4
    for c, title in enumerate(("열", "필수", "형식", "작성 요령", "예시")):
        help_.write(start, c, title, styles["header"])
    for r, col in enumerate(form.columns, start=start + 1):
        help_.write_row(r, 0, [col.header, "예" if col.required else "", TYPE_NAMES[col.type],
                               col.hint + (f" (허용: {', '.join(col.allowed)})" if col.allowed else ""), col.example or ""])


def filled_workbook(form: Form, rows: list[dict], fieldwork: Fieldwork | None = None) -> bytes:
    """The form's template with ``rows`` (dicts by column key) written from row 2, in place
    of the example row: a file as a liaison would send it (demo years, tests)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(build_template(form, fieldwork)))
    sheet = book[form.sheet]
    sheet.delete_rows(2)
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(form.columns, start=1):
            if row.get(col.key) is not None:
                sheet.cell(r, c, row[col.key])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
