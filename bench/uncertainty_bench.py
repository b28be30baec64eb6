"""Benchmark (issue 16): bootstrap standard errors for a full national year.

    python bench/uncertainty_bench.py [--responses 240000] [--replicates 500] [--repeat 1]

A generated 2017 year of 572 bodies and 240,000 responses; ``score_uncertainty``
with 500 replicates (standard errors, intervals, grade stability) against the
10 s target on 2 cores, and against ``score_year`` (the point scores) on the same
year; peak resident memory of the process. Runs in a fresh process so its peak
memory is its own.
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
from targets import best_of, report  # noqa: E402

TARGET_SECONDS = 10.0


def _child(responses: int, replicates: int, repeat: int) -> None:
    from integrity.generate import generate_year
    from integrity.model import load_model
    from integrity.scoring import score_year
    from integrity.scoring.uncertainty import score_uncertainty

    model = load_model("2017")
    year = generate_year(model, seed=1, responses=responses)
    institutions = year.institutions.rename({"code": "institution"})

    point = score_year(model, institutions, year.responses, year.deductions).institutions
    point_time = best_of(lambda: score_year(model, institutions, year.responses, year.deductions), repeat)
    boot_time = best_of(lambda: score_uncertainty(model, institutions, year.responses, year.deductions, point=point,
                                               replicates=replicates), repeat)
    print(json.dumps({"rows": year.responses.height, "bodies": institutions.height, "point": point_time,
                      "bootstrap": boot_time, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=240_000)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.responses, args.replicates, args.repeat)
        return
    done = subprocess.run([sys.executable, __file__, "--child", "--responses", str(args.responses),
                           "--replicates", str(args.replicates), "--repeat", str(args.repeat)],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{r['bodies']} bodies, {r['rows']:,} responses, {args.replicates} replicates: "
          f"point scores {r['point']:.3f} s, bootstrap {r['bootstrap']:.3f} s "
          f"({r['bootstrap'] / r['point']:.0f}x the point scores)")
    print("  " + report("bootstrap standard errors", r["bootstrap"], TARGET_SECONDS, "s"))
    print("  " + report("peak memory", r["peak_mb"], 2048, "MB"))


if __name__ == "__main__":
    main()
