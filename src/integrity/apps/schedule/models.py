"""A year's phases, each form's due date, extensions granted to an institution, and
the reminders sent. Phone numbers of liaisons are stored only encrypted (integrity.pii)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import AssessmentYear, Institution


class PhaseKind(models.TextChoices):
    ROSTERS = "rosters", _("명부 등 자료 제출")
    FIELDWORK = "fieldwork", _("청렴도 측정(설문조사)")
    ONSITE = "onsite", _("현장실사·점검")
    INCIDENTS = "incidents", _("부패사건 확인")
    SCORING = "scoring", _("결과 분석")
    PUBLICATION = "publication", _("결과 발표")


class Phase(models.Model):
    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="phases", verbose_name=_("측정 연도"))
    kind = models.CharField(_("단계"), max_length=16, choices=PhaseKind.choices)
    starts = models.DateField(_("시작일"))
    ends = models.DateField(_("종료일"))
    note = models.CharField(_("비고"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("일정 단계")
        verbose_name_plural = _("일정 단계")
        ordering = ["year", "starts", "ends"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_phase_kind_per_year"),
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="phase_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


class FormDeadline(models.Model):
    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="form_deadlines", verbose_name=_("측정 연도"))
    form_code = models.CharField(_("서식"), max_length=40)
    due = models.DateField(_("제출 기한"))

    class Meta:
        verbose_name = _("서식별 제출 기한")
        verbose_name_plural = _("서식별 제출 기한")
        ordering = ["year", "due", "form_code"]
        constraints = [models.UniqueConstraint(fields=["year", "form_code"], name="one_due_date_per_form")]

    def __str__(self) -> str:
        return f"{self.year} {self.form_code} {self.due:%Y-%m-%d}"


class Extension(models.Model):
    """An administrator's extension of one form's due date for one institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("기관"))
    form_code = models.CharField(_("서식"), max_length=40)
    until = models.DateField(_("연장 기한"))
    reason = models.CharField(_("사유"), max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("승인자"))
    granted_at = models.DateTimeField(_("승인 시각"), auto_now=True)

    class Meta:
        verbose_name = _("제출 기한 연장")
        verbose_name_plural = _("제출 기한 연장")
        ordering = ["-granted_at"]
        constraints = [models.UniqueConstraint(fields=["institution", "form_code"], name="one_extension_per_form")]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.form_code} ~{self.until:%Y-%m-%d}"


class Channel(models.TextChoices):
    EMAIL = "email", _("전자우편")
    SMS = "sms", _("문자")


class Reminder(models.Model):
    """One reminder sent on one channel about one form of one institution. Automatic
    ones (stage ``before:N`` or ``overdue``) are unique per due date: never sent twice."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("기관"))
    form_code = models.CharField(_("서식"), max_length=40)
    due = models.DateField(_("제출 기한"))
    stage = models.CharField(_("구분"), max_length=16)  # manual, before:N, overdue
    channel = models.CharField(_("수단"), max_length=8, choices=Channel.choices)
    recipients = models.PositiveIntegerField(_("받는 사람 수"), default=0)
    sent_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True, db_index=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("보낸 사람"))

    class Meta:
        verbose_name = _("제출 독촉")
        verbose_name_plural = _("제출 독촉")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["institution", "form_code", "due", "stage", "channel"],
                                               condition=~Q(stage="manual"), name="automatic_reminder_once")]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.form_code} {self.stage} {self.channel}"


class LiaisonPhone(models.Model):
    """The mobile number a liaison is reminded on (E.164, encrypted)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_phone")
    phone_enc = models.BinaryField()

    class Meta:
        verbose_name = _("담당자 휴대전화")
        verbose_name_plural = _("담당자 휴대전화")
