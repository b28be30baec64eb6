"""The schedule's rules on fixed dates (pure: ``today`` is passed in)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from integrity.schedule import (
    OVERDUE, SubmissionStatus, current_phases, effective_due, is_late, load_plan, next_phase, reminder_stage,
    submission_status,
)
from integrity.schedule.deadlines import PlanError

D = dt.date
DUE = D(2017, 7, 25)


def test_a_form_may_be_submitted_on_its_due_date_and_is_late_from_the_day_after():
    assert not is_late(DUE, D(2017, 7, 24))
    assert not is_late(DUE, DUE)
    assert is_late(DUE, D(2017, 7, 26))


def test_no_due_date_is_never_late():
    assert not is_late(None, D(2030, 1, 1))


def test_an_extension_lets_a_form_in_until_its_date():
    until = D(2017, 8, 4)
    assert not is_late(DUE, D(2017, 8, 4), until)
    assert is_late(DUE, D(2017, 8, 5), until)


def test_an_extension_only_ever_moves_the_due_date_later():
    assert effective_due(DUE, D(2017, 7, 1)) == DUE
    assert effective_due(DUE, D(2017, 8, 1)) == D(2017, 8, 1)
    assert effective_due(DUE, None) == DUE


@pytest.mark.parametrize(("today", "stage"), [
    (D(2017, 7, 17), None),  # 8 days before: nothing yet
    (D(2017, 7, 18), "before:7"),
    (D(2017, 7, 20), "before:7"),  # a run that missed day 7 still sends the 7-day reminder
    (D(2017, 7, 24), "before:1"),
    (D(2017, 7, 25), "before:1"),  # the last day: the 1-day reminder, never a second one
    (D(2017, 7, 26), OVERDUE),
    (D(2017, 9, 1), OVERDUE),
])
def test_reminder_stage_is_the_nearest_offset_already_reached(today, stage):
    assert reminder_stage(DUE, today, (7, 1)) == stage


def test_a_run_that_first_comes_on_the_last_day_sends_only_the_one_day_reminder():
    assert reminder_stage(DUE, D(2017, 7, 24), (7, 1)) == "before:1"


def test_submission_is_accepted_only_when_every_task_roster_is_accepted():
    assert submission_status([(True, False), (True, True)]) == SubmissionStatus.ACCEPTED
    assert submission_status([(True, False), (False, False)]) == SubmissionStatus.NONE


def test_submission_is_rejected_when_a_roster_still_owed_has_only_rejected_uploads():
    assert submission_status([(False, True)]) == SubmissionStatus.REJECTED
    assert submission_status([(True, False), (False, True)]) == SubmissionStatus.REJECTED
    assert submission_status([(True, True)]) == SubmissionStatus.ACCEPTED  # rejected, then accepted


def test_nothing_uploaded_is_not_submitted():
    assert submission_status([(False, False)]) == SubmissionStatus.NONE
    assert submission_status([]) == SubmissionStatus.NONE


def _phase(kind, starts, ends):
    return SimpleNamespace(kind=kind, starts=starts, ends=ends)


def test_fieldwork_and_on_site_checks_run_at_the_same_time_and_the_next_phase_is_the_first_to_start():
    phases = [_phase("fieldwork", D(2017, 7, 1), D(2017, 11, 30)), _phase("onsite", D(2017, 8, 1), D(2017, 11, 30)),
              _phase("scoring", D(2017, 12, 1), D(2017, 12, 15)), _phase("publication", D(2017, 12, 20), D(2017, 12, 20))]
    assert [p.kind for p in current_phases(phases, D(2017, 9, 1))] == ["fieldwork", "onsite"]
    assert next_phase(phases, D(2017, 9, 1)).kind == "scoring"
    assert next_phase(phases, D(2017, 12, 21)) is None


def test_the_2017_plan_follows_the_seeds_schedule():
    plan = load_plan(2017)
    assert plan.phases["rosters"][1] == D(2017, 7, 25)  # 명부 등 자료 제출 '17. 7. 25.
    assert plan.phases["fieldwork"] == (D(2017, 7, 1), D(2017, 11, 30))  # 7월 ~ 11월
    assert plan.phases["onsite"] == (D(2017, 8, 1), D(2017, 11, 30))  # 8월 ~ 11월
    assert plan.phases["publication"][0].month == 12  # 12월(예정)
    assert plan.due("staff_2_1") == D(2017, 7, 25)
    assert plan.reminder_days == (7, 1)


def test_a_year_without_its_own_plan_takes_the_latest_dates_moved_to_it():
    plan = load_plan(2022)
    assert plan.phases["fieldwork"] == (D(2022, 7, 1), D(2022, 11, 30))


def test_the_models_roster_due_date_ends_roster_submission():
    plan = load_plan(2022).with_roster_due(D(2022, 7, 29))
    assert plan.phases["rosters"][1] == D(2022, 7, 29)
    assert plan.due("external") == D(2022, 7, 29)


def test_a_malformed_plan_is_refused_in_korean(tmp_path):
    bad = tmp_path / "plans.yaml"
    bad.write_text("reminder_days: [7]\nyears:\n  2017:\n    phases:\n      rosters: {starts: 2017-07-30, ends: 2017-07-25}\n",
                   encoding="utf-8")
    with pytest.raises(PlanError, match="먼저 끝납니다"):
        load_plan(2017, bad)
    bad.write_text("reminder_days: [-1]\nyears: {}\n", encoding="utf-8")
    with pytest.raises(PlanError, match="0 이상의 정수"):
        load_plan(2017, bad)
