"""The command line end to end: generate a year, score it, refuse bad input cleanly."""

import polars as pl
import pytest

from integrity.cli import main


@pytest.fixture(scope="module")
def small_year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("year")
    assert main(["generate", "--out", str(folder), "--responses", "20000", "--seed", "7", "--format", "csv"]) == 0
    return folder


def _score_args(folder, out, *extra):
    return ["score", "--model", "2017", "--institutions", str(folder / "institutions.csv"),
            "--responses", str(folder / "responses.csv"), "--deductions", str(folder / "deductions.csv"),
            "--out", str(out), *extra]


def test_score_writes_one_row_per_institution_and_a_korean_summary(small_year, tmp_path, capsys):
    out = tmp_path / "result.csv"
    assert main(_score_args(small_year, out, "--breakdown", str(tmp_path / "units.parquet"))) == 0
    frame = pl.read_csv(out, schema_overrides={"institution": pl.Utf8, "supervisor": pl.Utf8})
    assert frame.height == 572 - 73 + 176  # every district office listed; 73 measured this year
    assert frame["institution"].str.len_chars().min() == 7  # leading zeros survive the round trip
    for col in ("n_external", "n_internal", "n_policy", "score_ext_corruption", "score_int_work", "score_pol_control",
                "score_external", "incident_external_points", "credibility_points", "overall", "grade",
                "rank_in_type", "status"):
        assert col in frame.columns
    assert set(frame["status"]) <= {"scored", "not_scored", "voided", "in_parent", "not_measured"}
    district = frame.filter(pl.col("type") == "district_education")
    assert district["grade"].null_count() == district.height  # measured within their provinces, not graded
    assert pl.read_parquet(tmp_path / "units.parquet")["unit_kind"].unique().sort().to_list() == ["office", "task"]
    err = capsys.readouterr().err
    assert "기관 675곳" in err and "상급기관에 포함 73" in err and "기관유형별 결과" in err
    assert "교육지원청 " not in err.split("기관유형별 결과")[1]  # no longer a type of the national table


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_output_formats(small_year, tmp_path, fmt):
    out = tmp_path / f"result.{fmt}"
    assert main(_score_args(small_year, out, "--no-items")) == 0
    frame = pl.read_parquet(out) if fmt == "parquet" else pl.read_excel(out)
    assert frame.height == 675 and not any(c.startswith("item_") for c in frame.columns)


def test_bad_input_exits_2_and_writes_nothing(small_year, tmp_path, capsys):
    broken = tmp_path / "responses.csv"
    frame = pl.read_csv(small_year / "responses.csv", infer_schema=False)
    frame.with_columns(pl.when(pl.int_range(pl.len()) == 10).then(pl.lit("12")).otherwise(pl.col("E01")).alias("E01")).write_csv(broken)
    out = tmp_path / "result.csv"
    args = _score_args(small_year, out)
    args[args.index("--responses") + 1] = str(broken)
    assert main(args) == 2
    assert not out.exists()
    assert list(tmp_path.glob(".result.csv.*")) == []
    assert "12행 'E01' 열: 응답 코드 12는 허용되지 않습니다" in capsys.readouterr().err


def test_a_failed_run_leaves_the_previous_output_untouched(small_year, tmp_path):
    out = tmp_path / "result.csv"
    out.write_text("previous", encoding="utf-8")
    args = _score_args(small_year, out)
    args[args.index("--institutions") + 1] = str(tmp_path / "missing.csv")
    assert main(args) == 2
    assert out.read_text(encoding="utf-8") == "previous"


def test_bad_model_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "m.yaml"
    bad.write_text("version: x\n", encoding="utf-8")
    assert main(["model", str(bad)]) == 2
    assert "측정모형 파일" in capsys.readouterr().err


