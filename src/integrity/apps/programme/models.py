"""An institution's own programme: targets and the yearly plan (strategies → core
tasks → sub-tasks) with progress reports. Keyed by the registry's institution code and
the year, not by a registry row: the same body keeps its code across years, and its
integrity team works on every year."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.programme import plan as rules


class TargetKind(models.TextChoices):
    GRADE = "grade", _("등급")
    SCORE = "score", _("점수")


class Target(models.Model):
    institution_code = models.CharField(_("기관코드"), max_length=32)
    year = models.PositiveSmallIntegerField(_("연도"))
    measure = models.CharField(_("지표"), max_length=80)  # targets.Measure.code, from the model file
    kind = models.CharField(_("목표 종류"), max_length=8, choices=TargetKind.choices)
    value = models.FloatField(_("목표값"))
    note = models.CharField(_("메모"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("고친 때"), auto_now=True)

    class Meta:
        verbose_name = _("청렴도 목표")
        verbose_name_plural = _("청렴도 목표")
        ordering = ["institution_code", "year", "pk"]
        constraints = [models.UniqueConstraint(fields=["institution_code", "year", "measure", "kind"], name="one_target_per_measure")]

    def __str__(self) -> str:
        return f"{self.institution_code} {self.year} {self.measure} {self.kind} {self.value:g}"


class Strategy(models.Model):
    institution_code = models.CharField(_("기관코드"), max_length=32, db_index=True)
    year = models.PositiveSmallIntegerField(_("연도"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    title = models.CharField(_("추진 전략"), max_length=200)

    class Meta:
        verbose_name = _("추진 전략")
        verbose_name_plural = _("추진 전략")
        ordering = ["institution_code", "year", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class CoreTask(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="core_tasks", verbose_name=_("추진 전략"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    title = models.CharField(_("핵심과제"), max_length=200)

    class Meta:
        verbose_name = _("핵심과제")
        verbose_name_plural = _("핵심과제")
        ordering = ["strategy", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    PLANNED = rules.PLANNED, _("계획")
    IN_PROGRESS = rules.IN_PROGRESS, _("추진 중")
    DONE = rules.DONE, _("완료")
    DROPPED = rules.DROPPED, _("중단")


class SubTask(models.Model):
    core_task = models.ForeignKey(CoreTask, on_delete=models.CASCADE, related_name="sub_tasks", verbose_name=_("핵심과제"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    title = models.CharField(_("세부과제"), max_length=200)
    description = models.TextField(_("내용"), blank=True)
    owner = models.CharField(_("담당 부서"), max_length=100, blank=True)
    field = models.CharField(_("분야"), max_length=100, blank=True)  # e.g. 인사, 계약·공사 (seed 004)
    deadline = models.DateField(_("기한"), null=True, blank=True)
    kpi_name = models.CharField(_("성과지표"), max_length=200, blank=True)
    kpi_target = models.FloatField(_("지표 목표값"), null=True, blank=True)
    kpi_unit = models.CharField(_("단위"), max_length=20, blank=True)
    status = models.CharField(_("상태"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED)
    source = models.CharField(_("출처"), max_length=200, blank=True)  # 진단 문항, 시민감사관 지적 …
    progress = models.PositiveSmallIntegerField(_("진척률(%)"), default=0, validators=[MaxValueValidator(100)])  # latest report's

    class Meta:
        verbose_name = _("세부과제")
        verbose_name_plural = _("세부과제")
        ordering = ["core_task", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def overdue(self, today) -> bool:
        return rules.is_overdue(self.deadline, self.status, self.progress, today)


class ProgressReport(models.Model):
    """A progress report with its optional evidence file, stored encrypted like the
    incidents' evidence (the file under INTEGRITY_EVIDENCE_DIR, its name encrypted)."""

    sub_task = models.ForeignKey(SubTask, on_delete=models.CASCADE, related_name="reports", verbose_name=_("세부과제"))
    reported_on = models.DateField(_("보고일"))
    progress = models.PositiveSmallIntegerField(_("진척률(%)"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    narrative = models.TextField(_("추진 내용"))
    kpi_value = models.FloatField(_("지표 실적"), null=True, blank=True)
    evidence_stored = models.CharField(max_length=64, blank=True)
    evidence_name_enc = models.BinaryField(null=True)
    evidence_type = models.CharField(_("파일 형식"), max_length=8, blank=True)
    evidence_size = models.PositiveIntegerField(_("크기(바이트)"), null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("추진 실적")
        verbose_name_plural = _("추진 실적")
        ordering = ["sub_task", "-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.sub_task} {self.reported_on} {self.progress}%"
