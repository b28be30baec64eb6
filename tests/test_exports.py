"""The one writer (integrity.exports) by itself: text stays text, Korean Excel reads
the CSV, xlsx carries formats and a data dictionary, rows stream."""

import csv
import io

import numpy as np
import openpyxl
import polars as pl
import pytest

from integrity import exports
from integrity.interchange import write_table
from integrity.scoring.engine import round_half_up

HOSTILE = ['=HYPERLINK("http://x","a")', "+SUM(1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1", " =1",
           "\n=1", "\u3000+1"]
HARMLESS = ["가람부", "a=b", "1-2", "", "'인용", "user@example.org"]
COLUMNS = [exports.Column("name", "기관명", meaning="이름"), exports.Column("n", "응답 수", "int"),
           exports.Column("score", "점수", "score", decimals=2), exports.Column("rate", "응답률", "percent")]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(exports.BOM), "CSV must start with the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(data[len(exports.BOM):].decode("utf-8"), newline="")))


def test_every_formula_start_is_neutralised_and_nothing_else():
    assert [exports.neutralise(h) for h in HOSTILE] == ["'" + h for h in HOSTILE]
    assert [exports.neutralise(h) for h in HARMLESS] == HARMLESS


def test_csv_has_a_bom_korean_headers_neutralised_text_and_numbers_as_numbers(tmp_path):
    out = exports.write("csv", COLUMNS, [(h, -1, 7.945, 0.5) for h in HOSTILE], tmp_path / "t.csv")
    rows = _csv(out.read_bytes())
    assert rows[0] == ["기관명", "응답 수", "점수", "응답률"]
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    assert {tuple(r[1:]) for r in rows[1:]} == {("-1", "7.95", "0.5")}  # negative numbers untouched; scores as published


def test_scores_are_rounded_as_the_engine_publishes_them():
    values = np.array([7.945, 7.944999999, 0.005, 99.995, 85.125, 3.3349999])
    assert [exports.round_published(v, 2) for v in values] == list(round_half_up(values, 2))


def test_xlsx_cells_are_strings_never_formulas_with_formats_and_a_dictionary(tmp_path):
    out = exports.write("xlsx", COLUMNS, [(h, 12345, 7.945, 0.5) for h in HOSTILE], tmp_path / "t.xlsx", sheet="결과")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["결과", "열 설명"]
    sheet = book["결과"]
    assert [c.value for c in sheet[1]] == ["기관명", "응답 수", "점수", "응답률"] and sheet.freeze_panes == "A2"
    names = [sheet.cell(r, 1) for r in range(2, 2 + len(HOSTILE))]
    # xlsx stores CR as the escape _x000D_ (Excel shows CR; openpyxl leaves the escape)
    assert [c.value for c in names] == [h.replace("\r", "_x000D_") for h in HOSTILE]
    assert {c.data_type for c in names} == {"s"}
    n, score, rate = sheet["B2"], sheet["C2"], sheet["D2"]
    assert (n.value, n.number_format) == (12345, "#,##0")
    assert (score.value, score.number_format) == (7.95, "#,##0.00")
    assert (rate.value, rate.number_format) == (0.5, "0.0%")
    assert sheet.column_dimensions["A"].width >= 10  # sized from the header and the first rows
    legend = [[c.value for c in row] for row in book["열 설명"].iter_rows()]
    assert legend[0] == ["열 이름", "코드", "설명"] and legend[1] == ["기관명", "name", "이름"]


def test_a_table_too_long_for_one_sheet_is_refused_in_korean(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 5)
    with pytest.raises(exports.ExportError, match="csv나 parquet"):
        exports.write("xlsx", COLUMNS, [("a", 1, 1.0, 0.1)] * 5, tmp_path / "t.xlsx")


def test_parquet_keeps_machine_codes_and_streams_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 3)
    rows = [(h, i, 7.945, 0.5) for i, h in enumerate(HOSTILE)]
    frame = pl.read_parquet(exports.write("parquet", COLUMNS, iter(rows), tmp_path / "t.parquet"))
    assert frame.columns == ["name", "n", "score", "rate"] and frame["name"].to_list() == HOSTILE  # data, unaltered
    assert frame["n"].to_list() == list(range(len(HOSTILE))) and set(frame["score"]) == {7.95}


def test_frames_follow_the_same_rule_as_rows(tmp_path):
    """The fast path for polars frames (CLI outputs) neutralises exactly what the row
    writer does."""
    frame = pl.DataFrame({"name": HOSTILE + HARMLESS, "n": list(range(len(HOSTILE + HARMLESS)))})
    cols = exports.columns_of(frame)
    by_frame = exports.write_frame("csv", frame, tmp_path / "f.csv").read_bytes()
    by_rows = exports.write("csv", cols, frame.iter_rows(), tmp_path / "r.csv", machine_headers=True).read_bytes()
    assert _csv(by_frame) == _csv(by_rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_interchange_files_keep_text_as_text_and_read_back_unchanged(tmp_path, fmt):
    """``integrity score --out`` and ``generate`` write through the same writer, with
    machine codes as headers (the engine reads these files back; its reader takes the
    apostrophe off again, tested with export_responses)."""
    frame = pl.DataFrame({"institution": [f"{i:07d}" for i in range(len(HOSTILE))], "name": HOSTILE,
                          "overall": [80.5] * len(HOSTILE)})
    out = write_table(frame, tmp_path / f"result.{fmt}")
    data = out.read_bytes()
    if fmt == "csv":
        rows = _csv(data)
        assert rows[0] == ["institution", "name", "overall"] and [r[1] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        assert [c.value for c in sheet[1]] == ["institution", "name", "overall"]
        assert {sheet.cell(r, 2).data_type for r in range(2, 2 + len(HOSTILE))} == {"s"}
    else:
        assert pl.read_parquet(out)["name"].to_list() == HOSTILE  # data for machines, unaltered
