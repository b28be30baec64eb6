"""Checks on the three interchange tables, with every fault named by row and column.

Each ``check_*`` takes a frame as read (text or typed columns), returns the
frame with the engine's column names and types, or raises ``InputError``.
Checks are column expressions evaluated in one pass; rows are located only for
checks that failed.
"""

from __future__ import annotations

import re

import polars as pl

from ..model.schema import Model
from ..scoring.deductions import DEDUCTION_COLUMNS
from .errors import ProblemList

ROW = "__row"
FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet shows it
ROWS_SHOWN = 5  # rows listed per failed check; the rest are counted

INSTITUTION_COLUMNS = ("code", "name", "type", "staff")
RESPONSE_META = ("institution", "survey", "task", "office", "group", "mode")
RESPONSE_REQUIRED = ("institution", "survey")
ITEM_DTYPE = pl.Int16


def _rows(frame: pl.DataFrame, where: pl.Expr, column: str | None, limit: int = ROWS_SHOWN) -> list[tuple[int, object]]:
    picked = frame.with_row_index(ROW, offset=FIRST_DATA_ROW).filter(where).head(limit)
    values = picked[column].to_list() if column else [None] * picked.height
    return list(zip(picked[ROW].to_list(), values))


def _report(problems: ProblemList, frame: pl.DataFrame, label: str, checks: list[tuple[str, str | None, pl.Expr]]):
    """Evaluate ``checks`` (message template, column, bad-row expression) in one pass."""
    _report_groups(problems, frame, label, [(c[2], [c]) for c in checks])


def _report_groups(problems: ProblemList, frame: pl.DataFrame, label: str, groups: list[tuple[pl.Expr, list[tuple]]]):
    """Like ``_report``, but each group is first tested by one fused expression that is
    true where any of its checks fails; only failed groups are broken down. Clean
    files, the common case, then cost a few column passes instead of one per item.
    """
    groups = [g for g in groups if g[1]]
    if not groups or frame.height == 0:
        return
    counts = frame.select(fused.sum().alias(str(i)) for i, (fused, _) in enumerate(groups)).row(0)
    failed = [check for (_, checks), count in zip(groups, counts) if count for check in checks]
    if not failed:
        return
    counts = frame.select(expr.sum().alias(str(i)) for i, (_, _, expr) in enumerate(failed)).row(0)
    for (message, column, expr), count in zip(failed, counts):
        if not count:
            continue
        located = _rows(frame, expr, column)
        for row, value in located:
            problems.add(label, message.format(value=value), row=row, column=column)
        if count > len(located):
            problems.add(label, f"같은 오류가 {count - len(located):,}행 더 있습니다", column=column, count=count - len(located))


def _missing_columns(problems: ProblemList, frame: pl.DataFrame, label: str, required) -> bool:
    missing = [c for c in required if c not in frame.columns]
    for col in missing:
        problems.add(label, "필수 열이 없습니다", row=1, column=col)
    return bool(missing)


def _to_int(problems, frame, label, column, dtype=pl.Int64, *, minimum=None, required=False) -> pl.Series:
    """Cast a text/number column to integers, reporting values that are not integers."""
    series = frame[column]
    if series.dtype == pl.Utf8:
        text = series.str.strip_chars()
        text = text.str.replace(r"^(-?\d+)\.0+$", "${1}")
        cast = text.cast(dtype, strict=False)
        bad = text.is_not_null() & (text != "") & cast.is_null()
    elif series.dtype.is_float():
        cast = series.cast(dtype, strict=False)
        bad = series.is_not_null() & (series != series.round(0))
    else:
        cast = series.cast(dtype, strict=False)
        bad = series.is_not_null() & cast.is_null()
    checks = [("정수가 아닌 값 '{value}'", column, pl.lit(bad))]
    if minimum is not None:
        checks.append((f"{minimum} 이상이어야 합니다 (값: {{value}})", column, pl.lit(cast < minimum).fill_null(False)))
    if required:
        checks.append(("값이 비어 있습니다", column, pl.lit(series.is_null())))
    _report(problems, frame, label, checks)
    return cast


def _text(frame: pl.DataFrame, column: str) -> pl.Series:
    """A text column with surrounding blanks removed and empty cells as missing."""
    return _texts(frame, [column])[0]


