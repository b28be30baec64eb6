"""Every write of 청렴신문고 goes through here: reports and messages from reporters,
case handling by staff (each access logged), statistics, and the registers' way into
the incidents register."""

from __future__ import annotations

import base64
import json
from collections import Counter as Tally
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.apps.audit.services import record
from integrity.apps.rosters.services import cipher
from integrity.reporting import receipt, rules
from integrity.reporting.scrub import Cleaned, clean

from . import release
from .models import (
    FINISHED,
    Attachment,
    AuditorFinding,
    CaseAccess,
    Message,
    OneStrikeEntry,
    ProtectionMeasure,
    Report,
    Side,
    SolicitationEntry,
    Status,
)


class CaseError(ValueError):
    """A handling step that is not allowed now, with the Korean reason."""


# --- keys and dates ---------------------------------------------------------------

@lru_cache(maxsize=4)
def _derived(pii_key: str, purpose: bytes) -> bytes:
    import base64

    key = base64.urlsafe_b64decode(pii_key.encode())
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"integrity-report-" + purpose).derive(key)


def receipt_key() -> bytes:
    return _derived(settings.INTEGRITY_PII_KEY, b"receipt")


def today_coarse(today: date | None = None) -> date:
    """The only date a reporter's action leaves: the day, or the week's Monday."""
    return rules.coarse_date(today or timezone.localdate(), settings.INTEGRITY_REPORT_DATE_PRECISION)


def _open(blob) -> dict:
    return json.loads(cipher().decrypt(blob)) if blob else {}


# --- reporters ----------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """What the reporter is shown once: the report itself waits for release."""

    code: str
    passphrase: str
    due_on: date
    visible_by: datetime  # the next daily release, at the latest


def clean_files(files: Iterable[bytes]) -> list[Cleaned]:
    """Every file cleaned (or the Korean reason one is refused) before anything is written."""
    files = list(files)
    if len(files) > settings.INTEGRITY_REPORT_ATTACHMENTS:
        from integrity.reporting.scrub import AttachmentRefused

        raise AttachmentRefused(_("첨부 파일은 %(n)s개까지 올릴 수 있습니다") % {"n": settings.INTEGRITY_REPORT_ATTACHMENTS})
    return [clean(data, settings.INTEGRITY_REPORT_ATTACHMENT_MAX_BYTES) for data in files]


def submit_report(*, institution, kind: str, field: str, title: str, what: str, when: str, where: str,
                  identity: dict | None = None, files: Iterable[bytes] = (), today: date | None = None) -> Receipt:
    """A new report, into the pool until the next release (release.py): no row of the
    case tables is written now. Nothing about the sender is stored: no address, no
    browser, no time of day; no audit entry either. The code and passphrase are
    returned once and kept nowhere."""
    cleaned = clean_files(files)
    code, passphrase = receipt.new_code(), receipt.new_passphrase()
    key = receipt_key()
    received_on = today_coarse(today)
    due_on = rules.due_date(received_on, settings.INTEGRITY_REPORT_DEADLINE_DAYS)
    verifier = receipt.make_verifier(key, code, passphrase, settings.INTEGRITY_REPORT_KDF_N)
    with transaction.atomic():
        release.hold({
            "type": "report", "institution": institution.pk, "kind": kind, "field": field,
            "content": json.dumps({"title": title, "what": what, "when": when, "where": where}, ensure_ascii=False),
            "identity": json.dumps(identity, ensure_ascii=False) if identity else None,
            "received_on": received_on.isoformat(), "due_on": due_on.isoformat(),
            "lookup_id": receipt.lookup_id(key, code), "verifier": base64.b64encode(verifier).decode()}, cleaned)
    return Receipt(code, passphrase, due_on, release.next_release())


