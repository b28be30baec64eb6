"""A plan from a workbook: blanks repeat the strategy and core task above; every bad cell
is named by row and column and nothing is taken."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from integrity.programme.plan_file import PlanFileRejected, read_plan

HEADER = ["추진 전략", "핵심과제", "세부과제", "담당 부서", "분야", "기한", "성과지표", "목표값", "단위"]


def workbook(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_blank_strategy_and_core_repeat_the_row_above():
    rows = read_plan(workbook([
        ["반부패·청렴제도의 내재화", "청렴 리더십", "청렴 서약", "감사실", "", datetime(2025, 6, 30), "서약률", 100, "%"],
        [None, None, "청렴 메시지", "감사실", None, "2025-03-31", None, None, None],
        [None, "청탁금지 운영", "상담창구", None, None, None, None, "1,200", "건"],
        ["취약 분야 개선", "자체감사", "계약 감사", "감사실", "계약·공사", None, None, None, None],
    ]))
    assert [(r.strategy, r.core, r.title) for r in rows] == [
        ("반부패·청렴제도의 내재화", "청렴 리더십", "청렴 서약"), ("반부패·청렴제도의 내재화", "청렴 리더십", "청렴 메시지"),
        ("반부패·청렴제도의 내재화", "청탁금지 운영", "상담창구"), ("취약 분야 개선", "자체감사", "계약 감사")]
    assert rows[0].deadline == date(2025, 6, 30) and rows[1].deadline == date(2025, 3, 31)
    assert rows[2].kpi_target == 1200.0 and rows[3].field == "계약·공사"


def test_every_bad_cell_is_named_by_row_and_column():
    with pytest.raises(PlanFileRejected) as caught:
        read_plan(workbook([
            ["전략", "핵심", "과제", None, None, "30/06/2025", None, "많이", None],
            ["새 전략", None, "과제2", None, None, None, None, None, None],  # a new strategy needs its core task
            [None, None, "=HYPERLINK(\"x\")", None, None, None, None, None, None],
        ]))
    problems = caught.value.problems
    assert "2행 '기한': 날짜는 2025-06-30처럼 적으세요" in problems
    assert "2행 '목표값': 숫자를 적으세요" in problems
    assert "3행 '핵심과제': 비어 있습니다" in problems
    assert "4행 '세부과제': 수식은 받지 않습니다" in problems


def test_missing_columns_and_non_workbooks_are_refused():
    with pytest.raises(PlanFileRejected, match="1행: 열이 없습니다: 세부과제"):
        read_plan(workbook([["a", "b"]], header=["추진 전략", "핵심과제"]))
    with pytest.raises(PlanFileRejected, match="엑셀"):
        read_plan(b"%PDF-1.4 not a workbook")
