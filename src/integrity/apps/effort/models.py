"""청렴노력도 per institution: its performance report per indicator (실적보고서), the
submission as a whole (draft -> submitted, with a receipt), and the panel's score per
panel-scored indicator. The indicators themselves are the model file's (``effort:``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import Institution


class Status(models.TextChoices):
    DRAFT = "draft", _("작성 중")
    SUBMITTED = "submitted", _("제출")


class Submission(models.Model):
    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="effort_submission",
                                       verbose_name=_("기관"))
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    receipt = models.CharField(_("접수번호"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("제출 시각"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("제출자"))

    class Meta:
        verbose_name = _("청렴노력도 실적 제출")
        verbose_name_plural = _("청렴노력도 실적 제출")

    def __str__(self) -> str:
        return f"{self.institution} {self.get_status_display()}"


class Report(models.Model):
    """What the institution reports for one indicator: a figure and/or a narrative."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_reports",
                                    verbose_name=_("기관"))
    indicator = models.CharField(_("지표"), max_length=32)
    figure = models.FloatField(_("실적 수치"), null=True, blank=True)
    narrative = models.TextField(_("실적 내용"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(_("수정 시각"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("수정자"))

    class Meta:
        verbose_name = _("청렴노력도 실적")
        verbose_name_plural = _("청렴노력도 실적")
        constraints = [models.UniqueConstraint(fields=["institution", "indicator"], name="effort_one_report_per_indicator")]
        ordering = ["institution", "indicator"]


class Score(models.Model):
    """The panel's decision on one qualitative (rubric level) or survey (0..100) indicator."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_scores",
                                    verbose_name=_("기관"))
    indicator = models.CharField(_("지표"), max_length=32)
    level = models.CharField(_("평가 수준"), max_length=16, blank=True)
    value = models.FloatField(_("설문 점수"), null=True, blank=True)
    reason = models.TextField(_("평가 사유"), max_length=2000)
    scored_at = models.DateTimeField(_("평가 시각"), auto_now=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("평가자"))

    class Meta:
        verbose_name = _("청렴노력도 평가")
        verbose_name_plural = _("청렴노력도 평가")
        constraints = [models.UniqueConstraint(fields=["institution", "indicator"], name="effort_one_score_per_indicator")]
        ordering = ["institution", "indicator"]


class Deadline(models.Model):
    """An administrator's submission deadline for one year, instead of the model file's
    ``effort.submission_deadline`` (a year run later than its model's calendar, an extension)."""

    year = models.OneToOneField("registry.AssessmentYear", on_delete=models.CASCADE, related_name="effort_deadline",
                                verbose_name=_("측정 연도"))
    submission_deadline = models.DateField(_("실적 제출 기한"))
    set_at = models.DateTimeField(_("정한 시각"), auto_now=True)

    class Meta:
        verbose_name = _("청렴노력도 제출 기한")
        verbose_name_plural = _("청렴노력도 제출 기한")
