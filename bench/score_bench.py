"""Benchmark: score 1,000,000 generated responses and compare with merely reading them.

    python bench/score_bench.py [--responses N] [--format parquet|csv] [--repeat 3]

Each measurement runs in a fresh process so that its peak memory (max RSS) is its own.
The floor is reading the same file's columns into memory and nothing else; the
score run is everything `integrity score` does: read, validate, score, write.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def _generate(size: int, fmt: str) -> Path:
    folder = OUT / f"year-{size}-{fmt}"
    if not (folder / f"responses.{fmt}").exists():
        from integrity.generate import generate_year
        from integrity.interchange import write_table
        from integrity.model import load_model

        started = time.perf_counter()
        year = generate_year(load_model("2017"), seed=1, responses=size)
        for name in ("institutions", "responses", "deductions"):
            write_table(getattr(year, name), folder / f"{name}.{fmt}", fmt)
        print(f"generated {year.responses.height:,} responses in {time.perf_counter() - started:.1f}s -> {folder}")
    return folder


def _child(mode: str, folder: str, fmt: str) -> None:
    """Runs in a subprocess: one timed measurement, printed as JSON."""
    import polars as pl

    from integrity.interchange import load_year, write_table
    from integrity.model import load_model
    from integrity.scoring import score_year

    path = Path(folder) / f"responses.{fmt}"
    started = time.perf_counter()  # after the imports, for both: the floor imports polars too
    if mode == "floor":
        frame = pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path)
        rows = frame.height
    else:
        model = load_model("2017")
        year = load_year(model, Path(folder) / f"institutions.{fmt}", [path], Path(folder) / f"deductions.{fmt}")
        result = score_year(model, year.institutions, year.responses, year.deductions, breakdowns=False)
        write_table(result.institutions, Path(folder) / "scored.parquet")
        rows = year.responses.height
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_mb}))


def _measure(mode: str, folder: Path, fmt: str, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(folder), "--format", fmt],
                             check=True, capture_output=True, text=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    return best | {"peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"))
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], args.format)
        return
    folder = _generate(args.responses, args.format)
    floor = _measure("floor", folder, args.format, args.repeat)
    score = _measure("score", folder, args.format, args.repeat)
    ratio = score["seconds"] / floor["seconds"]
    print(f"format {args.format}, {score['rows']:,} responses, best of {args.repeat}")
    print(f"  read-only floor : {floor['seconds']:.3f} s  ({floor['rows'] / floor['seconds']:,.0f} rows/s, peak {floor['peak_mb']:.0f} MB)")
    print(f"  full scoring    : {score['seconds']:.3f} s  ({score['rows'] / score['seconds']:,.0f} responses/s, peak {score['peak_mb']:.0f} MB)")
    print(f"  ratio to floor  : {ratio:.2f}x   (targets: < 5 s and < 5x)")


if __name__ == "__main__":
    main()
