"""Residents and parents as policy customers: each body's population frame (strata
counts) and panel (people with contact data, encrypted like roster entries), and
the draws made from them.

A draw is stored as the sampling app stores every draw (``sampling.Draw`` over a
roster upload), so that fieldwork — invitations, reminders, phone calls, withdrawal
on a redraw — works on it unchanged: the drawn panel members are copied, still
encrypted, into the entries of a roster upload of the body whose form code is the
group's (``panel_resident``, ``panel_parent``), which no liaison submits or sees.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import Institution
from integrity.apps.sampling.models import Draw


class FrameKind(models.TextChoices):
    FRAME = "population_frame", _("모집단(층별 인구)")
    PANEL = "panel", _("패널(조사 후보자)")


class ImportStatus(models.TextChoices):
    ACCEPTED = "accepted", _("접수")
    REJECTED = "rejected", _("반려")
    SUPERSEDED = "superseded", _("새 파일로 대체")


class FrameImport(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="frame_imports")
    kind = models.CharField(_("파일 종류"), max_length=20, choices=FrameKind.choices)
    group = models.CharField(_("응답자 구분"), max_length=20)
    filename = models.CharField(_("파일 이름"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("올린 시각"), auto_now_add=True)
    status = models.CharField(_("상태"), max_length=12, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("행 수"), default=0)
    population = models.PositiveBigIntegerField(_("인구 합계"), default=0)
    problems = models.JSONField(_("오류 목록"), default=list, blank=True)  # never a personal value (see rosters.validate)
    notices = models.JSONField(_("알림"), default=list, blank=True)

    class Meta:
        verbose_name = _("모집단·패널 파일")
        verbose_name_plural = _("모집단·패널 파일")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "kind"], condition=models.Q(status="accepted"),
                                    name="one_accepted_frame_file_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.institution.name} {self.get_kind_display()} #{self.pk}"


class Stratum(models.Model):
    frame = models.ForeignKey(FrameImport, on_delete=models.CASCADE, related_name="strata")
    district = models.CharField(_("시·군·구"), max_length=50)
    age_band = models.CharField(_("연령대"), max_length=20)
    sex = models.CharField(_("성별"), max_length=10)
    population = models.PositiveBigIntegerField(_("인구수"))
    row_number = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["frame", "district", "age_band", "sex"], name="stratum_once_per_frame")]


class PanelMember(models.Model):
    panel = models.ForeignKey(FrameImport, on_delete=models.CASCADE, related_name="members")
    row_number = models.PositiveIntegerField()
    district = models.CharField(max_length=50)
    age_band = models.CharField(max_length=20)
    sex = models.CharField(max_length=10)
    name_enc = models.BinaryField(null=True)
    phone_enc = models.BinaryField(null=True)
    email_enc = models.BinaryField(null=True)

    class Meta:
        indexes = [models.Index(fields=["panel", "row_number"])]


class PanelDraw(models.Model):
    """What a draw of residents or parents was made from (the draw holds seed and allocation)."""

    draw = models.OneToOneField(Draw, on_delete=models.PROTECT, related_name="panel_draw")
    frame = models.ForeignKey(FrameImport, on_delete=models.PROTECT, related_name="+")
    panel = models.ForeignKey(FrameImport, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20)
    invited = models.PositiveIntegerField(_("초대"), default=0)
