"""Command line: ``integrity score``, ``generate``, ``model``, ``weights``, ``simulate-uncertainty``.

Exit codes: 0 done, 2 bad input, model or output path (nothing written), 1 an
unexpected error (a short Korean message; the traceback only with --debug).
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import polars as pl
from rich import box
from rich.console import Console
from rich.table import Table

from .interchange import FORMATS, InputError, check_output, load_year, write_together
from .interchange.formats import OUTPUT_HEADING, os_reason
from .model import ModelError, available_models, load_model

console = Console(stderr=True)
XLSX_MAX_ROWS = 1_048_575


# argparse's own words, in Korean (it looks them up through gettext at the moment it
# prints them, so they are swapped in while the command line is read).
ARGPARSE_KO = {
    "usage: ": "사용법: ", "positional arguments": "인자", "options": "선택 사항",
    "show this help message and exit": "이 도움말을 보여 주고 끝냅니다",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 오류: %(message)s\n",
    "the following arguments are required: %s": "다음 인자가 필요합니다: %s",
    "unrecognized arguments: %s": "알 수 없는 인자: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "고를 수 없는 값: %(value)r (고를 수 있는 값: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "인자 %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "올바르지 않은 %(type)s 값: %(value)r",
    "expected one argument": "값이 하나 필요합니다", "expected at least one argument": "값이 하나 이상 필요합니다",
    "expected at most one argument": "값은 하나까지입니다", "not allowed with argument %s": "%s 인자와 함께 쓸 수 없습니다",
    "ambiguous option: %(option)s could match %(matches)s": "모호한 선택 사항: %(option)s (%(matches)s 가운데 어느 것인지)",
    "one of the arguments %s is required": "다음 가운데 하나가 필요합니다: %s",
    "ignored explicit argument %r": "무시한 인자 %r",
}


@contextmanager
def _korean_argparse():
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: ARGPARSE_KO.get(text, text)
    argparse.ngettext = lambda one, many, n: ARGPARSE_KO.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def main(argv: list[str] | None = None) -> int:
    with _korean_argparse():
        args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (ModelError, InputError) as exc:
        console.print(f"[bold red]오류[/]: {exc}", highlight=False)
        return 2
    except KeyboardInterrupt:
        console.print("중단했습니다. 출력 파일은 만들지 않았습니다.")
        return 130
    except Exception as exc:  # noqa: BLE001 — never a bare traceback for the user
        if args.debug:
            console.print_exception()
        console.print(f"[bold red]예상하지 못한 오류[/]: {type(exc).__name__}: {exc}\n"
                      "출력 파일은 만들지 않았습니다. --debug를 붙이면 자세한 내용이 나옵니다; 계속되면 개발팀에 알려 주세요.",
                      highlight=False)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="integrity", description="청렴도 측정: 채점, 가상 자료 생성, 측정모형 점검")
    parser.add_argument("--debug", action="store_true", help="예상하지 못한 오류의 자세한 내용(traceback)을 보여 줍니다")
    sub = parser.add_subparsers(required=True, metavar="명령")
    models = ", ".join(available_models())

    score = sub.add_parser("score", help="응답·기관·감점 파일로 기관별 청렴도를 채점합니다")
    score.add_argument("--model", required=True, metavar="모형", help=f"측정모형: 연도({models}) 또는 YAML 파일 경로")
    score.add_argument("--institutions", required=True, type=Path, metavar="파일", help="기관 파일 (csv/parquet/xlsx)")
    score.add_argument("--responses", required=True, type=Path, nargs="+", action="extend", metavar="파일",
                       help="응답 파일; 여러 개면 합쳐서 채점합니다")
    score.add_argument("--deductions", type=Path, metavar="파일", help="부패사건·신뢰도 저해행위 파일")
    score.add_argument("--out", required=True, type=Path, metavar="파일", help="기관별 결과 파일")
    score.add_argument("--format", choices=FORMATS, metavar="형식", help=f"출력 형식: {', '.join(FORMATS)} (기본: --out의 확장자)")
    score.add_argument("--breakdown", type=Path, metavar="파일", help="업무별·지방관서별 점수 파일 (선택)")
    score.add_argument("--no-items", action="store_true", help="문항별 점수 열을 빼고 씁니다")
    score.set_defaults(run=_score)

    gen = sub.add_parser("generate", help="실제와 비슷한 가상 측정 연도를 만듭니다")
    gen.add_argument("--model", default="2017", metavar="모형", help=f"측정모형: 연도({models}) 또는 YAML 파일 경로")
    gen.add_argument("--out", required=True, type=Path, metavar="폴더", help="파일을 쓸 폴더")
    gen.add_argument("--seed", type=int, default=None, metavar="수", help="난수 씨앗 (같은 씨앗 = 같은 자료)")
    gen.add_argument("--responses", type=int, default=None, metavar="수", help="응답 수 (기본: 2017년 규모 약 235,600)")
    gen.add_argument("--format", choices=FORMATS, default="parquet", metavar="형식", help=f"응답 파일 형식: {', '.join(FORMATS)} (기본: parquet)")
    gen.add_argument("--force", action="store_true", help="폴더에 이미 있는 측정 연도 파일을 덮어씁니다")
    gen.set_defaults(run=_generate)

    weights = sub.add_parser("weights", help="사후층화 가중치가 점수와 등급을 얼마나 바꾸는지 보여 줍니다")
    weights.add_argument("--model", required=True, metavar="모형", help=f"측정모형: 연도({models}) 또는 YAML 파일 경로")
    weights.add_argument("--institutions", required=True, type=Path, metavar="파일", help="기관 파일 (csv/parquet/xlsx)")
    weights.add_argument("--responses", required=True, type=Path, nargs="+", action="extend", metavar="파일", help="응답 파일")
    weights.add_argument("--deductions", type=Path, metavar="파일", help="부패사건·신뢰도 저해행위 파일")
    weights.add_argument("--roster-shares", required=True, type=Path, metavar="파일",
                         help="층별 명부 인원 파일: institution, survey, unit(업무·관서·집단), roster 열")
    weights.set_defaults(run=_weights)

    simulate = sub.add_parser("simulate-uncertainty", help="모의실험으로 95% 구간의 포함률과 등급 변동 확률의 보정을 점검합니다")
    simulate.add_argument("--model", default="2017", metavar="모형", help=f"측정모형: 연도({models}) 또는 YAML 파일 경로")
    simulate.add_argument("--bodies", type=int, default=60, metavar="수", help="기관 수 (기본 60; 유형마다 3곳 이상)")
    simulate.add_argument("--samples", type=int, default=200, metavar="수", help="모의 표본 수 (기본 200)")
    simulate.add_argument("--seed", type=int, default=1, metavar="수", help="난수 씨앗")
    simulate.add_argument("--replicates", type=int, default=None, metavar="수", help="부트스트랩 반복 수 (기본: 모형 파일의 값)")
    simulate.set_defaults(run=_simulate)

    model = sub.add_parser("model", help="측정모형 파일을 점검하고 요약합니다")
    model.add_argument("model", metavar="모형", help=f"연도({models}) 또는 YAML 파일 경로")
    model.set_defaults(run=_model)
    return parser


@contextmanager
def _step(message: str):
    started = time.perf_counter()
    with console.status(message):
        yield
    console.print(f"[green]✓[/] {message} ({time.perf_counter() - started:.1f}초)")


def _score(args) -> int:
    from .scoring import score_year

    # Every output is checked before any work: a bad path costs seconds, not a scoring run.
    out_format = check_output(args.out, args.format, "--out")
    breakdown_format = check_output(args.breakdown, None, "--breakdown") if args.breakdown is not None else None
    _outputs_apart_from_inputs(args)
    model = load_model(args.model)
    with _step("기관·응답·감점 파일을 읽고 점검하는 중"):
        year = load_year(model, args.institutions, args.responses, args.deductions)
    with _step(f"{year.responses.height:,}건의 응답을 채점하는 중"):
        result = score_year(model, year.institutions, year.responses, year.deductions,
                            include_items=not args.no_items, breakdowns=args.breakdown is not None)
    with _step("결과를 쓰는 중"):  # all outputs together, or none
        write_together([(result.institutions, args.out, out_format)]
                       + ([(result.breakdown, args.breakdown, breakdown_format)] if args.breakdown is not None else []))
    _print_summary(model, year, result.institutions)
    console.print(f"결과 파일: {args.out}" + (f", 업무·관서별: {args.breakdown}" if args.breakdown else ""))
    return 0


def _outputs_apart_from_inputs(args) -> None:
    """An output may not replace an input (the year would be lost) or the other output."""
    inputs = {p.resolve(): option for option, paths in (("--institutions", [args.institutions]),
                                                        ("--responses", args.responses),
                                                        ("--deductions", [args.deductions] if args.deductions else []))
              for p in paths}
    outputs = [("--out", args.out)] + ([("--breakdown", args.breakdown)] if args.breakdown is not None else [])
    problems = [_problem(option, f"{inputs[path.resolve()]}로 읽는 파일과 같습니다; 결과는 다른 이름으로 쓰세요")
                for option, path in outputs if path.resolve() in inputs]
    if args.breakdown is not None and args.breakdown.resolve() == args.out.resolve():
        problems.append(_problem("--breakdown", "--out과 같은 파일입니다; 다른 이름을 주세요"))
    if problems:
        raise InputError(problems, heading=OUTPUT_HEADING)


def _problem(file, message):
    from .interchange import InputProblem

    return InputProblem(file, message)


def _print_summary(model, year, frame: pl.DataFrame) -> None:
    counts = dict(frame.group_by("status").len().iter_rows())
    console.print(
        f"\n[bold]{model.title}[/] ({model.version})\n"
        f"기관 {frame.height:,}곳: 채점 {counts.get('scored', 0):,} · 미채점 {counts.get('not_scored', 0):,}"
        f" · 무효 {counts.get('voided', 0):,}"
        + (f" · 상급기관에 포함 {counts.get('in_parent', 0):,} · 측정 제외 {counts.get('not_measured', 0):,}"
           if counts.get("in_parent") or counts.get("not_measured") else "")
    )
    per_survey = dict(year.responses.group_by("survey").len().iter_rows())
    console.print(
        f"응답 {year.responses.height:,}건 ("
        + " · ".join(f"{s.name} {per_survey.get(s.code, 0):,}" for s in model.surveys) + ")"
    )
    scored = frame.filter(pl.col("status") == "scored")
    if scored.height == 0:
        console.print("[yellow]채점된 기관이 없습니다.[/] 미채점 사유는 결과 파일의 reason 열을 보세요.")
        return
    means = [(model.overall_name, scored["overall"].mean())]
    means += [(s.name, scored[f"score_{s.code}"].mean()) for s in model.surveys if f"score_{s.code}" in scored.columns]
    console.print("평균: " + " · ".join(f"{name} {value:.2f}" for name, value in means if value is not None))
    # Fits an 80-column terminal: short headers, a light frame; the grade columns are
    # the number of bodies in grade 1, 2, ...
    table = Table(title=f"기관유형별 결과 (1~{model.grades}: 등급별 기관 수)", title_justify="left", box=box.SIMPLE_HEAD,
                  padding=(0, 1), pad_edge=False)
    for col in ("기관유형", "기관", "평균", "최고", "최저", *[str(g) for g in range(1, model.grades + 1)]):
        table.add_column(col, justify="left" if col == "기관유형" else "right", no_wrap=True)
    by_type = scored.group_by("type").agg(
        pl.len(), pl.col("overall").mean().alias("mean"), pl.col("overall").max().alias("max"),
        pl.col("overall").min().alias("min"),
        *[(pl.col("grade") == g).sum().alias(f"g{g}") for g in range(1, model.grades + 1)],
    )
    order = {code: i for i, code in enumerate(model.institution_types)}
    for row in sorted(by_type.iter_rows(named=True), key=lambda r: order[r["type"]]):
        table.add_row(
            model.institution_types[row["type"]].name, f"{row['len']:,}", f"{row['mean']:.2f}",
            f"{row['max']:.2f}", f"{row['min']:.2f}", *[str(row[f"g{g}"]) for g in range(1, model.grades + 1)],
        )
    console.print(table)
    _print_part_grades(model, scored)
    not_scored = frame.filter(pl.col("status").is_in(["not_scored", "voided"])).head(5)
    for row in not_scored.iter_rows(named=True):
        console.print(f"  [yellow]{row['name']}[/] ({row['institution']}): {row['reason']}")


def _print_part_grades(model, scored: pl.DataFrame) -> None:
    """2022+: the parts graded beside the overall grade (grading.measures), mean and bodies per grade."""
    names = {c.code: c.name for c in (*model.surveys, *model.inputs, *model.composites)}
    for code in model.grade_measures[1:]:
        key = f"input_{code}" if any(i.code == code for i in model.inputs) else f"score_{code}"
        if f"grade_{code}" not in scored.columns or key not in scored.columns:
            continue
        counts = " · ".join(f"{g}등급 {(scored[f'grade_{code}'] == g).sum():,}" for g in range(1, model.grades + 1))
        console.print(f"{names.get(code, code)}: 평균 {scored[key].mean():.2f}, 등급별 기관 수 {counts}", highlight=False)


def _generate(args) -> int:
    from rich.progress import Progress

    from .generate import DEFAULT_RESPONSES, DEFAULT_SEED, generate_year

    model = load_model(args.model)
    size = args.responses or DEFAULT_RESPONSES
    if size < 1000:
        raise InputError([_problem("--responses", "응답 수는 1,000 이상이어야 합니다")])
    if args.format == "xlsx" and size > XLSX_MAX_ROWS:
        raise InputError([_problem("--format", f"xlsx 한 시트에는 {XLSX_MAX_ROWS:,}행까지만 들어갑니다; parquet이나 csv를 쓰세요")])
    if args.seed is not None and args.seed < 0:
        raise InputError([_problem("--seed", "난수 씨앗은 0 이상의 정수여야 합니다")])
    seed = DEFAULT_SEED if args.seed is None else args.seed
    fmt = args.format
    names = [f"{n}.{fmt}" for n in YEAR_FILES]
    existing = _year_files_in(args.out)
    if existing and not args.force:
        raise InputError([_problem("--out", f"이 폴더에는 이미 측정 연도 파일이 있습니다 ({', '.join(p.name for p in existing)}). "
                                            "덮어쓰려면 --force를 붙이고, 아니면 다른 폴더를 주세요")])
    _check_folder(args.out, names)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("가상 응답을 만드는 중", total=1)
        year = generate_year(model, seed=seed, responses=size,
                             progress=lambda done, total: bar.update(task, completed=done, total=total))
    with _step("파일을 쓰는 중"):
        sheets = {"institutions": "기관", "tasks": "측정대상업무", "responses": "응답", "deductions": "감점"}
        created = _make_folder(args.out)
        try:
            write_together([(getattr(year, n.split(".")[0]), args.out / n, fmt, sheets[n.split(".")[0]]) for n in names])
        except BaseException:
            for folder in created:  # leave no empty folder behind either
                folder.rmdir()
            raise
        # --force replaces the year held here: its files in another format would be a second, stale year.
        for stale in existing:
            if stale.name not in names:
                stale.unlink(missing_ok=True)
    console.print(
        f"{model.title}: 기관 {year.institutions.height:,}곳, 업무 {year.tasks.height:,}개, "
        f"응답 {year.responses.height:,}건, 감점 {year.deductions.height:,}건 (씨앗 {seed})\n폴더: {args.out}"
    )
    return 0


YEAR_FILES = ("institutions", "tasks", "responses", "deductions")


def _year_files_in(folder: Path) -> list[Path]:
    """The files of a generated year already in ``folder``, in any format."""
    if not folder.is_dir():
        return []
    return [folder / f"{n}.{f}" for n in YEAR_FILES for f in FORMATS if (folder / f"{n}.{f}").exists()]


def _check_folder(folder: Path, names: list[str]) -> None:
    """The year's folder can be written before a minute is spent generating: an existing
    folder is checked file by file; a new one needs its nearest existing parent writable."""
    if folder.is_dir():
        for name in names:
            check_output(folder / name, None, "--out")
        return
    if folder.exists():
        raise InputError([_problem("--out", f"폴더가 아니라 파일입니다: {folder}")], heading=OUTPUT_HEADING)
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError([_problem("--out", f"폴더를 만들 수 없습니다 (파일이 가로막습니다: {parent}): {folder}")],
                         heading=OUTPUT_HEADING)
    check_output(parent / names[0], None, "--out")  # a file can be created there, so a folder can


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns those created, innermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([_problem("--out", f"폴더를 만들 수 없습니다 ({os_reason(exc)}): {folder}")],
                         heading=OUTPUT_HEADING) from exc
    return missing


def _weights(args) -> int:
    from .interchange.formats import read_table
    from .scoring import score_year
    from .scoring.weighting import poststratified

    model = load_model(args.model)
    with _step("기관·응답·명부 파일을 읽고 점검하는 중"):
        year = load_year(model, args.institutions, args.responses, args.deductions)
        roster = read_table(args.roster_shares, "--roster-shares")
        missing = [c for c in ("institution", "survey", "unit", "roster") if c not in roster.columns]
        if missing:
            raise InputError([_problem("--roster-shares", f"필요한 열이 없습니다: {', '.join(missing)}")])
        roster = roster.with_columns(pl.col("roster").cast(pl.Int64, strict=False))
    with _step("가중치 없이, 그리고 가중치를 주어 채점하는 중"):
        plain = score_year(model, year.institutions, year.responses, year.deductions, include_items=False, breakdowns=False)
        weighted_rows = poststratified(model, year.responses, roster)
        weighted = score_year(model, year.institutions, weighted_rows, year.deductions, include_items=False,
                              breakdowns=False)
    both = plain.institutions.select("institution", "name", "overall", "grade").join(
        weighted.institutions.select("institution", pl.col("overall").alias("weighted"), pl.col("grade").alias("weighted_grade")),
        on="institution").filter(pl.col("overall").is_not_null())
    both = both.with_columns((pl.col("weighted") - pl.col("overall")).alias("change"))
    reweighted = weighted_rows.filter(pl.col("__weight") != 1.0)["institution"].n_unique()
    changed = both.filter(pl.col("grade") != pl.col("weighted_grade"))
    console.print(f"\n[bold]{model.title}[/]: 사후층화 가중치의 영향 ({'모형 기본값: 켬' if model.weighting.post_stratify else '모형 기본값: 끔'})")
    console.print(f"가중치가 1이 아닌 기관 {reweighted:,}곳 · 채점된 기관 {both.height:,}곳")
    if both.height:
        console.print(f"종합점수 변화: 평균 절댓값 {both['change'].abs().mean():.3f}점, 최대 {both['change'].abs().max():.3f}점")
    console.print(f"등급이 바뀌는 기관 {changed.height:,}곳")
    table = Table(title="종합점수 변화가 큰 기관", title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for col in ("기관", "가중치 없음", "가중치", "변화", "등급"):
        table.add_column(col, justify="left" if col == "기관" else "right", no_wrap=True)
    for r in both.sort(pl.col("change").abs(), descending=True).head(10).iter_rows(named=True):
        grade = f"{r['grade'] or '-'}→{r['weighted_grade'] or '-'}"
        table.add_row(r["name"], f"{r['overall']:.2f}", f"{r['weighted']:.2f}", f"{r['change']:+.3f}", grade)
    console.print(table)
    return 0


def _simulate(args) -> int:
    from rich.progress import Progress

    from .simulation import simulate_coverage

    model = load_model(args.model)
    if args.bodies < 3 * len(model.institution_types) or args.samples < 1:
        raise InputError([_problem("--bodies", f"기관은 {3 * len(model.institution_types)}곳 이상, 표본은 1개 이상이어야 합니다")])
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("모의 표본을 채점하는 중", total=args.samples)
        result = simulate_coverage(model, bodies=args.bodies, samples=args.samples, seed=args.seed,
                                   replicates=args.replicates,
                                   progress=lambda done, total: bar.update(task, completed=done, total=total))
    names = {s.code: s.name for s in model.surveys} | {"overall": model.overall_name}
    console.print(f"\n[bold]모의실험[/]: 기관 {result.bodies}곳, 표본 {result.samples}개 (표본마다 응답 {result.responses_per_sample:,}건), 씨앗 {args.seed}")
    console.print("95% 구간이 참값을 포함한 비율 (목표 93~97%):")
    for code, share in result.coverage.items():
        verdict = "적정" if 0.93 <= share <= 0.97 else "벗어남"
        console.print(f"  {names[code]}: {share:.1%} ({result.pairs[code]:,}개 구간, {verdict})")
    table = Table(title="등급 변동 확률의 보정 (예측 대 실제로 참 등급과 달라진 비율)", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    for col in ("예측 확률 구간", "기관×표본", "예측 평균", "실제 비율"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in result.calibration.iter_rows(named=True):
        table.add_row(r["bin"], f"{r['pairs']:,}", f"{r['predicted']:.1%}", f"{r['observed']:.1%}")
    console.print(table)
    return 0


def _model(args) -> int:
    model = load_model(args.model)
    console.print(f"[green]✓[/] {model.title} ({model.version}): 오류 없음")
    for sv in model.surveys:
        indices = ", ".join(f"{n.name}" + (f" {n.weight:g}" if n.weight else "") for n in sv.root.children)
        pooled = f", 합산 문항 {len(sv.pooled_items)}개" if sv.pooled_items else ""
        console.print(f"  {sv.name}: 문항 {len(sv.items)}개{pooled} ({indices})")
    titles = {sv.code: sv.name for sv in model.surveys}
    for name, weights in model.weight_sets.items():
        types = [t.name for t in model.institution_types.values() if t.weight_set == name]
        console.print(f"  가중치 ({types[0]} 등 {len(types)}개 유형): " if types else "  가중치: ", end="")
        console.print(", ".join(f"{titles.get(k, k)} {v:g}" for k, v in weights.items()), highlight=False)
    console.print(f"  척도 {model.scale_min:g}~{model.scale_max:g}, 부패사건 감점 상한 {model.incidents.cap:g}, "
                  f"등급 {model.grades}개 (z 기준 {', '.join(f'{c:g}' for c in model.grade_cut_points)})")
    if len(model.grade_measures) > 1:
        names = {c.code: c.name for c in (*model.surveys, *model.inputs, *model.composites)}
        console.print("  나란히 매기는 등급: " + ", ".join([model.overall_name] + [names.get(m, m) for m in model.grade_measures[1:]]))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
