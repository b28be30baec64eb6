"""Bad input gets a Korean message naming the file, row and column."""

from pathlib import Path

import polars as pl
import pytest

from integrity.interchange import InputError, load_year, read_institutions, read_responses
from tests.helpers import best_answers, institutions, responses

INST_CSV = "code,name,type,staff,supervisor\n0100001,가람부,central_1,2500,\n0400001,누리시,basic_city,1200,\n"


@pytest.fixture
def inst_file(tmp_path) -> Path:
    path = tmp_path / "institutions.csv"
    path.write_text(INST_CSV, encoding="utf-8")
    return path


def _write_responses(path: Path, model, rows: list[dict]) -> Path:
    responses(model, rows).write_csv(path)
    return path


def _good_row(model, inst="0400001", survey="external"):
    return {"institution": inst, "survey": survey, **best_answers(model, survey)}


def _problems(callable_, *args) -> list[str]:
    with pytest.raises(InputError) as info:
        callable_(*args)
    return [str(p) for p in info.value.problems]


def _read(model, inst_file, path):
    inst = read_institutions(model, inst_file)
    return read_responses(model, [path], inst)


def test_codes_keep_their_leading_zeros(m2017, inst_file):
    inst = read_institutions(m2017, inst_file)
    assert inst["institution"].to_list() == ["0100001", "0400001"]


def test_unknown_institution_names_row_and_column(m2017, inst_file, tmp_path):
    path = _write_responses(tmp_path / "r.csv", m2017, [_good_row(m2017), _good_row(m2017, inst="9999999")])
    assert _problems(_read, m2017, inst_file, path) == ["r.csv 3행 'institution' 열: 기관 목록에 없는 기관코드 '9999999'"]


def test_unknown_item_column_is_named(m2017, inst_file, tmp_path):
    path = tmp_path / "r.csv"
    responses(m2017, [_good_row(m2017)]).with_columns(pl.lit(1).alias("E18")).write_csv(path)
    assert _problems(_read, m2017, inst_file, path) == [
        "r.csv 1행 'E18' 열: 모형에 없는 문항 열입니다 (문항 코드를 확인하세요)"
    ]


def test_answer_code_out_of_range(m2017, inst_file, tmp_path):
    rows = [_good_row(m2017), {**_good_row(m2017), "E01": 9}]
    path = _write_responses(tmp_path / "r.csv", m2017, rows)
    assert _problems(_read, m2017, inst_file, path) == ["r.csv 3행 'E01' 열: 응답 코드 9는 허용되지 않습니다 (허용: 1~7)"]


def test_text_in_an_answer_column_is_a_wrong_type(m2017, inst_file, tmp_path):
    path = tmp_path / "r.csv"
    frame = responses(m2017, [_good_row(m2017)] * 3).with_columns(pl.col("E02").cast(pl.Utf8))
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("매우")).otherwise(pl.col("E02")).alias("E02"))
    frame.write_csv(path)
    assert _problems(_read, m2017, inst_file, path) == ["r.csv 4행 'E02' 열: 정수가 아닌 값 '매우'"]


def test_missing_file(m2017, inst_file, tmp_path):
    assert _problems(_read, m2017, inst_file, tmp_path / "none.csv") == ["none.csv: 파일이 없습니다"]


def test_missing_required_column(m2017, inst_file, tmp_path):
    path = tmp_path / "r.csv"
    responses(m2017, [_good_row(m2017)]).drop("survey").write_csv(path)
    assert _problems(_read, m2017, inst_file, path) == ["r.csv 1행 'survey' 열: 필수 열이 없습니다"]


def test_questionnaire_with_no_answer_at_all(m2017, inst_file, tmp_path):
    rows = [_good_row(m2017), {"institution": "0400001", "survey": "internal"}]
    path = _write_responses(tmp_path / "r.csv", m2017, rows)
    assert _problems(_read, m2017, inst_file, path) == ["r.csv 3행: 내부청렴도 설문지에 답한 문항이 하나도 없습니다"]


def test_file_without_rows(m2017, inst_file, tmp_path):
    path = tmp_path / "r.csv"
    responses(m2017, []).write_csv(path)
    assert _problems(_read, m2017, inst_file, path) == ["r.csv: 응답이 한 건도 없습니다"]


def test_answer_in_another_surveys_column(m2017, inst_file, tmp_path):
    path = _write_responses(tmp_path / "r.csv", m2017, [{**_good_row(m2017), "I01": 3}])
    assert _problems(_read, m2017, inst_file, path) == [
        "r.csv 2행 'I01' 열: 내부청렴도 문항에 다른 설문의 응답이 들어 있습니다 (값: 3)"
    ]


def test_policy_response_for_a_type_without_policy_customers(m2017, inst_file, tmp_path):
    path = _write_responses(tmp_path / "r.csv", m2017, [_good_row(m2017, survey="policy")])
    assert _problems(_read, m2017, inst_file, path) == [
        "r.csv 2행 'institution' 열: 이 기관의 유형은 정책고객평가 대상이 아닙니다 (기관코드 '0400001')"
    ]


def test_unknown_survey(m2017, inst_file, tmp_path):
    path = _write_responses(tmp_path / "r.csv", m2017, [{**_good_row(m2017), "survey": "externl"}])
    problems = _problems(_read, m2017, inst_file, path)
    assert problems[0].startswith("r.csv 2행 'survey' 열: 알 수 없는 설문 'externl'")


