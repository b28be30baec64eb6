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
    assert frame.height == 572
    assert frame["institution"].str.len_chars().min() == 7  # leading zeros survive the round trip
    for col in ("n_external", "n_internal", "n_policy", "score_ext_corruption", "score_int_work", "score_pol_control",
                "score_external", "incident_external_points", "credibility_points", "overall", "grade",
                "rank_in_type", "status"):
        assert col in frame.columns
    assert set(frame["status"]) <= {"scored", "not_scored", "voided"}
    assert pl.read_parquet(tmp_path / "units.parquet")["unit_kind"].unique().sort().to_list() == ["office", "task"]
    err = capsys.readouterr().err
    assert "기관 572곳" in err and "기관유형별 결과" in err


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_output_formats(small_year, tmp_path, fmt):
    out = tmp_path / f"result.{fmt}"
    assert main(_score_args(small_year, out, "--no-items")) == 0
    frame = pl.read_parquet(out) if fmt == "parquet" else pl.read_excel(out)
    assert frame.height == 572 and not any(c.startswith("item_") for c in frame.columns)


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
    assert scored.height >= 570
    assert 50 < scored["overall"].mean() < 95
    assert scored["score_perceived"].max() <= 100 and "score_policy" not in scored.columns


# --- never a traceback: exit 2, a Korean message, and no output file at all ----------------

def _no_outputs(folder) -> bool:
    return not any(p.name.startswith(("result", "units", ".result", ".units")) for p in folder.iterdir())


def _readonly(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


@pytest.mark.parametrize("case", ["missing_dir", "readonly_dir", "out_is_dir", "unknown_format", "same_file",
                                  "breakdown_unwritable"])
def test_unusable_output_paths_exit_2_with_no_file_written(small_year, tmp_path, capsys, case):
    import os

    if os.geteuid() == 0 and case in ("readonly_dir", "breakdown_unwritable"):
        pytest.skip("root writes anywhere: permissions cannot be tested as root")
    out, extra = tmp_path / "result.csv", []
    if case == "missing_dir":
        out = tmp_path / "no-such-folder" / "result.csv"
    elif case == "readonly_dir":
        out = _readonly(tmp_path) / "result.csv"
    elif case == "out_is_dir":
        out = tmp_path
    elif case == "unknown_format":
        out = tmp_path / "result.docx"
    elif case == "same_file":
        extra = ["--breakdown", str(out)]
    elif case == "breakdown_unwritable":
        extra = ["--breakdown", str(_readonly(tmp_path) / "units.csv")]
    assert main(_score_args(small_year, out, *extra)) == 2
    err = capsys.readouterr().err
    assert "오류" in err and "Traceback" not in err
    assert _no_outputs(tmp_path)


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


@pytest.mark.parametrize("case", ["no_institution_column", "empty_file", "not_a_table", "missing_file", "wrong_codes"])
def test_malformed_inputs_exit_2_in_korean(small_year, tmp_path, capsys, case):
    responses = pl.read_csv(small_year / "responses.csv", infer_schema=False).head(500)
    path = tmp_path / "r.csv"
    if case == "no_institution_column":
        responses.drop("institution").write_csv(path)
    elif case == "empty_file":
        path.write_text("")
    elif case == "not_a_table":
        path.write_bytes(b"\x00\x01PK garbage\xff" * 100)
    elif case == "missing_file":
        path = tmp_path / "nope.csv"
    elif case == "wrong_codes":
        responses.with_columns(pl.lit("9").alias("E01")).write_csv(path)
    code = main(["score", "--model", "2017", "--institutions", str(small_year / "institutions.csv"), "--responses",
                 str(path), "--out", str(tmp_path / "result.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "오류" in err
    assert not (tmp_path / "result.csv").exists()


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


def test_the_summary_fits_an_80_column_terminal(small_year, tmp_path, capsys):
    from rich.cells import cell_len

    assert main(_score_args(small_year, tmp_path / "result.csv")) == 0
    lines = capsys.readouterr().err.splitlines()
    assert any("기관유형별 결과" in line for line in lines)
    assert max(cell_len(line.rstrip()) for line in lines if "결과 파일" not in line) <= 80
    assert not any("…" in line for line in lines)  # nothing cut short


def test_help_and_argument_errors_are_in_korean(capsys):
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("사용법:") and "선택 사항" in out and "show this help" not in out and "options" not in out
    with pytest.raises(SystemExit):
        main(["score"])
    err = capsys.readouterr().err
    assert "오류: 다음 인자가 필요합니다" in err and "required" not in err


def test_the_model_summary_names_weight_sets_by_the_types_using_them(capsys):
    assert main(["model", "2017"]) == 0
    out = capsys.readouterr().err
    assert "with_policy" not in out and "중앙행정기관 Ⅰ유형 등" in out and "외부청렴도 0.601" in out
