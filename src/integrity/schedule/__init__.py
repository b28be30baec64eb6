"""The year's schedule: phases, due dates, extensions and reminder timing (pure)."""

from .deadlines import (
    OVERDUE, PHASES, Plan, SubmissionStatus, current_phases, days_left, effective_due, is_late, load_plan,
    next_phase, reminder_stage, submission_status,
)

__all__ = [
    "OVERDUE", "PHASES", "Plan", "SubmissionStatus", "current_phases", "days_left", "effective_due", "is_late",
    "load_plan", "next_phase", "reminder_stage", "submission_status",
]