def test_many_bad_rows_are_counted_not_all_listed(m2017, inst_file, tmp_path):
    rows = [{**_good_row(m2017), "E01": 0}] * 500
    path = _write_responses(tmp_path / "r.csv", m2017, rows)
    with pytest.raises(InputError) as info:
        _read(m2017, inst_file, path)
    assert info.value.total == 500
    assert "같은 오류가 495행 더 있습니다" in info.value.report()


def test_not_an_excel_file(m2017, inst_file, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    assert _problems(_read, m2017, inst_file, path)[0].startswith("r.xlsx: 파일을 읽을 수 없습니다 (xlsx 형식이 아닌 것 같습니다)")


def test_xlsx_responses_are_read_with_codes_as_text(m2017, inst_file, tmp_path):
    path = tmp_path / "r.xlsx"
    responses(m2017, [_good_row(m2017)] * 2).write_excel(path)
    frame = _read(m2017, inst_file, path)
    assert frame["institution"].to_list() == ["0400001", "0400001"]
    assert frame["E01"].to_list() == [7, 7]


def test_cp949_csv_from_korean_excel_is_read(m2017, tmp_path):
    path = tmp_path / "inst.csv"
    path.write_bytes(INST_CSV.encode("cp949"))
    assert read_institutions(m2017, path)["name"].to_list() == ["가람부", "누리시"]


@pytest.mark.parametrize(
    "csv, expected",
    [
        ("code,name,type,staff\n01,가,central_1,10\n01,나,central_1,20\n", "inst.csv 3행 'code' 열: 기관코드 '01'가 중복됩니다"),
        ("code,name,type,staff\n01,가,ministry,10\n", "inst.csv 2행 'type' 열: 알 수 없는 기관유형 'ministry'"),
        ("code,name,type,staff\n01,가,central_1,많음\n", "inst.csv 2행 'staff' 열: 정수가 아닌 값 '많음'"),
        ("code,name,type,staff\n01,가,central_1,-5\n", "inst.csv 2행 'staff' 열: 0 이상이어야 합니다 (값: -5)"),
        ("code,name,type,staff,supervisor\n01,가,central_1,10,77\n", "inst.csv 2행 'supervisor' 열: 상급기관 '77'가 기관 목록에 없습니다"),
        ("code,name,staff\n01,가,10\n", "inst.csv 1행 'type' 열: 필수 열이 없습니다"),
    ],
)
def test_bad_institution_files(m2017, tmp_path, csv, expected):
    path = tmp_path / "inst.csv"
    path.write_text(csv, encoding="utf-8")
    assert any(p.startswith(expected) for p in _problems(read_institutions, m2017, path))


@pytest.mark.parametrize(
    "row, expected",
    [
        ("0400001,incident,external,,junior,100000,1,self", "d.csv 2행 'detection' 열: 알 수 없는 적발경로 'self'"),
        ("0400001,incident,external,,,,,press", "d.csv 2행 'position' 열: 점수(points)가 없으면 직위(position)가 있어야 합니다"),
        ("0400001,incident,both,0.2,,,,", "d.csv 2행 'category' 열: 부패사건의 category는 external 또는 internal여야 합니다"),
        ("0400001,credibility,,0.9,,,,,favourable_answer_request", "d.csv 2행 'points' 열: 이 행위에는 감점을 줄 수 없거나, 감점이 0.1~0.5 밖입니다"),
        ("0400001,credibility,,,,,,,critic_blacklisting,,1", "d.csv 2행 'void' 열: 이 행위에는 측정결과 무효를 줄 수 없습니다"),
        ("0400001,credibility,,,,,,,roster_minor_omission,2", "d.csv 2행 'grade_down' 열: 이 행위에는 등급 하향을 줄 수 없거나"),
        ("0400009,incident,external,0.2,,,,", "d.csv 2행 'institution' 열: 기관 목록에 없는 기관코드 '0400009'"),
    ],
)
def test_bad_deduction_rows(m2017, inst_file, tmp_path, row, expected):
    header = "institution,kind,category,points,position,amount,people,detection,violation,grade_down,void\n"
    ded = tmp_path / "d.csv"
    ded.write_text(header + row + "\n", encoding="utf-8")
    resp = _write_responses(tmp_path / "r.csv", m2017, [_good_row(m2017)])
    problems = _problems(load_year, m2017, inst_file, [resp], ded)
    assert any(p.startswith(expected) for p in problems), problems


def test_errors_of_several_files_are_reported_together(m2017, inst_file, tmp_path):
    a = _write_responses(tmp_path / "a.csv", m2017, [{**_good_row(m2017), "E01": 8}])
    b = _write_responses(tmp_path / "b.csv", m2017, [{**_good_row(m2017), "E02": 8}])
    inst = read_institutions(m2017, inst_file)
    problems = _problems(read_responses, m2017, [a, b], inst)
    assert [p.split(" ")[0] for p in problems] == ["a.csv", "b.csv"]


def test_helper_institutions_match_the_file_reader(m2017, inst_file):
    # the engine's tests build frames directly; they must look like what the reader gives
    assert read_institutions(m2017, inst_file).columns == institutions(("A", "basic_city")).columns