def find_report(code: str, passphrase: str) -> Report | None:
    """The report a code and passphrase open, or None — the same work and answer for a
    malformed code, an unknown code and a wrong passphrase."""
    key = receipt_key()
    try:
        lookup = receipt.lookup_id(key, code)
    except receipt.ReceiptMalformed:
        lookup = "-" * 64  # still one query, like any other code
    report = Report.objects.filter(lookup_id=lookup).select_related("institution").first()
    ok = receipt.check_verifier(key, code, passphrase, report.verifier if report else None,
                                settings.INTEGRITY_REPORT_KDF_N)
    return report if ok and report is not None else None


def content(report: Report) -> dict:
    return _open(report.content_enc)


def identity(report: Report) -> dict:
    return _open(report.identity_enc)


def thread(report: Report) -> list[dict]:
    """The messages of a case in order, decrypted, with their attachments."""
    files: dict = {}
    for attachment in report.attachments.all():
        files.setdefault(attachment.message_id, []).append(attachment)
    return [{"message": m, "body": cipher().decrypt(m.body_enc), "attachments": files.get(m.pk, [])}
            for m in report.messages.select_related("author")]


def reporter_message(report: Report, body: str, files: Iterable[bytes] = (), *, sent: int = 0) -> None:
    """The reporter's answer (or new information), into the pool until the next release
    like a report. Refused once the case is finished. ``sent``: answers already sent
    from the same page, so that several answers keep their order in the case."""
    if report.finished:
        raise CaseError(_("종결된 신고에는 더 보낼 수 없습니다"))
    cleaned = clean_files(files)
    seen = report.messages.aggregate(last=Max("seq"))["last"] or 0
    with transaction.atomic():
        release.hold({"type": "reply", "report": str(report.pk), "body": body, "sent_on": today_coarse().isoformat(),
                      "after": seen, "n": sent}, cleaned)


def _add_message(report: Report, side: str, author, body: str) -> Message:
    locked = Report.objects.select_for_update().get(pk=report.pk)  # one seq at a time per case
    last = locked.messages.aggregate(last=Max("seq"))["last"] or 0
    return Message.objects.create(report=locked, seq=last + 1, side=side, author=author,
                                  body_enc=cipher().encrypt(body), sent_on=today_coarse())


def attachment_bytes(attachment: Attachment) -> bytes:
    return cipher().decrypt_bytes(attachment.data_enc)


# --- staff -------------------------------------------------------------------------------

def log_access(report: Report, user, action: str, detail: str = "") -> None:
    CaseAccess.objects.create(report=report, user=user if user.is_authenticated else None, action=action,
                              detail=detail[:300])


def _change(report: Report, user, action: str, detail: str, **fields) -> None:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(report, name, value)
        report.save(update_fields=list(fields))
        log_access(report, user, action, detail)
        record(user, f"reporting.{action}", report, f"청렴신문고 {report.reference}: {detail}"[:300])


def accept(report: Report, user) -> None:
    if report.status != Status.RECEIVED:
        raise CaseError(_("접수 상태의 신고만 조사를 시작할 수 있습니다"))
    _change(report, user, "accepted", "조사 시작", status=Status.INVESTIGATING)


def transfer(report: Report, user, to: str, outcome: str) -> None:
    if report.finished:
        raise CaseError(_("이미 종결된 신고입니다"))
    if not to.strip():
        raise CaseError(_("이첩할 곳을 적어 주세요"))
    _change(report, user, "transferred", f"이첩: {to}", status=Status.TRANSFERRED, transferred_to=to.strip(),
            outcome=outcome.strip() or f"{to.strip()}(으)로 이첩했습니다.", finished_on=timezone.localdate())


def dismiss(report: Report, user, reason: str) -> None:
    if report.finished:
        raise CaseError(_("이미 종결된 신고입니다"))
    if not reason.strip():
        raise CaseError(_("불수리 사유를 적어 주세요. 신고자에게 보입니다"))
    _change(report, user, "dismissed", "불수리 종결", status=Status.DISMISSED, outcome=reason.strip(),
            finished_on=timezone.localdate())


