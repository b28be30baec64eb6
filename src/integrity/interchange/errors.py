"""Input problems reported to people: file, row, column and a Korean message."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED = 50  # problems listed in full; the rest are counted


@dataclass(frozen=True)
class InputProblem:
    file: str
    message: str
    row: int | None = None  # spreadsheet row: the header is row 1, the first data row is row 2
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.row}행")
        if self.column is not None:
            where.append(f"'{self.column}' 열")
        return f"{' '.join(where)}: {self.message}"


class InputError(ValueError):
    """Bad input; nothing has been written. ``problems`` names every row and column found."""

    def __init__(self, problems: list[InputProblem], total: int | None = None, *, heading: str | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        self.heading = heading  # the first line, where "input data" would mislead (an output path)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [self.heading or f"입력 자료에 오류가 {self.total:,}건 있어 아무것도 저장하지 않았습니다."]
        lines += [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if self.total > MAX_LISTED:
            lines.append(f"  … 외 {self.total - MAX_LISTED:,}건 (앞의 오류를 고친 뒤 다시 확인하세요)")
        return "\n".join(lines)


class ProblemList:
    """Collects problems up to a limit while counting all of them."""

    def __init__(self) -> None:
        self.items: list[InputProblem] = []
        self.total = 0

    def add(self, file: str, message: str, row: int | None = None, column: str | None = None, count: int = 1):
        self.total += count
        if len(self.items) < MAX_LISTED:
            self.items.append(InputProblem(file, message, row, column))

    def raise_if_any(self) -> None:
        if self.total:
            raise InputError(self.items, self.total)
