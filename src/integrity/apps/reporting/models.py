"""청렴신문고 reports and their handling, the 부정청탁 and one-strike-out registers, and
citizen auditors.

What a report row may hold is the point of this module (docs/reporting.md):
random UUID keys (no order), the day or week it came (no time, no ``auto_now``), no
address, no user agent, every text the reporter wrote encrypted (AES-GCM, the PII
key), and instead of the receipt code only its keyed lookup id and a scrypt verifier.
Staff actions on a case are logged with their time in ``CaseAccess``: that log is
about staff, not about the reporter."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import Institution


class Status(models.TextChoices):
    RECEIVED = "received", _("접수")
    INVESTIGATING = "investigating", _("조사 중")
    TRANSFERRED = "transferred", _("이첩")
    DISMISSED = "dismissed", _("종결(불수리)")
    CLOSED = "closed", _("처리 완료")


FINISHED = (Status.TRANSFERRED, Status.DISMISSED, Status.CLOSED)


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="reports",
                                    verbose_name=_("신고 대상 기관"))
    kind = models.CharField(_("신고 종류"), max_length=16)  # reporting.yaml: kinds
    field = models.CharField(_("분야"), max_length=24)  # reporting.yaml: fields
    content_enc = models.BinaryField()  # JSON {title, what, when, where}, encrypted
    named = models.BooleanField(_("실명 신고"), default=False)
    identity_enc = models.BinaryField(null=True)  # JSON {name, contact}, encrypted; shown to the case owner only
    received_on = models.DateField(_("접수일"))  # coarse: the day or the Monday of the week
    due_on = models.DateField(_("처리 기한"))
    status = models.CharField(_("처리 상태"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("담당자"))
    transferred_to = models.CharField(_("이첩한 곳"), max_length=200, blank=True)
    outcome = models.TextField(_("처리 결과(신고자에게 보임)"), blank=True)
    internal_note = models.TextField(_("내부 메모"), blank=True)
    finished_on = models.DateField(_("종결일"), null=True, blank=True)
    lookup_id = models.CharField(max_length=64, unique=True)  # HMAC of the receipt code
    verifier = models.BinaryField()  # salt ‖ scrypt(HMAC(code, passphrase))

    class Meta:
        verbose_name = _("청렴신문고 신고")
        verbose_name_plural = _("청렴신문고 신고")
        ordering = ["-received_on", "id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.institution.name}"

    @property
    def reference(self) -> str:
        """A short handle for staff, from the random key (never a running number)."""
        return str(self.id)[:8].upper()

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class Side(models.TextChoices):
    REPORTER = "reporter", _("신고자")
    HANDLER = "handler", _("담당자")


class Message(models.Model):
    """One message of the two-way exchange; ``seq`` orders a case's messages (and
    nothing across cases), ``sent_on`` is coarse like the report's date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    side = models.CharField(max_length=8, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")  # staff only; a reporter's message has none
    body_enc = models.BinaryField()
    sent_on = models.DateField()

    class Meta:
        ordering = ["report", "seq"]
        constraints = [models.UniqueConstraint(fields=["report", "seq"], name="one_message_per_seq")]


