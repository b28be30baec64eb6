"""Backtest of the warning model on generated incidents (settings.yaml, ``backtest``):
train on the training years, predict each month of the held-out year, and score the
alerts against what happened, beside two baselines:

- calendar (명절·인사): warn for every field in every month touched by a 명절 or 정기 인사 event;
- calendar (all kinds): the same with every kind of the calendar (명절, 인사, 채용, 선거);
- always warn.

A unit is (시·도, 기관 유형군, 분야, 달) of the held-out year. It was *at risk* when its
realised count reached factor × its baseline (the trained model's expected count for a
month without calendar events) and at least ``min_count``. Units whose baseline is below
``min_baseline`` are not scored (one incident there says nothing). Precision = alerts on
units at risk / alerts; recall = units at risk alerted / units at risk.

    python -m integrity.earlywarning.backtest [--seed N] [--train 2017-2021] [--test 2022]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import polars as pl

from ..generate.incidents import generate_incidents, institutions, strata
from ..model import load_model
from .calendar import Event, load_default
from .config import Settings, load_settings
from .model import Prediction, count_table, incidents_frame, months_between, predict, train

CALENDAR_NARROW = ("holiday", "personnel")


@dataclass(frozen=True)
class Score:
    method: str
    alerts: int
    hits: int
    at_risk: int

    @property
    def precision(self) -> float:
        return self.hits / self.alerts if self.alerts else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.at_risk if self.at_risk else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Result:
    scores: list[Score]
    units: int
    train_incidents: int
    test_incidents: int
    settings: Settings

    def score(self, method: str) -> Score:
        return next(s for s in self.scores if s.method == method)


def score_units(predictions: list[Prediction], realised: dict[tuple, int], settings: Settings) -> list[Score]:
    rule = settings.backtest
    factor = settings.alert.factor
    units = [p for p in predictions if p.baseline >= rule.min_baseline]
    risk = {id(p) for p in units
            if (n := realised.get((p.region, p.family, p.field, p.year, p.month), 0)) >= rule.min_count
            and n >= factor * p.baseline}
    methods = {
        "model": lambda p: p.alert,
        "calendar_holiday_personnel": lambda p: any(k in CALENDAR_NARROW for k, _ in p.kinds),
        "calendar_all": lambda p: bool(p.kinds),
        "always": lambda p: True,
    }
    out = []
    for name, warns in methods.items():
        alerted = [p for p in units if warns(p)]
        out.append(Score(name, len(alerted), sum(id(p) in risk for p in alerted), len(risk)))
    return out


def run(settings: Settings | None = None, *, seed: int | None = None, train_years: tuple[int, int] | None = None,
        test_year: int | None = None, events: list[Event] | None = None) -> Result:
    settings = settings or load_settings()
    rule = settings.backtest
    seed = rule.seed if seed is None else seed
    train_years = train_years or rule.train
    test_year = test_year or rule.test
    events = events if events is not None else load_default(settings.kinds)
    bodies = institutions(load_model("2017"), seed)
    generated = generate_incidents(bodies, events, (train_years[0], test_year), seed=seed)
    frame = incidents_frame(generated.select("day", "field", "region", "family",
                                             pl.col("institution").alias("ref"), pl.col("act_type").alias("label"))
                            .iter_rows(named=True))
    cells = strata(bodies)
    training = frame.filter(pl.col("day").dt.year() <= train_years[1])
    model = train(training, cells, events, settings, months_between((train_years[0], 1), (train_years[1], 12)))
    test_months = months_between((test_year, 1), (test_year, 12))
    predictions = predict(model, events, test_months)
    held_out = frame.filter(pl.col("day").dt.year() == test_year)
    realised = {(r["region"], r["family"], r["field"], r["year"], r["month"]): r["count"]
                for r in count_table(held_out, cells, list(settings.fields), test_months).iter_rows(named=True)}
    scores = score_units(predictions, realised, settings)
    units = sum(p.baseline >= rule.min_baseline for p in predictions)
    return Result(scores, units, training.height, held_out.height, settings)


LABELS = {"model": "모형(청렴주의보)", "calendar_holiday_personnel": "달력만(명절·인사)",
          "calendar_all": "달력만(모든 일정)", "always": "항상 경보"}


def table(result: Result) -> str:
    lines = [f"{'방법':<18}{'경보':>7}{'적중':>7}{'위험 단위':>9}{'정밀도':>9}{'재현율':>9}{'F1':>8}"]
    for s in result.scores:
        lines.append(f"{LABELS[s.method]:<18}{s.alerts:>7}{s.hits:>7}{s.at_risk:>9}"
                     f"{s.precision:>9.3f}{s.recall:>9.3f}{s.f1:>8.3f}")
    return "\n".join(lines)


def _years(text: str) -> tuple[int, int]:
    a, _, b = text.partition("-")
    return int(a), int(b or a)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="청렴주의보 백테스트(생성 사건)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--train", type=_years)
    parser.add_argument("--test", type=int)
    args = parser.parse_args(argv)
    result = run(seed=args.seed, train_years=args.train, test_year=args.test)
    rule = result.settings.backtest
    print(f"학습 {args.train or rule.train} 사건 {result.train_incidents:,}건 · 평가 {args.test or rule.test}년 "
          f"사건 {result.test_incidents:,}건 · 평가 단위 {result.units:,}개 (시·도×유형군×분야×달, 기준 ≥ {rule.min_baseline:g}건)")
    print(f"위험 단위: 실현 건수 ≥ {result.settings.alert.factor:g} × 기준 건수 그리고 ≥ {rule.min_count}건")
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
