"""Backtest on generated years: the model beats the calendar-only warning and "always warn"."""

import pytest

from integrity.earlywarning import backtest

MARGIN = 0.05


@pytest.fixture(scope="module")
def result():
    return backtest.run()


def test_model_beats_the_calendar_only_baseline_on_f1(result):
    """The seed's proposal warns in every 부패취약시기 (명절, 인사); the measured model does better."""
    model = result.score("model")
    for baseline in ("calendar_holiday_personnel", "calendar_all"):
        assert model.f1 > result.score(baseline).f1 + MARGIN, (baseline, backtest.table(result))


def test_model_beats_always_warn_and_is_more_precise_than_every_baseline(result):
    model = result.score("model")
    assert model.f1 > result.score("always").f1 + MARGIN
    assert all(model.precision > s.precision for s in result.scores if s.method != "model")
    assert result.score("always").recall == 1.0


def test_the_result_holds_on_another_seed():
    other = backtest.run(seed=11)
    assert other.score("model").f1 > other.score("calendar_holiday_personnel").f1 + MARGIN


def test_command_prints_the_table(capsys):
    assert backtest.main(["--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "모형(청렴주의보)" in out and "달력만(명절·인사)" in out and "항상 경보" in out and "F1" in out
