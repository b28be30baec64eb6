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
