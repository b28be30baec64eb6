"""서식 3-3 (transferred-in staff): each row's former body, resolved against the year's
registry. The staff become policy customers of that body (실시계획 III.3), so a row
whose former body cannot be found, or is not one the plan lets them rate, is refused
with the row and column named; the resolved code and name are written back so that
the invitation finds the body without guessing again."""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl

from .workbook import ROW

CODE, NAME = "previous_code", "previous_institution"


def _plain(name: str | None) -> str:
    return re.sub(r"\s+", "", name or "")


def resolve_former(check, ctx) -> None:
    rules = ctx.fieldwork.transferred_in
    if CODE not in check.frame.columns and NAME not in check.frame.columns:
        return
    by_code = {b.code: b for b in ctx.registry}
    by_name = defaultdict(list)
    for body in ctx.registry:
        by_name[_plain(body.name)].append(body)
    codes, names = check.col(CODE).to_list(), check.col(NAME).to_list()
    problems: dict[int, tuple[str, str]] = {}  # row -> (message, column)
    resolved_code, resolved_name = [], []
    for row, code, name in zip(check.frame[ROW].to_list(), codes, names):
        body, problem = _find(code, name, by_code, by_name)
        if body is not None and problem is None:
            problem = _allowed(body, ctx, rules)
        if problem:
            problems[row] = problem
        resolved_code.append(body.code if body else code)
        resolved_name.append(body.name if body else name)
    for column in (CODE, NAME):
        mask = check.frame[ROW].is_in([r for r, (_, c) in problems.items() if c == column])
        check.rows(mask, lambda row: problems[row[ROW]][0], column)
    check.frame = check.frame.with_columns(pl.Series(CODE, resolved_code, dtype=pl.Utf8),
                                           pl.Series(NAME, resolved_name, dtype=pl.Utf8))


def _find(code, name, by_code, by_name):
    """(body, None) or (body or None, (message, column))."""
    if code:
        body = by_code.get(code)
        if body is None:
            return None, (f"올해 측정대상기관 등록부에 없는 기관코드입니다 (값: {code})", CODE)
        if name and _plain(name) != _plain(body.name):
            return body, (f"기관코드 {code}는 '{body.name}'입니다: 기관명과 기관코드가 서로 다른 기관입니다 (값: {name})", NAME)
        return body, None
    if not name:
        return None, ("이전 재직기관의 기관명이나 기관코드를 적어 주세요", NAME)
    found = by_name.get(_plain(name), [])
    if not found:
        return None, (f"올해 측정대상기관 등록부에 없는 기관입니다. 등록부의 기관명이나 기관코드로 적어 주세요 (값: {name})", NAME)
    if len(found) > 1:
        return None, (f"같은 이름의 기관이 여러 곳입니다. 이전 재직기관 코드를 적어 주세요 (값: {name})", NAME)
    return found[0], None


def _allowed(body, ctx, rules) -> tuple[str, str] | None:
    if body.code == ctx.institution_code:
        return f"이전 재직기관이 현 기관과 같습니다 (값: {body.name})", NAME
    if rules is None:
        return None
    if ctx.type_code in rules.basic_types and body.type_code in rules.basic_types:
        return (f"기초자치단체에서 기초자치단체로 전입한 직원은 명부에서 빼고 작성합니다 (이전 재직기관: {body.name})", NAME)
    if body.type_code not in rules.former_types:
        allowed = "·".join(ctx.type_names.get(t, t) for t in rules.former_types)
        kind = ctx.type_names.get(body.type_code, body.type_code)
        return (f"{allowed}에서 전입한 직원만 적습니다: 이전 재직기관의 정책고객으로 조사합니다 "
                f"(이전 재직기관: {body.name}, {kind})", NAME)
    return None
