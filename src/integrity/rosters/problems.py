"""What the liaison is told: one line per fault, with row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None  # spreadsheet row (header = 1)
    column: str | None = None  # the column's header as the liaison sees it

    def __str__(self) -> str:
        where = " ".join(x for x in (f"{self.row}행" if self.row else "", f"'{self.column}' 열" if self.column else "") if x)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RosterRejected(Exception):
    """The file cannot be read at all (wrong password, not Excel, no such sheet ...)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class SheetMissing(RosterRejected):
    """The workbook has no sheet of the form's name (and none may stand in for it)."""

    def __init__(self, sheet: str, message: str):
        self.sheet = sheet
        super().__init__([Problem(message)])