def test_the_2022_model_scores_a_generated_year_on_100_points(tmp_path):
    assert main(["generate", "--model", "2022", "--out", str(tmp_path), "--responses", "20000"]) == 0
    out = tmp_path / "r.parquet"
    assert main(["score", "--model", "2022", "--institutions", str(tmp_path / "institutions.parquet"),
                 "--responses", str(tmp_path / "responses.parquet"), "--out", str(out)]) == 0
    scored = pl.read_parquet(out).filter(pl.col("status") == "scored")
    assert scored.height >= 565  # the 2022+ mix: 569 bodies (DOMAIN.md), one may be voided by a generated sanction
    assert 50 < scored["overall"].mean() < 95
    assert scored["score_perceived"].max() <= 100 and "score_policy" not in scored.columns


# --- never a traceback: exit 2, a Korean message, and no output file at all ----------------

def _no_outputs(folder) -> bool:
    return not any(p.name.startswith(("result", "units", ".result", ".units")) for p in folder.iterdir())


@pytest.fixture
def unwritable(tmp_path):
    """A folder nobody can create a file in, even root: mode 0555, and immutable for root
    (root ignores permission bits). Skipped where neither holds."""
    import os
    import subprocess

    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if os.geteuid() == 0:
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    try:
        (folder / "probe").touch()
    except OSError:
        yield folder
    else:
        (folder / "probe").unlink()
        pytest.skip("no way to make a folder unwritable here")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def _korean_error_only(err: str) -> bool:
    import re

    return "오류" in err and re.search("[가-힣]", err) is not None and "Traceback" not in err


OUTPUT_CASES = ["missing_dir", "readonly_dir", "out_is_dir", "unknown_format", "same_file", "breakdown_unwritable",
                "parent_is_a_file", "out_is_an_input", "breakdown_is_an_input"]


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_unusable_output_paths_exit_2_with_no_file_written(small_year, tmp_path, capsys, case, request):
    out, extra = tmp_path / "result.csv", []
    if case == "missing_dir":
        out = tmp_path / "no-such-folder" / "result.csv"
    elif case == "readonly_dir":
        out = request.getfixturevalue("unwritable") / "result.csv"
    elif case == "out_is_dir":
        out = tmp_path
    elif case == "unknown_format":
        out = tmp_path / "result.docx"
    elif case == "same_file":
        extra = ["--breakdown", str(out)]
    elif case == "breakdown_unwritable":
        extra = ["--breakdown", str(request.getfixturevalue("unwritable") / "units.csv")]
    elif case == "parent_is_a_file":
        (tmp_path / "plain").write_text("x")
        out = tmp_path / "plain" / "result.csv"
    elif case == "out_is_an_input":
        out = small_year / "deductions.csv"
    elif case == "breakdown_is_an_input":
        extra = ["--breakdown", str(small_year / "responses.csv")]
    before = {p.name: p.stat().st_mtime_ns for p in small_year.iterdir()}
    assert main(_score_args(small_year, out, *extra)) == 2
    err = capsys.readouterr().err
    assert _korean_error_only(err)
    assert "채점하는 중" not in err  # refused before any work
    assert _no_outputs(tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in small_year.iterdir()} == before  # inputs untouched


def test_a_failure_while_writing_leaves_no_output_at_all(small_year, tmp_path, capsys, monkeypatch):
    """The second output fails after the first was written: neither stays."""
    from integrity.interchange import formats

    real = formats.write_table

    def failing(frame, path, kind, **kw):
        if ".units" in path.name:
            raise OSError(28, "No space left on device", str(path))
        return real(frame, path, kind, **kw)

    monkeypatch.setattr(formats, "write_table", failing)
    assert main(_score_args(small_year, tmp_path / "result.csv", "--breakdown", str(tmp_path / "units.csv"))) == 2
    assert "결과 파일을 쓸 수 없습니다" in capsys.readouterr().err
    assert _no_outputs(tmp_path)


