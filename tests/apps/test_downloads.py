"""Every download through the one writer: text stays text (no live formula in any
CSV or xlsx), CSV opens in Korean Excel (BOM), people read Korean headers."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.core.management import call_command
from django.urls import reverse

from integrity import exports

HOSTILE = ['=HYPERLINK("http://x","a")', "+SUM(1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1", " =1", "\n=1"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(exports.BOM), "CSV must start with the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(data[len(exports.BOM):].decode("utf-8"), newline="")))


def _xlsx_cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _assert_no_formula(cells) -> None:
    for cell in cells:
        assert cell.data_type != "f", f"a formula in {cell.coordinate}: {cell.value!r}"


def _assert_text(cells, *values) -> None:
    """Each hostile value is in the workbook, as a string cell (xlsx escapes CR)."""
    found = {c.value.replace("_x000D_", "\r"): c.data_type for c in cells if isinstance(c.value, str)}
    for value in values:
        assert found.get(value) == "s", (value, found.get(value))


def _assert_neutralised(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            assert not re.match(exports.FORMULA_PATTERN, value), value


def _header_row(data: bytes, sheet: str | None = None, row: int = 1) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for c in (book[sheet] if sheet else book.worksheets[0])[row] if c.value is not None]


def test_the_writer_neutralises_every_formula_start():
    cols = [exports.Column("name", "이름"), exports.Column("n", "수", "int")]
    out = io.BytesIO()
    exports.write_csv(cols, [(h, -1) for h in HOSTILE], out)
    rows = _csv_cells(out.getvalue())
    assert rows[0] == ["이름", "수"]
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE] and {r[1] for r in rows[1:]} == {"-1"}  # numbers stay numbers


@pytest.fixture
def hostile_year(db, m2017):
    from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask
    from integrity.apps.results.services import publish, run_from_database
    from integrity.apps.results.year_loader import load_generated_year
    from integrity.generate import generate_year

    year = AssessmentYear.objects.create(year=2017, model_name="2017")
    load_generated_year(year, generate_year(m2017, seed=5, responses=6_000))
    bodies = list(Institution.objects.order_by("code")[: len(HOSTILE)])
    for body, name in zip(bodies, HOSTILE):
        Institution.objects.filter(pk=body.pk).update(name=name)
    TargetTask.objects.filter(pk=TargetTask.objects.order_by("pk").first().pk).update(name=HOSTILE[0])
    return publish(run_from_database(year), None)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_open_data_keeps_hostile_names_as_text(client, hostile_year, fmt):
    response = client.get(reverse("results:download", kwargs={"fmt": fmt}))
    data = _body(response)
    if fmt == "csv":
        rows = _csv_cells(data)
        assert rows[0][:4] == ["기관코드", "기관명", "기관유형 코드", "기관유형"]
        _assert_neutralised(rows)
        assert "'" + HOSTILE[0] in [r[1] for r in rows]
        assert {r[4] for r in rows[1:]} <= {"채점", "미채점", "무효", "상급기관에 포함"}  # statuses in words, not codes
    elif fmt == "xlsx":
        cells = _xlsx_cells(data)
        _assert_no_formula(cells)
        _assert_text(cells, *HOSTILE[:4])  # the names themselves, as text (the registry trims the rest)
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames == ["2017년 결과", "열 설명"] and book.worksheets[0]["A1"].value == "기관코드"
    else:
        frame = pl.read_parquet(io.BytesIO(data))
        assert HOSTILE[0] in frame["name"].to_list() and "institution" in frame.columns  # machine codes for machines


def test_the_monitoring_workbook_keeps_hostile_names_as_text(client, invited, users, registry):
    from integrity.apps.registry.models import Institution, TargetTask

    Institution.objects.filter(pk=registry["a"].pk).update(name=HOSTILE[1])
    TargetTask.objects.filter(pk=registry["task_a"].pk).update(name=HOSTILE[2])
    client.force_login(users["analyst"])
    data = _body(client.get(reverse("monitoring:export")))
    cells = _xlsx_cells(data)
    _assert_no_formula(cells)
    _assert_text(cells, HOSTILE[1], HOSTILE[2])
    assert _header_row(data)[:4] == ["기관코드", "기관", "측정대상업무", "설문"] and "응답률 RR1" in _header_row(data)


def test_roster_templates_and_problem_reports_keep_hostile_text_as_text(client, users, registry):
    from integrity.apps.registry.models import Institution

    from tests.rosters.helpers import external_rows, filled

    Institution.objects.filter(pk=registry["a"].pk).update(name=HOSTILE[0])
    client.force_login(users["admin"])
    template = client.get(reverse("rosters:task_template", kwargs={"institution_id": registry["a"].pk,
                                                                   "form_code": "external", "task_id": registry["task_a"].pk}))
    data = _body(template)
    cells = _xlsx_cells(data)
    _assert_no_formula(cells)
    _assert_text(cells, HOSTILE[0])
    assert "성명 *" in _header_row(data) or "성명" in _header_row(data)  # Korean headers for liaisons
    rows = external_rows(60)
    rows[3]["litigant"] = HOSTILE[3]  # shown back in the problem's message
    data = io.BytesIO(filled("external", rows))
    data.name = "=cmd|calc!A0.xlsx"
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("rosters:upload", kwargs={"institution_id": registry["a"].pk}),
                    {"form_code": "external", "task": registry["task_a"].pk, "file": data, "password": ""})
    from integrity.apps.rosters.models import RosterUpload

    upload = RosterUpload.objects.get()
    data = _body(client.get(reverse("rosters:upload_report", kwargs={"upload_id": upload.pk})))
    report = _xlsx_cells(data)
    _assert_no_formula(report)
    _assert_text(report, "=cmd|calc!A0.xlsx")  # the file name, as text
    sheet = openpyxl.load_workbook(io.BytesIO(data))["점검결과"]
    assert sheet["A1"].value == "서식" and sheet["A2"].value == "파일"  # the summary above the table
    below = int(sheet.freeze_panes[1:])  # the table's header row stays in view
    assert _header_row(data, "점검결과", row=below - 1) == ["행", "열", "내용"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_responses_neutralises_and_round_trips(client, invited, registry, tmp_path, settings, fmt):
    """Respondents' groups and offices reach the hand-off file as text, and the engine
    reads back exactly what was stored."""
    from integrity.apps.fieldwork import release
    from integrity.apps.fieldwork.models import Response
    from integrity.interchange import read_responses
    from integrity.interchange.validate import check_institutions
    from tests.apps.test_fieldwork import _go

    settings.INTEGRITY_RELEASE_BATCH = 1
    _go(client, f"/s/{invited[0]}/")
    release.release_all()
    Response.objects.update(office=HOSTILE[0])
    out = tmp_path / f"responses.{fmt}"
    call_command("export_responses", "--year", "2017", "--out", str(out), stdout=io.StringIO())
    data = out.read_bytes()
    if fmt == "csv":
        rows = _csv_cells(data)
        _assert_neutralised(rows)
        assert rows[0][:6] == ["institution", "survey", "task", "office", "group", "mode"]  # the interchange format
    elif fmt == "xlsx":
        cells = _xlsx_cells(data)
        _assert_no_formula(cells)
        _assert_text(cells, HOSTILE[0])
        legend = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(data))["열 설명"].iter_rows()]
        assert ["기관코드", "institution", "기관 코드"] in legend and any(r[1] == "E01" and r[2] for r in legend)
    model = registry["year"].model
    bodies = pl.DataFrame({"code": ["0100001", "0400001"], "name": ["가람부", "누리시"], "type": ["central_1", "basic_city"],
                           "staff": ["2500", "800"], "supervisor": [None, "0100001"]})
    institutions = check_institutions(model, bodies, "기관")
    back = read_responses(model, [Path(out)], institutions)
    assert back["office"].to_list() == [HOSTILE[0]]


def test_every_download_is_named_in_korean(client, hostile_year, django_user_model):
    """A file saved from the open data, the registry form or the clusters' calendar was
    named in English (integrity_2017.csv, registry.xlsx, clusters.ics) where every other
    download carries its Korean name (RFC 6266 filename*)."""
    from urllib.parse import quote

    def named(response, name):
        header = response["Content-Disposition"]
        assert header.startswith("attachment;") and f"filename*=utf-8''{quote(name)}" in header, header

    named(client.get(reverse("results:download", kwargs={"fmt": "csv"})), "청렴도_측정결과_2017.csv")
    named(client.get(reverse("clusters:calendar_ics")), "청렴클러스터_공동일정.ics")
    from integrity.apps.accounts.models import Profile, Role

    admin = django_user_model.objects.create_user("admin")
    Profile.objects.create(user=admin, role=Role.ADMIN)
    client.force_login(admin)
    named(client.get(reverse("registry:template")), "측정대상기관_등록부_서식.xlsx")