class Attachment(models.Model):
    """A file from the reporter, metadata removed (integrity.reporting.scrub), stored
    encrypted in the database: no file on disk whose times could tell when it came.
    The original file name is not kept (it may name the reporter)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveSmallIntegerField()  # 1, 2, ... within the report: the name shown
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    data_enc = models.BinaryField()

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_attachment_number")]

    @property
    def name(self) -> str:
        from integrity.reporting.scrub import EXTENSION

        return f"첨부{self.number}.{EXTENSION.get(self.kind, 'bin')}"


class CaseAccess(models.Model):
    """Every look at and change of a case by staff: who, what, when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("행위"), max_length=32)
    detail = models.CharField(_("내용"), max_length=300, blank=True)
    at = models.DateTimeField(_("시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("신고 사건 열람·처리 기록")
        verbose_name_plural = _("신고 사건 열람·처리 기록")
        ordering = ["-at", "-pk"]


class ProtectionMeasure(models.Model):
    """신고자 보호 조치 taken for a case (seed 004: 신분비밀보장 및 신분보장)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="protections")
    measure = models.CharField(_("보호 조치"), max_length=24)  # reporting.yaml: protection_measures
    description = models.CharField(_("내용"), max_length=300)
    decided_on = models.DateField(_("조치일"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("신고자 보호 조치")
        verbose_name_plural = _("신고자 보호 조치")
        ordering = ["report", "decided_on", "pk"]


class SolicitationEntry(models.Model):
    """부정청탁 등록부: what the official who was solicited reports (청탁금지법 제7조,
    시행령 제3조: who solicited, the content, date, place and method; how it was
    handled). The solicitor's identity is encrypted."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="solicitations",
                                    verbose_name=_("기관"))
    solicited_on = models.DateField(_("청탁 일시(날짜)"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    method = models.CharField(_("방법"), max_length=16)  # reporting.yaml: solicitation_methods
    solicitor_enc = models.BinaryField()  # JSON {name, affiliation, contact}
    via_third_party = models.BooleanField(_("제3자를 통한 청탁"), default=False)
    official = models.CharField(_("청탁받은 공직자(부서·직위)"), max_length=200)
    field = models.CharField(_("대상 직무 분야"), max_length=24)
    content = models.TextField(_("청탁 내용"))
    refused = models.BooleanField(_("거절 의사를 명확히 표시함"), default=True)
    repeated = models.BooleanField(_("거절 후 다시 청탁함"), default=False)
    handling = models.CharField(_("처리"), max_length=24)  # reporting.yaml: solicitation_handling
    handling_note = models.TextField(_("처리 내용"), blank=True)
    handled_on = models.DateField(_("처리일"), null=True, blank=True)
    incident = models.OneToOneField("incidents.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("부패사건 대장"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("부정청탁 등록")
        verbose_name_plural = _("부정청탁 등록부")
        ordering = ["-solicited_on", "-pk"]


class OneStrikeEntry(models.Model):
    """원스트라이크 아웃 등록부 (seed 004): money, gifts or entertainment received by an
    official; at or above INTEGRITY_ONE_STRIKE_THRESHOLD the case is flagged for
    dismissal and the disciplinary outcome is tracked against it."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="one_strike_entries",
                                    verbose_name=_("기관"))
    official_enc = models.BinaryField()  # JSON {name}
    department = models.CharField(_("부서"), max_length=100)
    position = models.CharField(_("직급·직위"), max_length=100, blank=True)
    acted_on = models.DateField(_("행위일"))
    description = models.TextField(_("내용(금품 등의 종류·제공자와의 관계)"))
    amount = models.BigIntegerField(_("금액(원)"))
    flagged = models.BooleanField(_("배제징계 대상"), default=False)  # set from the threshold when saved
    outcome = models.CharField(_("징계 결과"), max_length=24, default="pending")  # reporting.yaml
    outcome_on = models.DateField(_("징계일"), null=True, blank=True)
    outcome_reason = models.TextField(_("배제징계가 아닌 사유"), blank=True)
    incident = models.OneToOneField("incidents.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("부패사건 대장"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("원스트라이크 아웃 등록")
        verbose_name_plural = _("원스트라이크 아웃 등록부")
        ordering = ["-acted_on", "-pk"]


class CitizenAuditor(models.Model):
    """시민감사관 / 시민암행어사 of an institution: name and phone encrypted."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="citizen_auditors",
                                    verbose_name=_("기관"))
    kind = models.CharField(_("구분"), max_length=24)  # reporting.yaml: auditor_kinds
    name_enc = models.BinaryField()
    phone_enc = models.BinaryField(null=True)
    term_start = models.DateField(_("임기 시작"))
    term_end = models.DateField(_("임기 끝"))
    fields = models.JSONField(_("맡은 분야"), default=list)
    active = models.BooleanField(_("활동 중"), default=True)

    class Meta:
        verbose_name = _("시민감사관")
        verbose_name_plural = _("시민감사관")
        ordering = ["institution", "-term_start", "pk"]


class AuditorActivity(models.Model):
    auditor = models.ForeignKey(CitizenAuditor, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("활동일"))
    field = models.CharField(_("분야"), max_length=24)
    summary = models.TextField(_("활동 내용"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("시민감사관 활동 보고")
        verbose_name_plural = _("시민감사관 활동 보고")
        ordering = ["-held_on", "-pk"]


class AuditorFinding(models.Model):
    """A finding of an activity. ``plan_task_ref`` is the hook to the institution's plan
    (programme): empty until the finding has become a plan task."""

    activity = models.ForeignKey(AuditorActivity, on_delete=models.CASCADE, related_name="findings")
    field = models.CharField(_("분야"), max_length=24)
    finding = models.TextField(_("발견 사항"))
    recommendation = models.TextField(_("개선 권고"), blank=True)
    plan_task_ref = models.CharField(_("청렴 계획 과제"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("시민감사관 발견 사항")
        verbose_name_plural = _("시민감사관 발견 사항")
        ordering = ["activity", "pk"]


class PendingItem(models.Model):
    """A report or a reporter's answer waiting for release (apps/reporting/release.py):
    one blob sealed with the PII key and padded to a size class, and a random key.
    Nothing in clear that the released rows also carry: no institution, no date, no
    lookup id, not even whether it is a report or an answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sealed = models.BinaryField()


class ReleaseDay(models.Model):
    """The day the daily release last ran (one row): so that an hourly run releases
    once a day, and an item that comes after it waits for a batch or the next day."""

    day = models.DateField(primary_key=True)