def close(report: Report, user, outcome: str, note: str = "") -> None:
    if report.status != Status.INVESTIGATING:
        raise CaseError(_("조사 중인 신고만 처리 완료로 닫을 수 있습니다"))
    if not outcome.strip():
        raise CaseError(_("처리 결과를 적어 주세요. 신고자에게 보입니다"))
    _change(report, user, "closed", "처리 완료", status=Status.CLOSED, outcome=outcome.strip(),
            internal_note=note.strip(), finished_on=timezone.localdate())


def assign(report: Report, user, assignee) -> None:
    _change(report, user, "assigned", f"담당자 지정: {assignee.get_username() if assignee else '-'}",
            assigned_to=assignee)


def extend(report: Report, user, due_on: date, reason: str) -> None:
    if report.finished:
        raise CaseError(_("종결된 신고의 기한은 바꿀 수 없습니다"))
    if due_on <= report.due_on:
        raise CaseError(_("새 기한은 지금 기한보다 뒤여야 합니다"))
    if not reason.strip():
        raise CaseError(_("기한을 늦추는 사유를 적어 주세요"))
    _change(report, user, "extended", f"기한 {report.due_on:%Y-%m-%d} → {due_on:%Y-%m-%d}: {reason.strip()}",
            due_on=due_on)


def ask(report: Report, user, body: str) -> Message:
    """A question (or news) from the handler; the reporter reads it with the code."""
    if report.finished:
        raise CaseError(_("종결된 신고에는 질문을 보낼 수 없습니다"))
    if not body.strip():
        raise CaseError(_("보낼 내용을 적어 주세요"))
    with transaction.atomic():
        message = _add_message(report, Side.HANDLER, user, body.strip())
        log_access(report, user, "asked", "신고자에게 메시지")
    return message


def protect(report: Report, user, measure: str, description: str, decided_on: date) -> ProtectionMeasure:
    if measure not in rules.terms("protection_measures"):
        raise CaseError(_("알 수 없는 보호 조치입니다"))
    if not description.strip():
        raise CaseError(_("보호 조치의 내용을 적어 주세요"))
    with transaction.atomic():
        taken = ProtectionMeasure.objects.create(report=report, measure=measure, description=description.strip(),
                                                 decided_on=decided_on, recorded_by=user)
        log_access(report, user, "protected", rules.name_of("protection_measures", measure))
        record(user, "reporting.protected", report, f"청렴신문고 {report.reference}: 신고자 보호 조치")
    return taken


def is_overdue(report: Report, today: date | None = None) -> bool:
    return rules.is_overdue(report.due_on, today or timezone.localdate(), report.status in FINISHED)


# --- statistics ----------------------------------------------------------------------

@dataclass(frozen=True)
class MonthlyCount:
    month: str  # "YYYY-MM"
    field: str  # reporting.yaml: fields
    count: int
    institution_code: str = ""


def monthly_counts(year: int | None = None, institution_codes: Iterable[str] | None = None,
                   *, by_institution: bool = False) -> list[MonthlyCount]:
    """Reports per month (of the coarse receipt date) and field: for the early-warning
    model and the institution's diagnosis. ``year``: a calendar year; ``institution_codes``:
    the bodies (by code, every year's rows); ``by_institution``: one row per body too."""
    reports = Report.objects.all()
    if year is not None:
        reports = reports.filter(received_on__year=year)
    if institution_codes is not None:
        reports = reports.filter(institution__code__in=list(institution_codes))
    tally = Tally((f"{d:%Y-%m}", field, code if by_institution else "")
                  for d, field, code in reports.values_list("received_on", "field", "institution__code"))
    return [MonthlyCount(month, field, n, code) for (month, field, code), n in sorted(tally.items())]


# --- registers -> incidents ------------------------------------------------------------

