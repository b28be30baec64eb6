"""Who owes which form by when: one row per institution and form it must submit, with
the submission status (미제출 / 반려 / 접수), the due date (an extension's if granted)
and the reminders already sent. Computed for a whole year in a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max

from integrity.apps.registry.models import AssessmentYear, Institution, TargetTask
from integrity.apps.rosters.models import RosterUpload, UploadStatus
from integrity.apps.rosters.services import forms_for
from integrity.rosters import get_form
from integrity.schedule import SubmissionStatus, days_left, effective_due, is_late, submission_status

from .models import Reminder
from .plan import due_dates, extensions_of

STATUS_LABELS = {SubmissionStatus.NONE: "미제출", SubmissionStatus.REJECTED: "반려", SubmissionStatus.ACCEPTED: "접수"}


@dataclass
class DeadlineRow:
    institution: Institution
    form_code: str
    form_title: str
    due: dt.date | None  # the year's date for the form
    extension_until: dt.date | None
    extension_reason: str
    status: SubmissionStatus
    parts_done: int  # accepted rosters (tasks, for the external roster) of parts_total
    parts_total: int
    today: dt.date
    last_reminder: dt.datetime | None = None
    reminders: int = 0
    order: int = 0  # the form's place among the institution's forms (as its dashboard lists them)

    @property
    def key(self) -> str:
        return f"{self.institution.pk}:{self.form_code}"

    @property
    def effective_due(self) -> dt.date | None:
        return effective_due(self.due, self.extension_until) if self.due else None

    @property
    def overdue(self) -> bool:
        """Still owed after its (extended) due date."""
        return self.status != SubmissionStatus.ACCEPTED and is_late(self.due, self.today, self.extension_until)

    @property
    def days_left(self) -> int | None:
        return days_left(self.effective_due, self.today) if self.due else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def owed_forms(institution: Institution, task_count: int) -> list[str]:
    """The forms an institution submits: the external roster when it has target tasks,
    and the forms its type owes (rosters.services.forms_for, as its dashboard shows)."""
    return (["external"] if task_count else []) + forms_for(institution)


def deadline_rows(year: AssessmentYear, institutions, today: dt.date) -> list[DeadlineRow]:
    """``institutions``: a queryset of the year's institutions the reader may see."""
    bodies = list(institutions.filter(year=year).select_related("officer").order_by("code"))
    for body in bodies:
        body.year = year  # one year object: its measurement model is loaded once, not per institution
    ids = [b.pk for b in bodies]
    dues = due_dates(year)
    extensions = extensions_of(ids)
    tasks: dict[int, list[int]] = defaultdict(list)
    for inst_id, task_id in TargetTask.objects.filter(institution_id__in=ids).values_list("institution_id", "id"):
        tasks[inst_id].append(task_id)
    seen: dict[tuple, set[str]] = defaultdict(set)  # (institution, form, task) -> statuses
    uploads = (RosterUpload.objects.filter(institution_id__in=ids, status__in=[UploadStatus.ACCEPTED, UploadStatus.REJECTED])
               .values_list("institution_id", "form_code", "task_id", "status").distinct())
    for inst_id, form_code, task_id, status in uploads:
        seen[(inst_id, form_code, task_id)].add(status)
    sent = {(r["institution_id"], r["form_code"]): r for r in Reminder.objects.filter(institution_id__in=ids)
            .values("institution_id", "form_code").annotate(last=Max("sent_at"), n=Count("id"))}
    rows = []
    titles = {}
    for body in bodies:
        for order, code in enumerate(owed_forms(body, len(tasks[body.pk]))):
            keys = [(body.pk, code, t) for t in tasks[body.pk]] if code == "external" else [(body.pk, code, None)]
            parts = [(UploadStatus.ACCEPTED in seen[k], UploadStatus.REJECTED in seen[k]) for k in keys]
            ext = extensions.get((body.pk, code))
            if code not in titles:
                titles[code] = get_form(code).title
            last = sent.get((body.pk, code))
            rows.append(DeadlineRow(
                institution=body, form_code=code, form_title=titles[code], due=dues.get(code),
                extension_until=ext.until if ext else None, extension_reason=ext.reason if ext else "",
                status=submission_status(parts), parts_done=sum(a for a, _ in parts), parts_total=len(parts), today=today,
                last_reminder=last["last"] if last else None, reminders=last["n"] if last else 0, order=order,
            ))
    return rows


def totals(rows: list[DeadlineRow]) -> dict[str, int]:
    return {
        "rows": len(rows),
        "institutions": len({r.institution.pk for r in rows}),
        "accepted": sum(r.status == SubmissionStatus.ACCEPTED for r in rows),
        "rejected": sum(r.status == SubmissionStatus.REJECTED for r in rows),
        "none": sum(r.status == SubmissionStatus.NONE for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "overdue_institutions": len({r.institution.pk for r in rows if r.overdue}),
    }