def test_a_year_without_any_policy_survey_prints_its_summary(small_year, tmp_path, capsys):
    """No body with a policy-customer survey: the summary skips that survey's mean."""
    inst = pl.read_csv(small_year / "institutions.csv", infer_schema=False)
    kept = inst.filter(pl.col("type").is_in(["basic_city", "basic_county", "basic_district"]))
    kept.with_columns(pl.lit(None, dtype=pl.Utf8).alias("supervisor")).write_csv(tmp_path / "i.csv")
    responses = pl.read_csv(small_year / "responses.csv", infer_schema=False)
    responses.filter(pl.col("institution").is_in(kept["code"].implode())).drop(
        [c for c in responses.columns if c.startswith("P")] + ["X2"]).write_csv(tmp_path / "r.csv")
    code = main(["score", "--model", "2017", "--institutions", str(tmp_path / "i.csv"), "--responses",
                 str(tmp_path / "r.csv"), "--out", str(tmp_path / "result.csv")])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err and "평균:" in err


def test_a_missing_item_column_reads_as_blank(small_year, tmp_path):
    responses = pl.read_csv(small_year / "responses.csv", infer_schema=False)
    responses.drop("E01").write_csv(tmp_path / "r.csv")
    assert main(["score", "--model", "2017", "--institutions", str(small_year / "institutions.csv"), "--responses",
                 str(tmp_path / "r.csv"), "--out", str(tmp_path / "result.parquet")]) == 0
    frame = pl.read_parquet(tmp_path / "result.parquet")
    assert frame["item_E01"].is_null().all() and frame["score_external"].is_not_null().any()