def _texts(frame: pl.DataFrame, columns: list[str]) -> list[pl.Series]:
    """Several text columns cleaned like ``_text``.

    Codes repeat a lot (a million rows, a few hundred bodies): the distinct values
    of all columns are checked first, in one parallel pass, and a column is
    rewritten only if one of its values needs it.
    """
    present = [c for c in columns if c in frame.columns]
    distinct = (
        frame.select([pl.col(c).cast(pl.Utf8).unique().drop_nulls().implode() for c in present]).row(0)
        if present and frame.height else [[] for _ in present]
    )
    needs = {
        c: any(v == "" or v != v.strip() or _NEUTRALISED.match(v) for v in values) for c, values in zip(present, distinct)
    }
    out = []
    for column in columns:
        if column not in frame.columns:
            out.append(pl.Series(column, [None] * frame.height, dtype=pl.Utf8))
            continue
        series = frame[column].cast(pl.Utf8)
        if needs[column]:
            # The apostrophe that integrity.exports puts before a text that looks like a
            # formula (= + - @ TAB CR) is taken off again: the value round-trips.
            series = series.str.replace(r"^'(\s*[=+\-@\t\r])", "$1").str.strip_chars().replace("", None)
        out.append(series)
    return out


_NEUTRALISED = re.compile(r"^'\s*[=+\-@\t\r]")


def check_institutions(model: Model, frame: pl.DataFrame, label: str) -> pl.DataFrame:
    problems = ProblemList()
    if _missing_columns(problems, frame, label, INSTITUTION_COLUMNS):
        problems.raise_if_any()
    if frame.height == 0:
        problems.add(label, "기관이 한 곳도 없습니다")
        problems.raise_if_any()
    code, name, type_ = _text(frame, "code"), _text(frame, "name"), _text(frame, "type")
    supervisor = _text(frame, "supervisor")
    staff = _to_int(problems, frame, label, "staff", minimum=0, required=True)
    view = pl.DataFrame([code, name, type_, supervisor])
    known_types = list(model.institution_types)
    checks = [
        ("기관코드가 비어 있습니다", None, pl.col("code").is_null()),
        ("기관코드 '{value}'가 중복됩니다", "code", pl.col("code").is_duplicated() & pl.col("code").is_not_null()),
        ("기관명이 비어 있습니다", None, pl.col("name").is_null()),
        (f"알 수 없는 기관유형 '{{value}}' (허용: {', '.join(known_types)})", "type", ~pl.col("type").is_in(known_types).fill_null(False)),
        ("상급기관 '{value}'가 기관 목록에 없습니다", "supervisor",
         pl.col("supervisor").is_not_null() & ~pl.col("supervisor").is_in(pl.col("code").implode())),
        ("자기 자신을 상급기관으로 둘 수 없습니다", "supervisor", pl.col("supervisor") == pl.col("code")),
    ]
    _report(problems, view, label, checks)
    inputs = []
    for inp in model.inputs:
        if inp.code not in frame.columns:
            continue
        values = _to_float(problems, frame, label, inp.code)
        _report(problems, frame.with_columns(values), label, [
            (f"{inp.name}은(는) {inp.min:g}~{inp.max:g} 사이여야 합니다 (값: {{value}})", inp.code,
             pl.col(inp.code).is_not_null() & ~pl.col(inp.code).is_between(inp.min, inp.max)),
        ])
        inputs.append(values)
    problems.raise_if_any()
    return pl.DataFrame([code.alias("institution"), name, type_, staff.alias("staff"), supervisor, *inputs])


def _to_float(problems, frame, label, column) -> pl.Series:
    series = frame[column]
    text = series.cast(pl.Utf8).str.strip_chars().replace("", None)
    cast = text.cast(pl.Float64, strict=False)
    _report(problems, frame, label, [("수가 아닌 값 '{value}'", column, pl.lit(text.is_not_null() & cast.is_null()))])
    return cast.alias(column)


def response_schema(model: Model, columns: list[str]) -> dict[str, pl.DataType]:
    """Types for the fast read: meta columns as text, item columns as small integers."""
    return {c: (pl.Utf8 if c in RESPONSE_META else ITEM_DTYPE) for c in columns if c in RESPONSE_META or c in model.items}


def check_response_columns(model: Model, columns: list[str], label: str) -> None:
    problems = ProblemList()
    for col in RESPONSE_REQUIRED:
        if col not in columns:
            problems.add(label, "필수 열이 없습니다", row=1, column=col)
    for col in columns:
        if col not in RESPONSE_META and col not in model.items:
            problems.add(label, "모형에 없는 문항 열입니다 (문항 코드를 확인하세요)", row=1, column=col)
    seen = set()
    for col in columns:
        if col in seen:
            problems.add(label, "같은 이름의 열이 두 번 있습니다", row=1, column=col)
        seen.add(col)
    problems.raise_if_any()


