"""A plan from a simple workbook: one row per sub-task, columns named in Korean
(추진 전략, 핵심과제, 세부과제, 담당 부서, 분야, 기한, 성과지표, 목표값, 단위). A blank
strategy or core task repeats the one above (the way such plans are written). Every bad
cell is reported with its row and column; nothing is taken from a file with any."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

COLUMNS = {"추진 전략": "strategy", "핵심과제": "core", "세부과제": "title", "담당 부서": "owner", "분야": "field",
           "기한": "deadline", "성과지표": "kpi_name", "목표값": "kpi_target", "단위": "kpi_unit"}
REQUIRED = ("추진 전략", "핵심과제", "세부과제")
MAX_ROWS = 500
LIMITS = {"strategy": 200, "core": 200, "title": 200, "owner": 100, "field": 100, "kpi_name": 200, "kpi_unit": 20}


class PlanFileRejected(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlanRow:
    row: int
    strategy: str
    core: str
    title: str
    owner: str = ""
    field: str = ""
    deadline: date | None = None
    kpi_name: str = ""
    kpi_target: float | None = None
    kpi_unit: str = ""


def read_plan(data: bytes) -> list[PlanRow]:
    """The rows of the workbook's first sheet; PlanFileRejected with every problem."""
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanFileRejected(["엑셀(xlsx) 파일이 아닙니다"])
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # a damaged or password-protected workbook
        raise PlanFileRejected(["엑셀 파일을 읽을 수 없습니다 (암호가 걸렸거나 손상된 파일)"]) from None
    if not rows:
        raise PlanFileRejected(["빈 파일입니다"])
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise PlanFileRejected([f"1행: 열이 없습니다: {', '.join(missing)}"])
    where = {COLUMNS[name]: i for i, name in enumerate(header) if name in COLUMNS}
    problems, out, strategy, core = [], [], "", ""
    if len(rows) > MAX_ROWS + 1:
        problems.append(f"세부과제는 {MAX_ROWS}개까지 한 번에 가져올 수 있습니다")
    for number, raw in enumerate(rows[1:MAX_ROWS + 1], start=2):
        cells = {key: raw[i] if i < len(raw) else None for key, i in where.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        values, bad = {}, []
        for key, value in cells.items():
            name = next(n for n, k in COLUMNS.items() if k == key)
            if isinstance(value, str) and value.startswith("="):
                bad.append(f"{number}행 '{name}': 수식은 받지 않습니다")
                continue
            try:
                values[key] = _cell(key, value)
            except ValueError as exc:
                bad.append(f"{number}행 '{name}': {exc}")
        strategy = values.get("strategy") or strategy
        core = values.get("core") or (core if not values.get("strategy") else "")
        if not bad:
            for key, name in (("strategy", "추진 전략"), ("core", "핵심과제"), ("title", "세부과제")):
                if not {"strategy": strategy, "core": core, "title": values.get("title")}[key]:
                    bad.append(f"{number}행 '{name}': 비어 있습니다")
        problems += bad
        if not bad:
            out.append(PlanRow(number, strategy, core, values["title"], values.get("owner", ""), values.get("field", ""),
                               values.get("deadline"), values.get("kpi_name", ""), values.get("kpi_target"),
                               values.get("kpi_unit", "")))
    if problems:
        raise PlanFileRejected(problems)
    if not out:
        raise PlanFileRejected(["가져올 세부과제가 없습니다"])
    return out


def _cell(key: str, value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None if key in ("deadline", "kpi_target") else ""
    if key == "deadline":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError("날짜는 2025-06-30처럼 적으세요") from None
    if key == "kpi_target":
        try:
            number = float(str(value).replace(",", "").strip())
        except ValueError:
            raise ValueError("숫자를 적으세요") from None
        if number != number or abs(number) > 1e12:
            raise ValueError("숫자가 범위를 벗어났습니다")
        return number
    text = str(value).strip()
    if len(text) > LIMITS[key]:
        raise ValueError(f"{LIMITS[key]}자까지 적을 수 있습니다")
    return text
