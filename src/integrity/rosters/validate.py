"""Checking a roster against its form and the year's fieldwork rules (pure).

``check_roster`` normalises every column, then applies the form's rules by
name. Problems are faults the liaison must fix (nothing is stored while any
remain); exclusions are rows the rules take out of the survey with a reason
(head of the institution, litigants with evidence, self-detected cases ...),
kept so the liaison sees what was left out and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from ..model.schema import Fieldwork
from ..sampling import interval_plan
from . import normalise
from .forms import YES, Column, Form
from .problems import Problem
from .workbook import ROW, SheetText

EXCLUDED, REASON, FLAG = "excluded", "exclusion_reason", "flag"
MAX_PROBLEMS = 10_000  # listed one by one; beyond, a file is wrong throughout and the count says so


@dataclass(frozen=True)
class RegisteredBody:
    """A measured body of the year, as the transferred-in form resolves a former body."""

    code: str
    name: str
    type_code: str


@dataclass(frozen=True)
class RosterContext:
    fieldwork: Fieldwork
    family: str = ""  # institution family, for the internal scope
    type_code: str = ""  # institution type; a scope given for the type wins over the family's
    staff: int = 0
    quota: int | None = None  # the task's quota (external roster)
    census: bool = False  # task surveyed in full: no 10x rule
    sublisting: str | None = None  # declared partial list, e.g. "odd_months"
    sublisting_agreed: bool = False
    other_phones: frozenset[str] = frozenset()  # phones on the institution's other rosters ...
    other_emails: frozenset[str] = frozenset()
    match_key: Callable[[str], str] | None = None  # ... as keyed hashes made by this function
    institution_code: str = ""  # the submitting body (국방부 is found by code or name)
    institution_name: str = ""
    registry: tuple[RegisteredBody, ...] = ()  # the year's measured bodies (서식 3-3)
    type_names: dict[str, str] = field(default_factory=dict)  # type code -> name, for messages


@dataclass
class RosterCheck:
    entries: pl.DataFrame
    problems: list[Problem]
    notices: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def excluded_count(self) -> int:
        return int(self.entries[EXCLUDED].sum()) if self.entries.height else 0


class _Checker:
    def __init__(self, frame: pl.DataFrame, headers: dict[str, str]):
        self.frame = frame
        self.headers = headers
        self.problems: list[Problem] = []
        self.excluded = pl.Series(EXCLUDED, [False] * frame.height)
        self.reason = pl.Series(REASON, [None] * frame.height, dtype=pl.Utf8)
        self.flag = pl.Series(FLAG, [None] * frame.height, dtype=pl.Utf8)
        self.present: dict[str, pl.Series] = {}  # non-blank cells as typed, before normalising
        self.unlisted = 0  # row problems past MAX_PROBLEMS, counted only

    def rows(self, mask: pl.Series, message: str | Callable[[dict], str], key: str | None):
        """A problem for every row where ``mask`` holds."""
        mask = mask.fill_null(False)
        found = int(mask.sum())
        if not found:
            return
        self.unlisted += max(0, found - (room := max(0, MAX_PROBLEMS - len(self.problems))))
        column = self.headers.get(key, key) if key else None
        picked = self.frame.filter(mask).head(room)  # a file wrong on every row: memory for the first ones only
        for row in picked.iter_rows(named=True):
            text = message(row) if callable(message) else message
            self.problems.append(Problem(text, row[ROW], column))

    def file(self, message: str):
        self.problems.append(Problem(message))

    def exclude(self, mask: pl.Series, reason: str):
        """Exclude rows (the first reason given stays)."""
        mask = mask.fill_null(False) & ~self.excluded
        self.reason = pl.select(pl.when(mask).then(pl.lit(reason)).otherwise(self.reason)).to_series().alias(REASON)
        self.excluded = self.excluded | mask

    def mark(self, mask: pl.Series, flag: str):
        mask = mask.fill_null(False)
        self.flag = pl.select(pl.when(mask).then(pl.lit(flag)).otherwise(self.flag)).to_series().alias(FLAG)

    def col(self, key: str, dtype: pl.DataType = pl.Utf8) -> pl.Series:
        """A column, or all blanks where the form has no such column: typed, so that a
        rule comparing it (== "자체적발", a date range) works on every form alike."""
        if key in self.frame.columns:
            return self.frame[key]
        return pl.Series(key, [None] * self.frame.height, dtype=dtype)


def _normalise(form: Form, check: _Checker, fieldwork: Fieldwork) -> None:
    columns = {}
    for col in form.columns:
        if col.key not in check.frame.columns:
            continue
        values = normalise.text(check.frame[col.key])
        check.present[col.key] = values.is_not_null()
        too_long = values.str.len_chars() > col.limit
        check.rows(too_long, f"글자가 너무 깁니다 (최대 {col.limit}자)", col.key)
        out, bad = _normalise_column(col, values)
        columns[col.key] = out
        shown = "" if col.pii else " (값: {value})"
        message = {
            "phone": "전화번호 형식이 맞지 않습니다 (예: 010-1234-5678)",
            "email": "전자우편 주소 형식이 맞지 않습니다 (예: hong@example.com)",
            "date": "날짜를 읽을 수 없습니다. 2017-03-15처럼 적어 주세요" + shown,
            "choice": f"허용되지 않는 값입니다 (허용: {', '.join(col.allowed)})" + shown,
            "yes_no": "'예' 또는 '아니오'로 적어 주세요" + shown,
            "int": "숫자가 아닙니다" + shown,
        }.get(col.type)
        if message:
            check.rows(bad, lambda row, m=message, k=col.key: m.format(value=row[k]), col.key)
        if col.required:
            check.rows(values.is_null(), "값이 비어 있습니다", col.key)
    check.frame = check.frame.with_columns(*columns.values())
    # The template's grey example row, left in: the first data row, equal to the
    # example in every column that has one.
    examples = [c for c in form.columns if c.example and c.key in check.frame.columns]
    if examples and check.frame.height:
        first = check.frame.head(1).with_columns(pl.all().cast(pl.Utf8))
        if all(first[c.key][0] == _example_value(c) for c in examples):
            check.rows(check.frame[ROW] == check.frame[ROW][0], "서식의 예시 행입니다. 지우고 제출해 주세요", None)


def _example_value(col: Column) -> str:
    if col.type == "phone":
        return normalise.phones(pl.Series([col.example]))[0][0]
    return col.example


def _normalise_column(col: Column, values: pl.Series) -> tuple[pl.Series, pl.Series]:
    if col.type == "phone":
        return normalise.phones(values)
    if col.type == "email":
        return normalise.emails(values)
    if col.type == "date":
        return normalise.dates(values)
    if col.type == "yes_no":
        return normalise.yes_no(values)
    if col.type == "int":
        return normalise.integers(values)
    if col.type == "choice":
        return normalise.choices(values, col.allowed)
    return values, pl.Series([False] * len(values))


# --- rules, by the names forms.yaml uses ------------------------------------------

def _contact_required(check: _Checker, ctx: RosterContext) -> None:
    blank = pl.Series([True] * check.frame.height)
    missing = ~check.present.get("phone", ~blank) & ~check.present.get("email", ~blank)
    check.rows(missing, "전화번호와 전자우편이 모두 비어 있습니다 (하나는 있어야 조사할 수 있습니다)", "phone")


def _preferred_mode_has_contact(check: _Checker, ctx: RosterContext) -> None:
    """A preferred channel needs its contact on the row (the invitation goes that way)."""
    blank = pl.Series([False] * check.frame.height)
    phone, email = check.present.get("phone", blank), check.present.get("email", blank)
    wanted = check.col("preferred_mode")
    check.rows((wanted == "문자") & ~phone, "선호 응답방식이 '문자'인데 휴대전화가 비어 있습니다", "preferred_mode")
    check.rows((wanted == "전자우편") & ~email, "선호 응답방식이 '전자우편'인데 전자우편이 비어 있습니다", "preferred_mode")
    check.rows((wanted == "둘 다") & ~(phone & email), "선호 응답방식이 '둘 다'이면 휴대전화와 전자우편을 모두 적어야 합니다",
               "preferred_mode")


def _period(key: str, start: date, end: date, label: str, *, exclude: bool):
    def rule(check: _Checker, ctx: RosterContext) -> None:
        values = check.col(key, pl.Date)
        outside = values.is_not_null() & ~values.is_between(start, end)
        span = f"{start:%Y-%m-%d}~{end:%Y-%m-%d}"
        if exclude:
            check.exclude(outside, f"{label}({span}) 밖")
        else:
            check.rows(outside, lambda row: f"{label}({span}) 밖의 날짜입니다 (값: {row[key]:%Y-%m-%d})", key)
    return rule


def _experience_period(check, ctx):
    fw = ctx.fieldwork
    _period("experienced_on", fw.experience_start, fw.experience_end, "측정대상기간", exclude=False)(check, ctx)


def _transfer_period(check, ctx):
    fw = ctx.fieldwork
    _period("transferred_on", fw.transfer_start, fw.transfer_end, "전입 대상기간", exclude=False)(check, ctx)


def _disposition_period(check, ctx):
    fw = ctx.fieldwork
    _period("disposed_on", fw.experience_start, fw.experience_end, "처분 대상기간", exclude=True)(check, ctx)
    check.exclude(check.col("detected_by") == "자체적발", "자체 적발 사건은 반영하지 않음")


def _audit_period(check, ctx):
    fw = ctx.fieldwork
    _period("audited_on", fw.experience_start, fw.experience_end, "수검 대상기간", exclude=True)(check, ctx)


def _sublisting(check: _Checker, ctx: RosterContext) -> None:
    if not ctx.sublisting:
        return
    patterns = ctx.fieldwork.sublisting_patterns
    if ctx.sublisting not in patterns:
        check.file(f"알 수 없는 부분 제출 방식 '{ctx.sublisting}' (허용: {', '.join(patterns.values())})")
        return
    label = patterns[ctx.sublisting]
    if not ctx.sublisting_agreed:
        check.file(f"부분 제출({label})은 민원인이 {ctx.fieldwork.sublisting_threshold:,}명을 넘어 "
                   "위원회 담당자와 협의된 업무만 할 수 있습니다")
        return
    dates = check.col("experienced_on", pl.Date)
    month = dates.dt.month()
    unit = month if "months" in ctx.sublisting else (month - 1) // 3 + 1
    wanted_parity = 1 if ctx.sublisting.startswith("odd") else 0
    check.rows(dates.is_not_null() & (unit % 2 != wanted_parity), f"부분 제출({label})에 해당하지 않는 날짜입니다", "experienced_on")


def _litigants_excluded(check: _Checker, ctx: RosterContext) -> None:
    litigant = check.col("litigant") == YES
    no_evidence = litigant & check.col("evidence").is_null()
    check.rows(no_evidence, "소송 진행 중이면 증빙자료를 적어야 합니다 (증빙이 있어야 조사 대상에서 제외됩니다)", "evidence")
    check.exclude(litigant & ~no_evidence.fill_null(False), "소송 진행(증빙 제출)")


def _duplicates(check: _Checker, key: str, label: str, others: frozenset[str], match_key=None) -> None:
    values = check.col(key)
    if values.is_null().all():
        return
    first = pl.DataFrame({"v": values, ROW: check.frame[ROW]}).select(pl.col(ROW).min().over("v"))[ROW]
    repeated = values.is_not_null() & (first != check.frame[ROW])
    first_of = dict(zip(check.frame[ROW].to_list(), first.to_list()))  # row -> the row it repeats
    check.rows(repeated, lambda row: f"같은 {label}가 {first_of[row[ROW]]}행에도 있습니다", key)
    if others:
        keys = values if match_key is None else values.map_elements(match_key, return_dtype=pl.Utf8)
        check.rows(keys.is_in(list(others)), f"이 기관의 다른 명부(다른 업무)에 같은 {label}가 있습니다", key)


def _no_duplicates(check: _Checker, ctx: RosterContext) -> None:
    _duplicates(check, "phone", "전화번호", ctx.other_phones, ctx.match_key)
    _duplicates(check, "email", "전자우편", ctx.other_emails, ctx.match_key)


def _roster_size(check: _Checker, ctx: RosterContext) -> None:
    if ctx.quota is None:
        return
    eligible = int((~check.excluded).sum())
    needed = ctx.fieldwork.roster_multiple * ctx.quota
    if ctx.census:
        return
    if eligible < needed:
        check.file(
            f"명부 인원이 부족합니다: 조사규모 {ctx.quota:,}명의 {ctx.fieldwork.roster_multiple}배인 {needed:,}명 이상이어야 합니다 "
            f"(조사 대상 {eligible:,}명, 제외 {int(check.excluded.sum()):,}명). 처리 건수가 적은 업무라면 담당자에게 전수조사 지정을 요청하세요"
        )


def _grade_number(grades: pl.Series) -> pl.Series:
    return grades.str.extract(r"(\d+)\s*급").cast(pl.Int64, strict=False)


def _staff_exclusions(check: _Checker, ctx: RosterContext) -> None:
    fw = ctx.fieldwork
    scope = fw.scope.get(ctx.type_code) or fw.scope.get(ctx.family)
    positions, grades = check.col("position"), check.col("grade")
    if scope is not None:
        check.exclude(positions.is_in(scope.excluded_positions), "제외: 기관장·임원 등 직위")
        senior = grades.str.replace_all(r"\s+", " ").is_in(scope.excluded_grades)
        number = _grade_number(grades)
        above = pl.Series([False] * check.frame.height)
        limit = pl.Series([scope.min_grade] * check.frame.height)
        if scope.min_grade is not None:
            if scope.min_grade_hq is not None:
                limit = pl.select(pl.when(check.col("unit") == "본부").then(scope.min_grade_hq).otherwise(limit)).to_series()
            above = number.is_not_null() & (number < limit)
        if scope.senior_rows == "refuse":
            limits = dict(zip(check.frame[ROW].to_list(), limit.to_list()))
            check.rows(senior, lambda row: f"제출범위 밖의 직급입니다: 명부에서 빼고 제출해 주세요 (값: {row['grade']})", "grade")
            check.rows(above, lambda row: f"제출범위보다 높은 직급입니다: {limits[row[ROW]]}급 이하만 명부에 올립니다 "
                                          f"(값: {row['grade']})", "grade")
        else:
            check.exclude(senior, "제외: 고위공무원")
            check.exclude(above, "제외: 제출범위보다 높은 직급")
    _military_ranks(check, ctx)
    check.exclude(check.col("audit_office") == YES, "제외: 감사부서 직원")
    hired = check.col("hired_on", pl.Date)
    ref = fw.staff_reference_date
    check.exclude(hired > ref, f"제외: 기준일({ref:%Y-%m-%d}) 이후 근무 시작")
    cutoff = ref.replace(year=ref.year - fw.min_tenure_years)
    check.exclude(hired > cutoff, f"제외: 근무 {fw.min_tenure_years}년 미만")
    status = check.col("status")
    check.mark(status == "파견", "파견")
    check.mark(status == "휴직", "휴직")


def _military_ranks(check: _Checker, ctx: RosterContext) -> None:
    """국방부: officers of the highest listed rank (대령) and below only; a more senior
    rank is refused, row and column named (the model file lists the ranks)."""
    military = ctx.fieldwork.military
    if military is None or not military.applies_to(ctx.institution_code, ctx.institution_name):
        return
    rank = check.col("grade").str.replace_all(r"\s+", "")
    check.rows(rank.is_in(list(military.above)),
               lambda row: f"{military.highest_listed} 이하만 명부에 올립니다: {military.above[-1]} 이상은 빼고 제출해 주세요 "
                           f"(값: {row['grade']})", "grade")


def _whole_staff_list(check: _Checker, ctx: RosterContext) -> None:
    fw = ctx.fieldwork
    rows = check.frame.height
    if ctx.staff <= fw.whole_list_max_staff:
        needed = int(ctx.staff * fw.whole_list_min_share)
        if rows < needed:
            check.file(f"직원 {fw.whole_list_max_staff:,}명 이하 기관은 전 직원 명부를 내야 합니다 "
                       f"(정원 {ctx.staff:,}명, 제출 {rows:,}명)")
        return
    plan = interval_plan(fw, ctx.staff)
    if plan.list_size and rows < int(plan.list_size * fw.whole_list_min_share):
        check.file(f"명부 규모가 작습니다: 정원 {ctx.staff:,}명인 기관은 부서선정(k={plan.k})으로 약 {plan.list_size:,}명을 "
                   f"제출합니다 (제출 {rows:,}명)")


def _department_order(check: _Checker, ctx: RosterContext) -> None:
    order = check.col("order", pl.Int64)
    check.rows(order.is_duplicated() & order.is_not_null(), "직제순번이 중복됩니다", "order")
    check.rows(order < 1, "직제순번은 1 이상이어야 합니다", "order")


def _former_institution(check: _Checker, ctx: RosterContext) -> None:
    from .transfers import resolve_former

    resolve_former(check, ctx)


RULES: dict[str, Callable[[_Checker, RosterContext], None]] = {
    "contact_required": _contact_required,
    "preferred_mode_has_contact": _preferred_mode_has_contact,
    "experience_period": _experience_period,
    "transfer_period": _transfer_period,
    "disposition_period": _disposition_period,
    "audit_period": _audit_period,
    "sublisting": _sublisting,
    "litigants_excluded": _litigants_excluded,
    "no_duplicates": _no_duplicates,
    "roster_size": _roster_size,
    "staff_exclusions": _staff_exclusions,
    "whole_staff_list": _whole_staff_list,
    "department_order": _department_order,
    "former_institution": _former_institution,
}

# Size rules judge the roster after exclusions, so they run last.
_LAST = ("roster_size", "whole_staff_list")


def check_roster(form: Form, sheet: SheetText, ctx: RosterContext) -> RosterCheck:
    check = _Checker(sheet.frame, sheet.headers)
    if sheet.frame.height == 0:
        check.file("명부에 자료가 한 행도 없습니다")
        return RosterCheck(sheet.frame, check.problems, sheet.notices)
    _normalise(form, check, ctx.fieldwork)
    ordered = [r for r in form.rules if r not in _LAST] + [r for r in form.rules if r in _LAST]
    for name in ordered:
        RULES[name](check, ctx)
    check.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    if check.unlisted:
        check.problems.insert(0, Problem(f"오류가 너무 많아 처음 {MAX_PROBLEMS:,}건만 적었습니다 "
                                         f"(나머지 {check.unlisted:,}건). 서식과 같은 열에 적었는지 확인해 주세요"))
    entries = check.frame.with_columns(check.excluded, check.reason, check.flag)
    return RosterCheck(entries, check.problems, list(sheet.notices))