def check_responses(model: Model, frame: pl.DataFrame, institutions: pl.DataFrame, label: str) -> pl.DataFrame:
    """Validate one responses table; return it with meta columns as text and items as Int16."""
    check_response_columns(model, frame.columns, label)
    problems = ProblemList()
    if frame.height == 0:
        problems.add(label, "응답이 한 건도 없습니다")
        problems.raise_if_any()
    item_codes = [c for c in frame.columns if c in model.items]
    casts = []
    for code in item_codes:
        if frame[code].dtype == ITEM_DTYPE:
            continue
        casts.append(_to_int(problems, frame, label, code, ITEM_DTYPE).alias(code))
    problems.raise_if_any()
    meta = _texts(frame, list(RESPONSE_META))
    typed = frame.with_columns(*casts, *meta).select(*RESPONSE_META, *item_codes)

    survey_codes = list(model.survey_codes)
    inst_types = dict(zip(institutions["institution"].to_list(), institutions["type"].to_list()))
    checks: list[tuple[str, str | None, pl.Expr]] = [
        ("기관코드가 비어 있습니다", "institution", pl.col("institution").is_null()),
        ("기관 목록에 없는 기관코드 '{value}'", "institution",
         pl.col("institution").is_not_null() & ~pl.col("institution").is_in(list(inst_types))),
        (f"알 수 없는 설문 '{{value}}' (허용: {', '.join(survey_codes)})", "survey",
         ~pl.col("survey").is_in(survey_codes).fill_null(False)),
    ]
    groups = [(c[2], [c]) for c in checks]
    present = set(item_codes)
    for sv in model.surveys:
        takers = [c for c, t in inst_types.items() if t in model.institution_types and sv.code in model.required_surveys(t)]
        in_survey = pl.col("survey") == sv.code
        wrong_type = in_survey & pl.col("institution").is_in(list(inst_types)) & ~pl.col("institution").is_in(takers)
        groups.append((wrong_type, [(f"이 기관의 유형은 {sv.name} 대상이 아닙니다 (기관코드 '{{value}}')", "institution", wrong_type)]))
        own = [i for i in sv.questionnaire_items if i.code in present]
        answered = [pl.col(i.code).is_not_null() for i in own]
        blank = in_survey & ~pl.any_horizontal(answered) if own else in_survey
        groups.append((blank, [(f"{sv.name} 설문지에 답한 문항이 하나도 없습니다", None, blank)]))
        if not own:
            continue
        out_of_range = []
        for item in own:
            codes = sorted(item.answer.codes)
            contiguous = codes == list(range(codes[0], codes[-1] + 1))
            in_range = pl.col(item.code).is_between(codes[0], codes[-1]) if contiguous else pl.col(item.code).is_in(codes)
            allowed = f"{codes[0]}~{codes[-1]}" if contiguous else ", ".join(map(str, codes))
            out_of_range.append((f"응답 코드 {{value}}는 허용되지 않습니다 (허용: {allowed})", item.code,
                                 pl.col(item.code).is_not_null() & ~in_range))
        # the survey test is applied once to the fused expression, not once per item
        groups.append((in_survey & pl.any_horizontal(e for _, _, e in out_of_range),
                       [(m, c, in_survey & e) for m, c, e in out_of_range]))
        foreign = ~in_survey.fill_null(False)
        groups.append((foreign & pl.any_horizontal(answered), [
            (f"{sv.name} 문항에 다른 설문의 응답이 들어 있습니다 (값: {{value}})", i.code, foreign & a)
            for i, a in zip(own, answered)
        ]))
    _report_groups(problems, typed, label, groups)
    problems.raise_if_any()
    return typed


