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


# The evaluation panel (평가단): integrity.effort.panels holds its rules.


class EvaluatorKind(models.TextChoices):
    INTERNAL = "internal", _("내부 평가위원")
    EXTERNAL = "external", _("외부 평가위원")


class Panel(models.Model):
    """Evaluators who score the institutions of some types in one year."""

    year = models.ForeignKey("registry.AssessmentYear", on_delete=models.CASCADE, related_name="effort_panels",
                             verbose_name=_("측정 연도"))
    name = models.CharField(_("평가단 이름"), max_length=100)
    type_codes = models.JSONField(_("기관유형"), default=list)
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("평가단")
        verbose_name_plural = _("평가단")
        ordering = ["year", "name"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members", verbose_name=_("평가단"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="effort_panels",
                             verbose_name=_("평가위원"))
    kind = models.CharField(_("구분"), max_length=10, choices=EvaluatorKind.choices)
    chair = models.BooleanField(_("평가단장"), default=False)

    class Meta:
        verbose_name = _("평가위원")
        verbose_name_plural = _("평가위원")
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="effort_one_membership_per_panel")]
        ordering = ["panel", "-chair", "user__username"]


class Tie(models.Model):
    """An evaluator's declared tie with an institution (이해충돌 신고): they never score it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="effort_ties",
                             verbose_name=_("평가위원"))
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_ties",
                                    verbose_name=_("기관"))
    reason = models.CharField(_("이해관계 사유"), max_length=500)
    declared_at = models.DateTimeField(_("신고 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("이해충돌 신고")
        verbose_name_plural = _("이해충돌 신고")
        constraints = [models.UniqueConstraint(fields=["user", "institution"], name="effort_one_tie_per_pair")]


class Assignment(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("평가단"))
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_assignments",
                                    verbose_name=_("기관"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="effort_assignments",
                             verbose_name=_("평가위원"))
    assigned_at = models.DateTimeField(_("배정 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("평가 배정")
        verbose_name_plural = _("평가 배정")
        constraints = [models.UniqueConstraint(fields=["institution", "user"], name="effort_one_assignment_per_pair")]


class EvaluatorScore(models.Model):
    """One evaluator's own level on one qualitative indicator, given independently of the
    other evaluator's; the decided result is the indicator's ``Score``."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_evaluator_scores",
                                    verbose_name=_("기관"))
    indicator = models.CharField(_("지표"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="effort_evaluator_scores",
                             verbose_name=_("평가위원"))
    level = models.CharField(_("평가 수준"), max_length=16)
    reason = models.TextField(_("평가 사유"), max_length=2000)
    scored_at = models.DateTimeField(_("평가 시각"), auto_now=True)

    class Meta:
        verbose_name = _("평가위원 평가")
        verbose_name_plural = _("평가위원 평가")
        constraints = [models.UniqueConstraint(fields=["institution", "indicator", "user"],
                                               name="effort_one_evaluator_score")]


class SiteNote(models.Model):
    """An on-site verification note (현장 확인) on an institution, or one of its indicators."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_site_notes",
                                    verbose_name=_("기관"))
    indicator = models.CharField(_("지표"), max_length=32, blank=True)
    visited_on = models.DateField(_("확인 일자"))
    text = models.TextField(_("확인 내용"), max_length=3000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("작성자"))
    written_at = models.DateTimeField(_("작성 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("현장 확인 기록")
        verbose_name_plural = _("현장 확인 기록")
        ordering = ["-visited_on", "-pk"]


class EvidenceFile(models.Model):
    """An evidence file (증빙자료) behind one indicator's report, or behind an objection.
    The file lives encrypted under INTEGRITY_EFFORT_EVIDENCE_DIR with a random name
    (integrity.web.encrypted_files); its original name, which may name a person, is
    encrypted too."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_evidence",
                                    verbose_name=_("기관"))
    indicator = models.CharField(_("지표"), max_length=32)
    objection = models.ForeignKey("Objection", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence",
                                  verbose_name=_("이의신청"))
    file_type = models.CharField(_("파일 형식"), max_length=8)
    name_enc = models.BinaryField()
    size = models.PositiveIntegerField(_("크기(바이트)"))
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("올린 사람"))
    uploaded_at = models.DateTimeField(_("올린 때"), auto_now_add=True)

    class Meta:
        verbose_name = _("청렴노력도 증빙자료")
        verbose_name_plural = _("청렴노력도 증빙자료")
        ordering = ["institution", "indicator", "pk"]


class Release(models.Model):
    """Preliminary 청렴노력도 scores released to the institutions of a year (잠정 점수 통보),
    opening the objection window until ``objection_deadline``."""

    year = models.OneToOneField("registry.AssessmentYear", on_delete=models.CASCADE, related_name="effort_release",
                                verbose_name=_("측정 연도"))
    released_at = models.DateTimeField(_("통보 시각"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("통보한 사람"))
    objection_deadline = models.DateField(_("이의신청 기한"))

    class Meta:
        verbose_name = _("청렴노력도 잠정 점수 통보")
        verbose_name_plural = _("청렴노력도 잠정 점수 통보")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("검토 중")
    ACCEPTED = "accepted", _("인용")
    REJECTED = "rejected", _("기각")


class Objection(models.Model):
    """An institution's objection (이의신청) to one indicator's preliminary score, and the
    panel's decision with its reason. One per indicator and institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="effort_objections",
                                    verbose_name=_("기관"))
    indicator = models.CharField(_("지표"), max_length=32)
    reason = models.TextField(_("신청 사유"), max_length=3000)
    points_before = models.FloatField(_("신청 때 점수"), null=True, blank=True)
    filed_at = models.DateTimeField(_("신청 시각"), auto_now_add=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("신청자"))
    status = models.CharField(_("처리 결과"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.PENDING)
    decision_reason = models.TextField(_("결정 사유"), blank=True, max_length=3000)
    points_after = models.FloatField(_("결정 후 점수"), null=True, blank=True)
    decided_at = models.DateTimeField(_("결정 시각"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("결정한 사람"))

    class Meta:
        verbose_name = _("청렴노력도 이의신청")
        verbose_name_plural = _("청렴노력도 이의신청")
        constraints = [models.UniqueConstraint(fields=["institution", "indicator"], name="effort_one_objection_per_indicator")]
        ordering = ["-filed_at", "-pk"]
