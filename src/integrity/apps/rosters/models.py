"""Roster uploads and their entries. Names, phones and e-mails are stored only
encrypted (integrity.pii); duplicates are found through keyed hashes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.jobs.lease import Leased
from integrity.apps.registry.models import Institution, TargetTask


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("대기")
    RUNNING = "running", _("점검 중")
    ACCEPTED = "accepted", _("접수")
    REJECTED = "rejected", _("반려")
    SUPERSEDED = "superseded", _("새 명부로 대체")


class RosterUpload(Leased):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="roster_uploads")
    form_code = models.CharField(_("서식"), max_length=40)
    task = models.ForeignKey(TargetTask, null=True, blank=True, on_delete=models.CASCADE, related_name="roster_uploads")
    sublisting = models.CharField(_("부분 제출"), max_length=20, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("올린 시각"), auto_now_add=True)
    filename = models.CharField(_("파일 이름"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(_("상태"), max_length=12, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=100)
    stage = models.CharField(_("진행 단계"), max_length=100, blank=True)
    row_count = models.PositiveIntegerField(_("행 수"), default=0)
    excluded_count = models.PositiveIntegerField(_("제외"), default=0)
    problem_count = models.PositiveIntegerField(_("오류"), default=0)
    problems = models.JSONField(_("오류 목록"), default=list, blank=True)  # no personal data: see rosters.validate
    notices = models.JSONField(_("알림"), default=list, blank=True)
    # The decrypted workbook, encrypted with the PII key, only until the check has run.
    payload = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = _("명부 업로드")
        verbose_name_plural = _("명부 업로드")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.form_code} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (UploadStatus.ACCEPTED, UploadStatus.REJECTED, UploadStatus.SUPERSEDED)

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 100


class RosterEntry(models.Model):
    upload = models.ForeignKey(RosterUpload, on_delete=models.CASCADE, related_name="entries")
    # Indexed by the (institution, form_code, task) index below, which leads with it.
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="roster_entries", db_index=False)
    task = models.ForeignKey(TargetTask, null=True, blank=True, on_delete=models.CASCADE, related_name="roster_entries")
    form_code = models.CharField(max_length=40)
    row_number = models.PositiveIntegerField()
    name_enc = models.BinaryField(null=True)
    phone_enc = models.BinaryField(null=True)
    email_enc = models.BinaryField(null=True)
    # Duplicates are found among one institution's entries, read by the index below:
    # indexes of their own would only slow every insert.
    phone_key = models.CharField(max_length=64, null=True)
    email_key = models.CharField(max_length=64, null=True)
    attributes = models.JSONField(default=dict)  # the form's other columns, normalised
    excluded = models.BooleanField(default=False)
    exclusion_reason = models.CharField(max_length=100, blank=True)
    flag = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("명부 항목")
        verbose_name_plural = _("명부 항목")
        indexes = [models.Index(fields=["institution", "form_code", "task"])]
