"""A scoring run and its per-institution results, stored as the engine gave them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.jobs.lease import Leased


class PublishedRunError(Exception):
    """A published run, or anything in it, was about to change."""


class GuardedQuerySet(models.QuerySet):
    """Bulk updates and deletes cannot reach published runs either."""

    run_field = "run__published_at__isnull"

    def _guard(self):
        if self.filter(**{self.run_field: False}).exists():
            raise PublishedRunError("공표된 채점 결과는 바꾸거나 지울 수 없습니다")

    def update(self, **kwargs):
        self._guard()
        return super().update(**kwargs)

    def delete(self):
        self._guard()
        return super().delete()


class RunQuerySet(GuardedQuerySet):
    run_field = "published_at__isnull"


class ScoringRun(models.Model):
    year = models.PositiveSmallIntegerField(_("측정 연도"))
    model_version = models.CharField(_("측정모형 버전"), max_length=32)
    input_fingerprint = models.CharField(_("입력 지문(SHA-256)"), max_length=64)
    parameters = models.JSONField(_("실행 조건"), default=dict)
    created_at = models.DateTimeField(_("실행 시각"), auto_now_add=True)
    published_at = models.DateTimeField(_("공표 시각"), null=True, blank=True)
    input_hashes = models.JSONField(_("입력별 지문"), default=dict)
    # The model file's text as scored: reports of this run read it, whatever the shipped
    # file of that year says later (a run made before this was kept reads the shipped one).
    model_text = models.TextField(_("측정모형 원문"), blank=True, editable=False)

    objects = RunQuerySet.as_manager()

    @property
    def model(self):
        from integrity.model import load_model, load_model_text

        if self.model_text:
            return load_model_text(self.model_text, f"채점 #{self.pk}의 측정모형")
        return load_model(str(self.year))

    class Meta:
        verbose_name = _("채점 실행")
        verbose_name_plural = _("채점 실행")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=models.Q(published_at__isnull=False), name="one_published_run_per_year"),
        ]

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise PublishedRunError("공표된 채점 결과는 바꿀 수 없습니다")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published_at:
            raise PublishedRunError("공표된 채점 결과는 지울 수 없습니다")
        return super().delete(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.year}년 채점 #{self.pk} ({self.model_version})"


class InstitutionResult(models.Model):
    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="results")
    institution_code = models.CharField(_("기관코드"), max_length=32)
    name = models.CharField(_("기관명"), max_length=200)
    type_code = models.CharField(_("기관유형 코드"), max_length=64)
    type_name = models.CharField(_("기관유형"), max_length=100)
    status = models.CharField(_("상태"), max_length=16)
    reason = models.TextField(_("사유"), blank=True)
    overall = models.FloatField(_("종합청렴도"), null=True)
    overall_published = models.FloatField(_("종합청렴도(공표)"), null=True)
    grade = models.PositiveSmallIntegerField(_("등급"), null=True)
    rank_in_type = models.PositiveIntegerField(_("유형 내 순위"), null=True)
    scores = models.JSONField(_("설문·지수·영역 점수"), default=dict)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name = _("기관 결과")
        verbose_name_plural = _("기관 결과")
        constraints = [models.UniqueConstraint(fields=["run", "institution_code"], name="one_result_per_body_per_run")]
        indexes = [models.Index(fields=["run", "type_code", "rank_in_type"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution_code})"

    def save(self, *args, **kwargs):
        if self.run.published_at and self.pk:
            raise PublishedRunError("공표된 채점 결과는 바꿀 수 없습니다")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.run.published_at:
            raise PublishedRunError("공표된 채점 결과는 지울 수 없습니다")
        return super().delete(*args, **kwargs)


class UnitResult(models.Model):
    """Per-task and per-office survey scores of a run (breakdown)."""

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="units")
    institution_code = models.CharField(max_length=32)
    unit_kind = models.CharField(max_length=8)
    unit = models.CharField(max_length=100)
    survey = models.CharField(max_length=20)
    responses = models.PositiveIntegerField()
    status = models.CharField(max_length=20)
    score = models.FloatField(null=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["run", "institution_code"])]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("대기")
    RUNNING = "running", _("채점 중")
    DONE = "done", _("완료")
    FAILED = "failed", _("실패")


class ScoringJob(Leased):
    """A scoring run asked for from the runs page, watched until it is done or failed."""

    year = models.ForeignKey("registry.AssessmentYear", on_delete=models.CASCADE, related_name="+", verbose_name=_("측정 연도"))
    status = models.CharField(_("상태"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(_("진행 단계"), max_length=100, blank=True)
    message = models.CharField(_("알림"), max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True)
    finished_at = models.DateTimeField(_("끝난 시각"), null=True, blank=True)
    run = models.ForeignKey(ScoringRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("채점 작업")
        verbose_name_plural = _("채점 작업")
        ordering = ["-created_at", "-pk"]

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