MALFORMED = {
    # responses
    "no_institution_column": ("responses", lambda r, p: r.drop("institution").write_csv(p), "'institution' 열"),
    "no_survey_column": ("responses", lambda r, p: r.drop("survey").write_csv(p), "'survey' 열"),
    "empty_file": ("responses", lambda r, p: p.write_text(""), "r.csv"),
    "header_only": ("responses", lambda r, p: r.head(0).write_csv(p), "응답이 한 건도 없습니다"),
    "not_a_table": ("responses", lambda r, p: p.write_bytes(b"\x00\x01PK garbage\xff" * 100), "r.csv"),
    "missing_file": ("responses", None, "파일이 없습니다"),
    "a_directory": ("responses", "dir", "폴더입니다"),
    "wrong_codes": ("responses", lambda r, p: r.with_columns(pl.lit("9").alias("E01")).write_csv(p), "'E01' 열"),
    "text_answer": ("responses", lambda r, p: r.with_columns(pl.lit("abc").alias("E02")).write_csv(p), "'E02' 열"),
    "unknown_institution": ("responses", lambda r, p: r.with_columns(pl.lit("X9").alias("institution")).write_csv(p),
                            "'institution' 열"),
    "unknown_survey": ("responses", lambda r, p: r.with_columns(pl.lit("foo").alias("survey")).write_csv(p), "'survey' 열"),
    "unknown_item_column": ("responses", lambda r, p: r.with_columns(pl.lit("1").alias("Z99")).write_csv(p), "'Z99' 열"),
    "not_utf8_or_cp949": ("responses", lambda r, p: p.write_bytes(b"institution,survey\n\xff\xfe\xff,x\n"), "인코딩"),
    "broken_parquet": ("responses_parquet", lambda r, p: p.write_bytes(b"PAR1garbagePAR1"), "r.parquet"),
    "float_in_parquet": ("responses_parquet", lambda r, p: r.with_columns(pl.lit(1.5).alias("E01")).write_parquet(p),
                         "'E01' 열"),
    # institutions
    "institutions_without_type": ("institutions", lambda i, p: i.drop("type").write_csv(p), "'type' 열"),
    "institutions_staff_text": ("institutions", lambda i, p: i.with_columns(pl.lit("many").alias("staff")).write_csv(p),
                                "'staff' 열"),
    "institutions_empty": ("institutions", lambda i, p: p.write_text(""), "i.csv"),
    # deductions
    "deductions_unknown_kind": ("deductions", lambda d, p: d.with_columns(pl.lit("x").alias("kind")).write_csv(p),
                                "'kind' 열"),
    "deductions_points_text": ("deductions", lambda d, p: d.with_columns(pl.lit("lots").alias("points")).write_csv(p),
                               "'points' 열"),
    # model
    "model_is_a_directory": ("model", "dir", "폴더입니다"),
    "model_not_utf8": ("model", lambda _, p: p.write_bytes(b"\xff\xfe\x00garbage: ["), "UTF-8"),
    "model_not_yaml": ("model", lambda _, p: p.write_text("a: [", encoding="utf-8"), "YAML 문법 오류"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_inputs_exit_2_in_korean_naming_the_fault_and_write_nothing(small_year, tmp_path, capsys, case):
    what, make, expected = MALFORMED[case]
    paths = {"institutions": small_year / "institutions.csv", "responses": small_year / "responses.csv",
             "deductions": small_year / "deductions.csv", "model": "2017"}
    source = {"institutions": lambda: pl.read_csv(small_year / "institutions.csv", infer_schema=False),
              "deductions": lambda: pl.read_csv(small_year / "deductions.csv", infer_schema=False)}.get(
        what, lambda: pl.read_csv(small_year / "responses.csv", infer_schema=False).head(500))
    name = {"institutions": "i.csv", "deductions": "d.csv", "model": "m.yaml", "responses_parquet": "r.parquet"}.get(what, "r.csv")
    path = tmp_path / name
    if make == "dir":
        path.mkdir()
    elif make is not None:
        make(source(), path)
    paths[what.removesuffix("_parquet")] = path
    out = tmp_path / "out" / "result.csv"
    out.parent.mkdir()
    code = main(["score", "--model", str(paths["model"]), "--institutions", str(paths["institutions"]),
                 "--responses", str(paths["responses"]), "--deductions", str(paths["deductions"]),
                 "--out", str(out), "--breakdown", str(out.parent / "units.csv")])
    err = capsys.readouterr().err
    assert code == 2 and _korean_error_only(err)
    assert expected in err.replace("\n", "")
    assert list(out.parent.iterdir()) == []


def test_an_unexpected_error_is_a_short_message_not_a_traceback(small_year, tmp_path, capsys, monkeypatch):
    import integrity.scoring as scoring

    monkeypatch.setattr(scoring, "score_year", lambda *a, **k: 1 / 0)
    assert main(_score_args(small_year, tmp_path / "result.csv")) == 1
    err = capsys.readouterr().err
    assert "예상하지 못한 오류" in err and "Traceback" not in err and _no_outputs(tmp_path)


def test_generate_refuses_a_folder_holding_a_year_unless_forced(small_year, tmp_path, capsys):
    before = (small_year / "responses.csv").stat().st_mtime_ns
    assert main(["generate", "--out", str(small_year), "--responses", "2000", "--format", "csv"]) == 2
    assert "이미 측정 연도 파일이 있습니다" in capsys.readouterr().err
    assert (small_year / "responses.csv").stat().st_mtime_ns == before
    copy = tmp_path / "year"
    copy.mkdir()
    (copy / "responses.csv").write_text("x")
    assert main(["generate", "--out", str(copy), "--responses", "2000", "--format", "csv", "--force"]) == 0
    assert (copy / "responses.csv").stat().st_size > 1000


def test_generate_refuses_a_year_held_in_another_format_and_force_replaces_it(tmp_path, capsys):
    folder = tmp_path / "year"
    folder.mkdir()
    (folder / "institutions.xlsx").write_text("x")
    (folder / "notes.txt").write_text("mine")
    assert main(["generate", "--out", str(folder), "--responses", "2000", "--format", "csv"]) == 2
    assert "institutions.xlsx" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["institutions.xlsx", "notes.txt"]
    assert main(["generate", "--out", str(folder), "--responses", "2000", "--format", "csv", "--force"]) == 0
    # the stale year in the other format is gone; the folder's other files stay
    assert sorted(p.name for p in folder.iterdir()) == ["deductions.csv", "institutions.csv", "notes.txt",
                                                         "responses.csv", "tasks.csv"]


@pytest.mark.parametrize("case", ["blocked_by_a_file", "unwritable_parent", "negative_seed", "out_is_a_file"])
def test_generate_into_an_unusable_folder_exits_2_and_creates_nothing(tmp_path, capsys, case, request):
    args = ["--responses", "2000"]
    if case == "blocked_by_a_file":
        (tmp_path / "plain").write_text("x")
        out = tmp_path / "plain" / "year"
    elif case == "unwritable_parent":
        out = request.getfixturevalue("unwritable") / "new" / "year"
    elif case == "negative_seed":
        out, args = tmp_path / "year", args + ["--seed", "-1"]
    else:
        (tmp_path / "year").write_text("x")
        out = tmp_path / "year"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(["generate", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert _korean_error_only(err) and "가상 응답을 만드는 중" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_failed_rename_removes_the_outputs_already_renamed(small_year, tmp_path, capsys, monkeypatch):
    """All outputs or none: the breakdown's rename fails after the result was put in place."""
    import os

    real = os.replace

    def failing(src, dst):
        if str(dst).endswith("units.csv"):
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    assert main(_score_args(small_year, tmp_path / "result.csv", "--breakdown", str(tmp_path / "units.csv"))) == 2
    err = capsys.readouterr().err.replace("\n", "")  # the console wraps a long temporary path
    assert "저장 공간이 부족합니다" in err and "units.csv" in err and _korean_error_only(err)
    assert _no_outputs(tmp_path)


def test_an_unexpected_failure_while_writing_leaves_no_temporary_file(small_year, tmp_path, capsys, monkeypatch):
    from integrity.interchange import formats

    real = formats.write_table

    def failing(frame, path, kind, **kw):
        if ".units" in path.name:
            raise ValueError("writer bug")
        return real(frame, path, kind, **kw)

    monkeypatch.setattr(formats, "write_table", failing)
    assert main(_score_args(small_year, tmp_path / "result.csv", "--breakdown", str(tmp_path / "units.csv"))) == 1
    err = capsys.readouterr().err
    assert "예상하지 못한 오류" in err and "Traceback" not in err
    assert _no_outputs(tmp_path)


@pytest.mark.parametrize("surveys", [("external",), ("internal",), ("policy",), ("external", "policy")])
def test_the_summary_copes_with_any_set_of_surveys(small_year, tmp_path, capsys, surveys):
    """Responses of some surveys only: most or all bodies are not scored; still a summary."""
    responses = pl.read_csv(small_year / "responses.csv", infer_schema=False)
    responses.filter(pl.col("survey").is_in(surveys)).write_csv(tmp_path / "r.csv")
    code = main(["score", "--model", "2017", "--institutions", str(small_year / "institutions.csv"), "--responses",
                 str(tmp_path / "r.csv"), "--out", str(tmp_path / "result.csv")])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err and "기관 675곳" in err
    assert pl.read_csv(tmp_path / "result.csv").height == 675


def test_the_model_summary_names_weight_sets_by_the_types_using_them(capsys):
    assert main(["model", "2017"]) == 0
    out = capsys.readouterr().err
    assert "with_policy" not in out and "중앙행정기관 Ⅰ유형 등" in out and "외부청렴도 0.601" in out


def test_weights_prints_how_many_bodies_change_grade_and_the_largest_change(small_year, tmp_path, capsys):
    responses = pl.read_csv(small_year / "responses.csv", infer_schema=False)
    units = responses.filter(pl.col("survey") == "external").group_by("institution", "task").len()
    units.select("institution", pl.lit("external").alias("survey"), pl.col("task").alias("unit"),
                 (pl.col("len") * pl.int_range(pl.len()).mod(3).add(1) * 10).alias("roster")).write_csv(tmp_path / "roster.csv")
    args = ["weights", "--model", "2017", "--institutions", str(small_year / "institutions.csv"),
            "--responses", str(small_year / "responses.csv"), "--roster-shares", str(tmp_path / "roster.csv")]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "등급이 바뀌는 기관" in err and "최대" in err and "모형 기본값: 끔" in err


def test_simulate_uncertainty_reports_coverage_against_its_target_and_calibration(capsys):
    assert main(["simulate-uncertainty", "--bodies", "45", "--samples", "2", "--replicates", "40"]) == 0
    err = capsys.readouterr().err
    assert "목표 93~97%" in err and "종합청렴도" in err and "등급 변동 확률의 보정" in err
