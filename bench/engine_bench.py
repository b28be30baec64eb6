"""Benchmark (issue 17): the scoring engine against merely reading the same columns,
in-process, best of several runs, at 1,000,000 and 5,000,000 responses; peak memory.

    python bench/engine_bench.py [--sizes 1000000 5000000] [--repeat 3]

Each size runs in a fresh process, so its peak resident memory (ru_maxrss: numpy's and
polars' native memory included) is its own. The floor is reading the responses file's
columns (Parquet) into memory; the engine is ``score_year`` on the validated frames
(items and task/office breakdowns included). The two are run in turn, best of
``--repeat`` each, so both see the same moments of a busy machine.
Targets: engine within 3x of the floor; the 5M process under 4 GB.

Where the time went at 1M (cProfile, single-thread CPU time) and what changed on 2 December
2026: two thirds were the per-survey group-bys that tally every item by institution, task and
office (``aggregate.tally``). Their cost is the number of aggregations and what is evaluated
inside them, so: (1) the three key columns became one integer made once for all surveys
(grouping by it is ~6x faster than by two string columns and an Enum); (2) a Likert item is
summed as stored (points from k x count - sum), no per-row work; (3) every other item is one
packed sum (points + 2**32: count in the high half), its points made per row *before*
grouping -- the gated frequency/amount items' when/then inside the aggregation cost ~8x more
than the same expression in a select; counted values by a when/then chain (replace_strict's
lookup was 7x slower); (4) the aggregation plans are built once per model (~5 ms of
expression building per run); (5) the institution, task and office casts run in one pass
(side by side); (6) the three surveys' passes run side by side (``collect_all``); institution
sums in one ``reduceat``. The engine took 0.55-0.62 of its former time in interleaved runs;
on a quiet machine 1M went from 5.6x to ~3.5x of the read floor (0.093 s vs 0.026 s) and 5M
from 2.95x to 2.37x. What is left at 1M (2 threads, ~82 ms): the Enum/Categorical casts of
the three key columns ~10 ms, the three tally passes ~45 ms, the breakdown ~8 ms, the rest
(scores, grades, deductions, frames) ~12 ms. Next steps, not taken: keep the key columns
Categorical from the reader on (the casts vanish), or a compiled kernel for the tallies.
Tried, no faster: polars' streaming engine, sorting so that groups are slices (the sort costs
more), packing three items into an Int128 (its arithmetic is slower than what it saves). The
read floor itself varies most (0.02-0.2 s at 1M, with the page cache and allocator warm or not).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))
from targets import interleaved, report  # noqa: E402

OUT = Path(__file__).parent / "out"


def _child(size: int, repeat: int) -> None:
    import polars as pl

    from integrity.generate import generate_year
    from integrity.interchange import load_year, write_table
    from integrity.model import load_model
    from integrity.scoring import score_year

    folder = OUT / f"engine-{size}"
    if not (folder / "responses.parquet").exists():
        year = generate_year(load_model("2017"), seed=1, responses=size)
        for name in ("institutions", "responses", "deductions"):
            write_table(getattr(year, name), folder / f"{name}.parquet", "parquet")
        del year
    model = load_model("2017")
    year = load_year(model, folder / "institutions.parquet", [folder / "responses.parquet"], folder / "deductions.parquet")

    best = interleaved({
        "floor": lambda: pl.read_parquet(folder / "responses.parquet"),
        "engine": lambda: score_year(model, year.institutions, year.responses, year.deductions),
    }, repeat)
    floor, engine = best["floor"], best["engine"]
    print(json.dumps({"rows": year.responses.height, "floor": floor, "engine": engine,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.repeat)
        return
    for size in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--child", str(size), "--repeat", str(args.repeat)],
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['rows']:,} responses: read {r['floor']:.3f} s, engine {r['engine']:.3f} s (best of {args.repeat})")
        print("  " + report("engine vs read", r["engine"] / r["floor"], 3.0, "x"))
        print("  " + report("peak memory", r["peak_mb"], 4096, "MB"))


if __name__ == "__main__":
    main()
