"""The early warning's rules as data (settings.yaml), checked on load with Korean messages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class AlertRule:
    factor: float
    interval_level: float
    min_expected: float
    min_history: int
    evidence_limit: int
    history_years: int


@dataclass(frozen=True)
class BacktestRule:
    train: tuple[int, int]
    test: int
    seed: int
    min_count: int
    min_baseline: float


@dataclass(frozen=True)
class Settings:
    fields: dict[str, str]  # code -> Korean name, in order
    act_type_fields: dict[str, str]
    kinds: dict[str, str]  # calendar kind -> Korean name
    alert: AlertRule
    backtest: BacktestRule
    field_suggestions: dict[str, tuple[str, ...]]
    kind_suggestions: dict[str, tuple[str, ...]]

    def field_of(self, field: str, act_type: str) -> str:
        """A case's field: its own, else its act type's default ("" when neither)."""
        if field in self.fields:
            return field
        return self.act_type_fields.get(act_type, "")


def parse(raw: dict) -> Settings:
    try:
        fields = {f["code"]: f["name"] for f in raw["fields"]}
        kinds = dict(raw["calendar_kinds"])
        a, b = raw["alert"], raw["backtest"]
        alert = AlertRule(float(a["factor"]), float(a["interval_level"]), float(a["min_expected"]),
                          int(a["min_history"]), int(a["evidence_limit"]), int(a["history_years"]))
        backtest = BacktestRule((int(b["train"][0]), int(b["train"][1])), int(b["test"]), int(b["seed"]),
                                int(b["min_count"]), float(b["min_baseline"]))
        suggestions = raw.get("suggestions") or {}
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise SettingsError(f"조기경보 설정 파일의 형식이 맞지 않습니다: {exc!r}") from exc
    act_fields = dict(raw.get("act_type_fields") or {})
    if unknown := sorted(set(act_fields.values()) - set(fields)):
        raise SettingsError(f"act_type_fields에 없는 분야가 있습니다: {', '.join(unknown)}")
    if alert.factor <= 1:
        raise SettingsError("alert.factor는 1보다 커야 합니다")
    if not 0.5 <= alert.interval_level < 1:
        raise SettingsError("alert.interval_level은 0.5 이상 1 미만이어야 합니다")
    if backtest.train[0] > backtest.train[1] or backtest.test <= backtest.train[1]:
        raise SettingsError("backtest: 학습 연도는 평가 연도보다 앞이어야 합니다")
    by_field = {k: tuple(v) for k, v in (suggestions.get("fields") or {}).items()}
    by_kind = {k: tuple(v) for k, v in (suggestions.get("kinds") or {}).items()}
    if unknown := sorted((set(by_field) - set(fields)) | (set(by_kind) - set(kinds))):
        raise SettingsError(f"suggestions에 알 수 없는 분야·일정 종류가 있습니다: {', '.join(unknown)}")
    return Settings(fields, act_fields, kinds, alert, backtest, by_field, by_kind)


@cache
def load_settings(path: str | None = None) -> Settings:
    with open(path or HERE / "settings.yaml", encoding="utf-8") as fh:
        return parse(yaml.safe_load(fh))
