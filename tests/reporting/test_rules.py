"""The vocabulary and the rules of 청렴신문고 and the registers (seeds 003, 004)."""

from datetime import date

import pytest

from integrity.reporting import rules


def test_the_five_vulnerable_fields_and_other_are_data():
    names = [t.name for t in rules.terms("fields").values()]
    assert names == ["인사", "계약·공사", "인·허가", "재·세정", "민간위탁·보조사업", "기타"]


def test_every_field_maps_to_an_early_warning_field_or_none():
    from integrity.earlywarning.config import load_settings

    warning_fields = set(load_settings().fields)
    for term in rules.terms("fields").values():
        assert term.incident_field == "" or term.incident_field in warning_fields, term


def test_coarse_date_keeps_the_day_or_the_week_never_a_time():
    assert rules.coarse_date(date(2026, 12, 3)) == date(2026, 12, 3)
    assert rules.coarse_date(date(2026, 12, 3), "week") == date(2026, 11, 30)  # Monday
    with pytest.raises(ValueError):
        rules.coarse_date(date(2026, 12, 3), "hour")


def test_deadline_is_days_after_receipt_and_overdue_only_while_open():
    due = rules.due_date(date(2026, 1, 1), 60)
    assert due == date(2026, 3, 2)
    assert rules.is_overdue(due, date(2026, 3, 3), finished=False)
    assert not rules.is_overdue(due, date(2026, 3, 3), finished=True)
    assert not rules.is_overdue(due, due, finished=False)


def test_one_strike_out_applies_from_the_threshold():
    """원스트라이크 아웃 (seed 004): 100만 원 이상 금품 등 수수 -> 배제징계 대상."""
    assert rules.one_strike_applies(1_000_000, 1_000_000)
    assert not rules.one_strike_applies(999_999, 1_000_000)
    assert not rules.one_strike_applies(None, 1_000_000)
    assert rules.one_strike_applies(500_000, 500_000)  # the threshold is a setting


def test_a_flagged_case_decided_short_of_dismissal_is_a_gap():
    assert rules.is_dismissal("dismissal_removal") and rules.is_dismissal("dismissal_discharge")
    assert rules.one_strike_gap(2_000_000, 1_000_000, "suspension")
    assert not rules.one_strike_gap(2_000_000, 1_000_000, "dismissal_discharge")
    assert not rules.one_strike_gap(2_000_000, 1_000_000, "pending")
    assert not rules.one_strike_gap(500_000, 1_000_000, "reprimand")
