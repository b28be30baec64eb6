"""Reminders to liaisons about forms still owed: by e-mail (Django's mail backend) to the
institution's liaison accounts and by text message (fieldwork.sms backend) to their
phones. One message per institution and channel lists its forms; every form reminded
is logged per channel (who, when, which institution and form). Automatic reminders
(``before:N`` days, ``overdue``) are unique per form and due date: never sent twice,
even by two runs at once (the row is claimed before the message goes out)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from integrity.apps.accounts.models import Profile, Role
from integrity.apps.audit.services import record
from integrity.apps.fieldwork.sms import TextMessage, get_backend
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.rosters.services import cipher
from integrity.schedule import OVERDUE, SubmissionStatus, reminder_stage

from .models import Channel, LiaisonPhone, Reminder
from .plan import reminder_days
from .status import DeadlineRow, deadline_rows

MANUAL = "manual"


@dataclass
class Sent:
    institutions: int = 0
    emails: int = 0
    texts: int = 0
    forms: int = 0  # (institution, form) pairs reminded on at least one channel
    no_contact: list[str] = field(default_factory=list)  # institutions with no liaison address or phone

    def __str__(self) -> str:
        text = gettext("기관 {i}곳, 서식 {f}건: 전자우편 {e}통, 문자 {t}건").format(
            i=self.institutions, f=self.forms, e=self.emails, t=self.texts)
        if self.no_contact:
            text += gettext(" (연락처 없는 기관 {n}곳)").format(n=len(self.no_contact))
        return text


def set_liaison_phone(user, phone: str | None) -> None:
    """Store (encrypted) or forget the mobile number a liaison is reminded on."""
    if not phone:
        LiaisonPhone.objects.filter(user=user).delete()
        return
    LiaisonPhone.objects.update_or_create(user=user, defaults={"phone_enc": cipher().encrypt(phone)})


def contacts(institution_ids) -> dict[int, tuple[list[str], list[str]]]:
    """institution -> (e-mail addresses, phones) of its active liaison accounts."""
    out: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    profiles = (Profile.objects.filter(role=Role.LIAISON, institution_id__in=institution_ids, user__is_active=True)
                .select_related("user", "user__reminder_phone"))
    for p in profiles:
        emails, phones = out[p.institution_id]
        if p.user.email:
            emails.append(p.user.email)
        phone = getattr(p.user, "reminder_phone", None)
        if phone is not None:
            phones.append(cipher().decrypt(phone.phone_enc))
    return out


def _when(row: DeadlineRow) -> str:
    return date_format(row.effective_due, "Y년 n월 j일") if row.due else gettext("미정")


def _line(row: DeadlineRow) -> str:
    state = gettext("기한 경과") if row.overdue else row.status_label
    return gettext("- {form}: 기한 {due} ({state})").format(form=row.form_title, due=_when(row), state=state)


def _link(row: DeadlineRow) -> str:
    return settings.INTEGRITY_PUBLIC_URL.rstrip("/") + reverse("rosters:dashboard", args=[row.institution.pk])


def _email_body(rows: list[DeadlineRow]) -> str:
    body = rows[0].institution
    late = any(r.overdue for r in rows)
    head = (gettext("{name} 담당자님, 아래 서식의 제출 기한이 지났습니다.") if late
            else gettext("{name} 담당자님, 아래 서식의 제출 기한이 다가옵니다.")).format(name=body.name)
    return "\n".join([
        head, "", *(_line(r) for r in rows), "",
        gettext("제출: {url}").format(url=_link(rows[0])),
        gettext("기한 안에 내기 어려우면 권익위 담당자에게 사유와 함께 기한 연장을 요청하세요."),
    ])


def _sms_body(rows: list[DeadlineRow]) -> str:
    first = rows[0]
    more = gettext(" 외 {n}건").format(n=len(rows) - 1) if len(rows) > 1 else ""
    text = (gettext("[청렴도 측정] {name} {form}{more} 제출 기한 {due} 지났습니다. {url}") if first.overdue
            else gettext("[청렴도 측정] {name} {form}{more} 제출 기한 {due}. {url}"))
    return text.format(name=first.institution.name, form=first.form_title, more=more, due=_when(first),
                               url=_link(first))


def _claim(row: DeadlineRow, stage: str, channel: str, recipients: int, actor, already: set) -> bool:
    """Log one reminder; False when this automatic reminder was already sent."""
    if (row.institution.pk, row.form_code, row.effective_due, channel) in already:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(institution=row.institution, form_code=row.form_code, due=row.effective_due or row.today,
                                    stage=stage, channel=channel, recipients=recipients,
                                    sent_by=actor if getattr(actor, "is_authenticated", False) else None)
        return True
    except IntegrityError:
        return stage == MANUAL


def remind(actor, rows: list[DeadlineRow], *, channels=(Channel.EMAIL, Channel.SMS), stage: str = MANUAL) -> Sent:
    """Remind the liaisons of the rows' institutions of the rows' forms (accepted forms
    are skipped: nothing is owed)."""
    owed = [r for r in rows if r.status != SubmissionStatus.ACCEPTED]
    by_body: dict[int, list[DeadlineRow]] = defaultdict(list)
    for r in owed:
        by_body[r.institution.pk].append(r)
    reach = contacts(list(by_body))
    already = set() if stage == MANUAL else set(
        Reminder.objects.filter(stage=stage, institution_id__in=list(by_body))
        .values_list("institution_id", "form_code", "due", "channel"))
    sent = Sent()
    connection = get_connection()
    sms = get_backend()
    for body_id, body_rows in by_body.items():
        emails, phones = reach[body_id] if body_id in reach else ([], [])
        if not emails and not phones:
            sent.no_contact.append(body_rows[0].institution.code)
            continue
        with transaction.atomic():
            done = set()
            if Channel.EMAIL in channels and emails:
                forms = [r for r in body_rows if _claim(r, stage, Channel.EMAIL, len(emails), actor, already)]
                if forms:
                    subject = gettext("[청렴도 측정] {name} 명부 제출 기한 안내").format(name=forms[0].institution.name)
                    connection.send_messages([EmailMessage(subject, _email_body(forms), to=[e]) for e in emails])
                    sent.emails += len(emails)
                    done |= {r.form_code for r in forms}
            if Channel.SMS in channels and phones:
                forms = [r for r in body_rows if _claim(r, stage, Channel.SMS, len(phones), actor, already)]
                if forms:
                    sms.send_messages([TextMessage(p, _sms_body(forms)) for p in phones])
                    sent.texts += len(phones)
                    done |= {r.form_code for r in forms}
            if done:
                sent.institutions += 1
                sent.forms += len(done)
                record(actor, "schedule.reminded", body_rows[0].institution,
                       f"{body_rows[0].institution.name}: 제출 독촉({stage}) {', '.join(sorted(done))}"[:300],
                       stage=stage, forms=sorted(done), emails=len(emails), phones=len(phones))
    return sent


def due_reminders(rows: list[DeadlineRow], offsets, today: dt.date) -> dict[str, list[DeadlineRow]]:
    """stage -> rows owed whose automatic reminder falls due on ``today`` (pure over rows)."""
    out: dict[str, list[DeadlineRow]] = defaultdict(list)
    for r in rows:
        if r.status == SubmissionStatus.ACCEPTED or r.due is None:
            continue
        stage = reminder_stage(r.effective_due, today, offsets)
        if stage is not None:
            out[stage].append(r)
    return out


def send_due_reminders(today: dt.date, years=None) -> dict[str, Sent]:
    """The automatic run (hourly from cron is fine): each stage's reminders for every
    open year; a reminder already sent is skipped. Overdue forms get one notice."""
    years = years if years is not None else AssessmentYear.objects.filter(open_to_liaisons=True)
    result: dict[str, Sent] = {}
    offsets = reminder_days()
    for year in years:
        rows = deadline_rows(year, year.institutions.all(), today)
        for stage, owed in sorted(due_reminders(rows, offsets, today).items()):
            result[f"{year.year} {stage}"] = remind(None, owed, stage=stage)
    return result


def stage_label(stage: str) -> str:
    if stage == MANUAL:
        return gettext("수동")
    if stage == OVERDUE:
        return gettext("기한 경과 알림")
    return gettext("{n}일 전 알림").format(n=stage.split(":", 1)[1])
