"""The grid a sheet would make is bounded before the reader builds it: a few bytes of
XML that name far-away cells are refused, a real roster is not."""

import io
import zipfile

import openpyxl
import pytest

from integrity.rosters import RosterRejected, get_form, read_sheet
from integrity.rosters import extent
from integrity.rosters.extent import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, grid_size

from .helpers import external_rows, filled


def _book(cells: dict[str, str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "명부"
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _messages(info) -> str:
    return " ".join(p.message for p in info.value.problems)


def test_two_far_apart_cells_in_a_tiny_file_are_refused_before_parsing():
    data = _book({"A1": "성명", "XFD1048576": "x"})  # 5 KB; the reader would lay out 17 billion cells
    assert len(data) < 10_000
    with pytest.raises(RosterRejected) as info:
        read_sheet(data, get_form("external"))
    assert "시트의 행이 너무 많습니다 (1,048,576행, 최대 250,000행)" in _messages(info)


@pytest.mark.parametrize(("far", "said"), [
    ("CW2", "시트의 열이 너무 많습니다 (101열, 최대 100열)"),
    ("CV40000", "시트의 범위가 너무 넓습니다 (40,000행 × 100열, 최대 3,000,000칸)"),
])
def test_a_grid_too_wide_or_too_large_is_refused_naming_its_size(far, said):
    with pytest.raises(RosterRejected) as info:
        read_sheet(_book({"A1": "성명", far: "x"}), get_form("external"))
    assert said in _messages(info)


def test_the_grid_counts_references_in_any_attribute_order_and_cells_written_without_one():
    assert grid_size(b'<sheetData><row r="2"><c s="1"\nr="AB99"/></row></sheetData>') == (99, 28)
    # Rows and cells without a reference are placed after the previous one.
    assert grid_size(b'<x:sheetData><x:row><x:c/><x:c/><x:c/></x:row><x:row><x:c/></x:row></x:sheetData>') == (2, 3)
    assert grid_size(b'<sheetData><row r="5"><c r="A5"/><c/><c/></row><row/></sheetData>') == (6, 4)
    assert grid_size(b'<sheetData><row r="1"><c r="AAAA1"/></row></sheetData>')[1] > MAX_COLUMNS


def test_a_real_roster_of_100000_rows_is_within_the_grid_limits():
    rows = range(1, 100_002)
    xml = b"<sheetData>" + b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d" t="s"><v>%d</v></c>' % (c, r, r) for c in (b"A", b"B", b"C", b"D", b"I"))
        + b"</row>" for r in rows) + b"</sheetData>"
    size = grid_size(xml)
    assert size == (100_001, 9)
    assert size[0] <= MAX_ROWS and size[0] * size[1] <= MAX_CELLS
    extent.check_sheet_size(xml, "명부")


def test_a_roster_from_the_template_reads_as_before():
    sheet = read_sheet(filled("external", external_rows(50)), get_form("external"))
    assert sheet.frame.height == 50


def test_more_shared_texts_than_cells_are_refused(monkeypatch):
    monkeypatch.setattr(extent, "MAX_CELLS", 100)
    data = _book({f"A{i}": f"값{i}" for i in range(1, 60)} | {f"B{i}": f"다른{i}" for i in range(1, 60)})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for part in src.infolist():  # the same workbook with a longer list of shared texts
            if part.filename != "xl/sharedStrings.xml":
                dst.writestr(part, src.read(part))
        dst.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>a</t></si>" * 150 + b"</sst>")
    with pytest.raises(RosterRejected) as info:
        read_sheet(out.getvalue(), get_form("external"))
    assert "서로 다른 값 150개, 최대 100개" in _messages(info)


def test_a_file_wrong_on_every_row_lists_the_first_problems_and_counts_the_rest(m2017, monkeypatch):
    from integrity.rosters import RosterContext, check_upload, validate

    monkeypatch.setattr(validate, "MAX_PROBLEMS", 25)
    rows = external_rows(40, phone="전화 없음")  # 40 bad phones
    result = check_upload(get_form("external"), filled("external", rows), None,
                          RosterContext(fieldwork=m2017.fieldwork, quota=1, census=True))
    assert len(result.problems) == 26
    assert result.problems[0].message.startswith("오류가 너무 많아 처음 25건만 적었습니다 (나머지 15건)")