def check_deductions(model: Model, frame: pl.DataFrame, institutions: pl.DataFrame, label: str) -> pl.DataFrame:
    problems = ProblemList()
    if _missing_columns(problems, frame, label, ("institution", "kind")):
        problems.raise_if_any()
    text = {c: _text(frame, c) for c in ("institution", "kind", "category", "position", "detection", "violation", "note",
                                         "index_kind", "ripple")}
    points = _to_float(problems, frame, label, "points") if "points" in frame.columns else pl.Series("points", [None] * frame.height, dtype=pl.Float64)
    amount = _to_int(problems, frame, label, "amount", minimum=0) if "amount" in frame.columns else pl.Series("amount", [None] * frame.height, dtype=pl.Int64)
    people = _to_int(problems, frame, label, "people", minimum=1) if "people" in frame.columns else pl.Series("people", [None] * frame.height, dtype=pl.Int64)
    grade_down = _to_int(problems, frame, label, "grade_down", minimum=0) if "grade_down" in frame.columns else pl.Series("grade_down", [None] * frame.height, dtype=pl.Int64)
    void_text = _text(frame, "void").str.to_lowercase()
    truthy, falsy = ["1", "true", "y", "yes", "예", "o"], ["0", "false", "n", "no", "아니오", "x"]
    void = pl.when(void_text.is_in(truthy)).then(True).when(void_text.is_in(falsy)).then(False).otherwise(None)
    staff = _to_int(problems, frame, label, "staff", minimum=1) if "staff" in frame.columns else pl.Series("staff", [None] * frame.height, dtype=pl.Int64)
    flags = [_text(frame, c).str.to_lowercase() for c in ("habitual", "recount")]
    view = pl.DataFrame([*text.values(), points, amount, people, grade_down, void_text.alias("void"), staff, *flags]).with_columns(
        void.alias("void_flag"),
        *(pl.when(pl.col(c).is_in(truthy)).then(True).when(pl.col(c).is_in(falsy)).then(False).otherwise(None).alias(f"{c}_flag")
          for c in ("habitual", "recount")),
    )
    rules = model.incidents
    cred = model.credibility
    categories = [s for s in model.survey_codes if s in ("external", "internal")]
    incident = pl.col("kind") == "incident"
    credibility = pl.col("kind") == "credibility"

    def allows(sanction: str) -> list[str]:
        return [v.code for v in cred.violations.values() if sanction in v.sanctions]

    checks = [
        ("기관 목록에 없는 기관코드 '{value}'", "institution", ~pl.col("institution").is_in(institutions["institution"].implode()).fill_null(False)),
        ("kind는 incident(부패사건) 또는 credibility(신뢰도 저해행위)여야 합니다 (값: {value})", "kind",
         ~pl.col("kind").is_in(["incident", "credibility"]).fill_null(False)),
        (f"부패사건의 category는 {' 또는 '.join(categories)}여야 합니다 (값: {{value}})", "category",
         incident & ~pl.col("category").is_in(categories).fill_null(False)),
        ("점수(points)가 없으면 직위(position)가 있어야 합니다", "position",
         incident & pl.col("points").is_null() & pl.col("position").is_null()),
        (f"알 수 없는 직위 '{{value}}' (허용: {', '.join(rules.position)})", "position",
         incident & pl.col("position").is_not_null() & ~pl.col("position").is_in(list(rules.position))),
        (f"알 수 없는 적발경로 '{{value}}' (허용: {', '.join(rules.detection)}; 자체 적발 사건은 반영하지 않습니다)", "detection",
         incident & pl.col("detection").is_not_null() & ~pl.col("detection").is_in(list(rules.detection))),
        ("감점은 0 이상이어야 합니다 (값: {value})", "points", pl.col("points") < 0),
        (f"알 수 없는 신뢰도 저해행위 '{{value}}' (허용: {', '.join(cred.violations)})", "violation",
         credibility & ~pl.col("violation").is_in(list(cred.violations)).fill_null(False)),
        (f"이 행위에는 감점을 줄 수 없거나, 감점이 {cred.points_range[0]:g}~{cred.points_range[1]:g} 밖입니다 (값: {{value}})", "points",
         credibility & pl.col("points").is_not_null()
         & (~pl.col("violation").is_in(allows("points")) | ~pl.col("points").is_between(*cred.points_range))),
        (f"이 행위에는 등급 하향을 줄 수 없거나, 하향 단계가 1~{cred.max_grade_down} 밖입니다 (값: {{value}})", "grade_down",
         credibility & (pl.col("grade_down").fill_null(0) > 0)
         & (~pl.col("violation").is_in(allows("grade_down")) | (pl.col("grade_down") > cred.max_grade_down))),
        ("void는 예/아니오(1/0)여야 합니다 (값: {value})", "void", pl.col("void").is_not_null() & pl.col("void_flag").is_null()),
        ("이 행위에는 측정결과 무효를 줄 수 없습니다", "void",
         credibility & pl.col("void_flag").fill_null(False) & ~pl.col("violation").is_in(allows("void"))),
        ("index_kind는 disciplinary(징계지수) 또는 incident(부패사건지수)여야 합니다 (값: {value})", "index_kind",
         pl.col("index_kind").is_not_null() & ~pl.col("index_kind").is_in(["disciplinary", "incident"])),
        (f"알 수 없는 파급력 단계 '{{value}}' (허용: {', '.join(rules.ripple)})", "ripple",
         pl.col("ripple").is_not_null() & ~pl.col("ripple").is_in(list(rules.ripple))),
        *((f"{c}는 예/아니오(1/0)여야 합니다 (값: {{value}})", c, pl.col(c).is_not_null() & pl.col(f"{c}_flag").is_null())
          for c in ("habitual", "recount")),
        ("부패사건 행에는 등급 하향·무효를 쓰지 않습니다 (신뢰도 저해행위 행으로 입력하세요)", "kind",
         incident & ((pl.col("grade_down").fill_null(0) > 0) | pl.col("void_flag").fill_null(False))),
    ]
    _report(problems, view, label, checks)
    problems.raise_if_any()
    return view.with_columns(pl.col("void_flag").alias("void"), pl.col("habitual_flag").alias("habitual"),
                             pl.col("recount_flag").alias("recount")).select(
        *(pl.col(c).cast(t) for c, t in DEDUCTION_COLUMNS.items())
    )
