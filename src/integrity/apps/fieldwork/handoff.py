"""Completed responses handed to the engine (``manage.py export_responses``), streamed
from the database through the one writer: a year of a million rows in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from integrity import exports

from .monitoring import year_responses

FIELDS = ("institution__code", "survey", "task__code", "office", "group", "mode", "answers")
META = [
    exports.Column("institution", "기관코드", meaning="기관 코드"),
    exports.Column("survey", "설문", meaning="external / internal / policy (측정모형의 설문 코드)"),
    exports.Column("task", "측정대상업무", meaning="기관코드-업무코드 (외부청렴도)"),
    exports.Column("office", "지방관서", meaning="지방관서 코드"),
    exports.Column("group", "응답자 집단", meaning="citizen, business, staff, … (응답자 집단 코드)"),
    exports.Column("mode", "조사 방법", meaning="web, phone, … (응답 경로)"),
]


def columns(model) -> list[exports.Column]:
    """Machine codes (the interchange format the engine reads) with Korean headers and
    each item's question for the xlsx's 열 설명 sheet."""
    return META + [exports.Column(item.code, f"{item.code} {item.name}", "int", meaning=item.text)
                   for item in model.items.values()]


def rows(year, items: list[str]) -> Iterator[tuple]:
    for r in year_responses(year, *FIELDS):
        code, answers = r["institution__code"], r["answers"]
        yield (code, r["survey"], f"{code}-{r['task__code']}" if r["task__code"] else None, r["office"] or None,
               r["group"] or None, r["mode"], *[answers.get(c) for c in items])


def write_responses(year, out: Path, fmt: str) -> int:
    """Write the year's completed responses to ``out`` (replaced only when complete);
    returns how many were written."""
    cols = columns(year.model)
    counted = 0

    def counting():
        nonlocal counted
        for row in rows(year, [c.code for c in cols[len(META):]]):
            counted += 1
            yield row

    tmp = out.with_name(f".{out.name}.part")
    try:
        exports.write(fmt, cols, counting(), tmp, sheet="응답", machine_headers=True)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return counted
