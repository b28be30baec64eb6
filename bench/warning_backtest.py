"""Benchmark (issue 14): the 청렴주의보 backtest side by side with the two baselines.

    python bench/warning_backtest.py [--seeds 5]

Trains the warning model on generated 2017-2021 incidents and scores its alerts for the
held-out 2022 (definitions: docs/earlywarning.md, integrity.earlywarning.backtest), for
the settings' seed and a few more, and prints precision, recall and F1 of the model,
the calendar-only warning (명절·인사; every calendar kind) and "always warn", with the
mean over the seeds.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from integrity.earlywarning import backtest  # noqa: E402
from integrity.earlywarning.config import load_settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    seeds = [settings.backtest.seed] + list(range(1, args.seeds))
    started = time.perf_counter()
    results = {}
    for seed in seeds:
        results[seed] = backtest.run(settings, seed=seed)
    elapsed = time.perf_counter() - started
    first = results[seeds[0]]
    rule = settings.backtest
    print(f"청렴주의보 백테스트: 학습 {rule.train[0]}~{rule.train[1]}, 평가 {rule.test} "
          f"(시드 {seeds[0]}: 사건 {first.train_incidents:,} / {first.test_incidents:,}건, 평가 단위 {first.units:,}개)")
    print(f"위험 단위 = 실현 ≥ {settings.alert.factor:g} × 기준 그리고 ≥ {rule.min_count}건; 기준 < {rule.min_baseline:g}건인 단위 제외\n")
    print(f"시드 {seeds[0]}:")
    print(backtest.table(first))
    print(f"\n시드 {len(seeds)}개 평균 (정밀도 / 재현율 / F1):")
    for method, label in backtest.LABELS.items():
        scores = [r.score(method) for r in results.values()]
        print(f"  {label:<16} {mean(s.precision for s in scores):.3f} / {mean(s.recall for s in scores):.3f} / "
              f"{mean(s.f1 for s in scores):.3f}   (F1 범위 {min(s.f1 for s in scores):.3f}~{max(s.f1 for s in scores):.3f})")
    # How the verdict depends on the definition of a unit at risk (docs/earlywarning.md).
    print(f"\n민감도(시드 {seeds[0]}): 위험 단위의 최소 건수·기준을 바꾸면 (모형 / 달력 명절·인사 / 달력 전체 / 항상 F1)")
    for min_count, min_baseline in ((2, 0.5), (2, 1.0), (3, 1.0)):
        varied = replace(settings, backtest=replace(rule, min_count=min_count, min_baseline=min_baseline))
        r = backtest.run(varied, seed=seeds[0])
        print(f"  최소 {min_count}건, 기준 ≥ {min_baseline:g}: " + " / ".join(f"{r.score(m).f1:.3f}" for m in backtest.LABELS))
    print(f"\n걸린 시간 {elapsed:.1f}초 (시드 {len(seeds)}개)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