def _current_institution_row(institution):
    """The registry's latest row of the same body (its code), where an incident counts."""
    from integrity.apps.registry.models import Institution

    return Institution.objects.filter(code=institution.code).order_by("-year__year").first() or institution


def register_to_incident(entry, user):
    """A 부정청탁 or one-strike-out entry becomes a case of the incidents register
    (source: 기관 자체 등록부), once."""
    from integrity.apps.incidents.models import Case, Source

    if entry.incident_id:
        raise CaseError(_("이미 부패사건 대장에 올린 항목입니다"))
    body = _current_institution_row(entry.institution)
    if isinstance(entry, OneStrikeEntry):
        fields = {"act_type": "금품·향응수수", "acted_on": entry.acted_on, "amount": entry.amount,
                  "disposition": rules.name_of("disciplinary_outcomes", entry.outcome) if entry.outcome != "pending" else "",
                  "disposed_on": entry.outcome_on, "position": entry.position[:16],
                  "note": f"원스트라이크 아웃 등록부 #{entry.pk}" + (" (배제징계 대상)" if entry.flagged else "")}
    elif isinstance(entry, SolicitationEntry):
        fields = {"act_type": "부정청탁", "acted_on": entry.solicited_on,
                  "field": getattr(rules.terms("fields").get(entry.field), "incident_field", ""),
                  "disposition": rules.name_of("solicitation_handling", entry.handling), "disposed_on": entry.handled_on,
                  "note": f"부정청탁 등록부 #{entry.pk}"}
    else:
        raise TypeError(type(entry))
    with transaction.atomic():
        case = Case.objects.create(year=body.year, institution=body, source=Source.OWN_REGISTER, detected_by="self",
                                   created_by=user if user.is_authenticated else None, **fields)
        entry.incident = case
        entry.save(update_fields=["incident"])
        record(user, "reporting.to_incident", case, f"{fields['note']} → 부패사건 대장", entry=entry.pk)
    return case


def set_one_strike_flag(entry: OneStrikeEntry) -> None:
    """원스트라이크 아웃: the flag follows the amount and the threshold in force."""
    entry.flagged = rules.one_strike_applies(entry.amount, settings.INTEGRITY_ONE_STRIKE_THRESHOLD)


# --- citizen auditors' findings -> plan tasks (hook) --------------------------------------

def findings_without_task(institution_code: str):
    """Findings of the body's citizen auditors not yet taken into its plan: what the
    programme app offers as new plan tasks."""
    return (AuditorFinding.objects.filter(activity__auditor__institution__code=institution_code, plan_task_ref="")
            .select_related("activity__auditor"))


def link_finding_to_task(finding: AuditorFinding, task_ref: str, user) -> None:
    """Called by the programme app when a finding became a plan task (``task_ref``: its id)."""
    with transaction.atomic():
        finding.plan_task_ref = str(task_ref)[:64]
        finding.save(update_fields=["plan_task_ref"])
        record(user, "reporting.finding_to_task", finding, f"시민감사관 발견 사항 → 청렴 계획 과제 {task_ref}")


def finding_to_plan_task(finding: AuditorFinding, user):
    """The finding as a sub-task of the body's plan for the year of its activity
    (programme.services.add_task_from_finding), linked back once."""
    from integrity.apps.programme.services import add_task_from_finding

    if finding.plan_task_ref:
        raise CaseError(_("이미 청렴 계획 과제가 된 발견 사항입니다"))
    activity = finding.activity
    description = finding.finding + (f"\n권고: {finding.recommendation}" if finding.recommendation else "")
    with transaction.atomic():
        task = add_task_from_finding(activity.auditor.institution.code, activity.held_on.year, finding.finding[:200],
                                     description, rules.name_of("fields", finding.field),
                                     f"시민감사관 지적({activity.held_on:%Y-%m-%d})", user=user)
        link_finding_to_task(finding, task.pk, user)
    return task
