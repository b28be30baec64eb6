"""The plan's rules: overdue, progress by strategy, carrying a plan into next year."""

from datetime import date

from integrity.programme.plan import DONE, DROPPED, IN_PROGRESS, PLANNED, is_overdue, next_year, rollup

TODAY = date(2025, 7, 1)


def test_overdue_rule_past_deadline_and_not_done_or_dropped():
    assert is_overdue(date(2025, 6, 30), IN_PROGRESS, 40, TODAY)
    assert is_overdue(date(2025, 6, 30), PLANNED, None, TODAY)
    assert not is_overdue(date(2025, 7, 1), PLANNED, 0, TODAY)  # due today is not late yet
    assert not is_overdue(date(2025, 6, 30), DONE, 40, TODAY)
    assert not is_overdue(date(2025, 6, 30), DROPPED, 0, TODAY)
    assert not is_overdue(date(2025, 6, 30), IN_PROGRESS, 100, TODAY)  # reported complete
    assert not is_overdue(None, PLANNED, 0, TODAY)


def test_rollup_counts_done_as_full_and_leaves_dropped_out():
    r = rollup([(DONE, 60, False), (IN_PROGRESS, 50, True), (PLANNED, None, False), (DROPPED, 0, False)])
    assert (r.tasks, r.done, r.overdue) == (3, 1, 1)
    assert r.progress == (100 + 50 + 0) / 3
    assert rollup([]).progress == 0.0


def test_copy_moves_deadlines_one_year_and_29_february_to_28():
    assert next_year(date(2024, 6, 30)) == date(2025, 6, 30)
    assert next_year(date(2024, 2, 29)) == date(2025, 2, 28)
    assert next_year(None) is None
