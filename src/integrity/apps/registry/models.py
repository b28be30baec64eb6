"""The year's registry: institutions, their local offices and target tasks, and the
commission's officers."""

from functools import cached_property

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext_lazy as _

from integrity.model import load_model


class AssessmentYear(models.Model):
    year = models.PositiveSmallIntegerField(_("측정 연도"), unique=True)
    model_name = models.CharField(_("측정모형"), max_length=200, help_text=_("내장 모형의 연도(예: 2017) 또는 YAML 경로"))
    open_to_liaisons = models.BooleanField(_("기관 담당자에게 공개"), default=False)

    class Meta:
        verbose_name = _("측정 연도")
        verbose_name_plural = _("측정 연도")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}년"

    @cached_property
    def model(self):
        return load_model(self.model_name)


class Officer(models.Model):
    """The commission's officer responsible for a group of institutions (별첨 2)."""

    name = models.CharField(_("성명"), max_length=50)
    title = models.CharField(_("직위"), max_length=50, blank=True)
    phone = models.CharField(_("전화"), max_length=30, blank=True)
    email = models.EmailField(_("전자우편"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="officer", verbose_name=_("계정"))

    class Meta:
        verbose_name = _("권익위 담당자")
        verbose_name_plural = _("권익위 담당자")

    def __str__(self) -> str:
        return f"{self.name} {self.title}".strip()


class Institution(models.Model):
    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="institutions", verbose_name=_("측정 연도"))
    code = models.CharField(_("기관코드"), max_length=32)
    name = models.CharField(_("기관명"), max_length=200)
    type_code = models.CharField(_("기관유형"), max_length=64)
    staff = models.PositiveIntegerField(_("정원"))
    region = models.CharField(_("시·도"), max_length=20, blank=True, help_text=_("비우면 상급기관의 시·도, 상급기관도 없으면 전국"))
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervised",
                                   verbose_name=_("상급기관"))
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="institutions",
                                verbose_name=_("권익위 담당자"))

    class Meta:
        verbose_name = _("측정대상기관")
        verbose_name_plural = _("측정대상기관")
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="one_code_per_year")]
        ordering = ["year", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def type(self):
        return self.year.model.institution_types[self.type_code]

    @property
    def type_name(self) -> str:
        """The type's name in the page's language (the model file's Korean by default)."""
        return self.type.title(get_language())

    @property
    def family(self) -> str:
        return self.type.family

    @property
    def surveys(self) -> tuple[str, ...]:
        return self.year.model.required_surveys(self.type_code)


class LocalOffice(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="offices")
    code = models.CharField(_("관서코드"), max_length=32)
    name = models.CharField(_("관서명"), max_length=200)

    class Meta:
        verbose_name = _("지방관서")
        verbose_name_plural = _("지방관서")
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="one_office_code_per_body")]

    def __str__(self) -> str:
        return self.name


class TargetTask(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("업무코드"), max_length=32)
    name = models.CharField(_("측정대상업무"), max_length=200)
    quota = models.PositiveIntegerField(_("조사규모"), validators=[MinValueValidator(1)])
    census = models.BooleanField(_("전수조사"), default=False, help_text=_("처리 건수가 적어 명부 전체를 조사합니다(10배 규칙 없음)"))
    sublisting_agreed = models.BooleanField(_("부분 제출 협의"), default=False,
                                            help_text=_("민원인 2,000명 초과로 홀수월·짝수월 등 일부만 제출하기로 협의함"))

    class Meta:
        verbose_name = _("측정대상업무")
        verbose_name_plural = _("측정대상업무")
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="one_task_code_per_body")]
        ordering = ["institution", "code"]

    def __str__(self) -> str:
        return self.name


class MeasurementRotation(models.Model):
    """Whether a body measured within its parent (교육지원청 within 시·도교육청) is measured
    this year, as the rotation rule of the model file chose (seed 002, I.5). Stored per
    year so that a later change of the registry never rewrites an earlier year's choice."""

    class Rule(models.TextChoices):
        ALL_BELOW = "all_below", _("전수 측정(관내 수가 적음)")
        MIDDLE_ALL = "middle_all", _("전수 측정(관내 수가 중간)")
        CYCLE = "cycle", _("순환 측정")

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="rotation",
                                       verbose_name=_("교육지원청"))
    parent = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="rotation_parts",
                               verbose_name=_("상급 측정기관"))
    measured = models.BooleanField(_("올해 측정"))
    rule = models.CharField(_("적용 규칙"), max_length=12, choices=Rule.choices)
    cycle_group = models.PositiveSmallIntegerField(_("순환 조"), null=True, blank=True)
    cycle_position = models.PositiveSmallIntegerField(_("주기 내 연차"))
    cycle_years = models.PositiveSmallIntegerField(_("주기(년)"))
    set_at = models.DateTimeField(_("정한 시각"), auto_now=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("정한 사람"))

    class Meta:
        verbose_name = _("교육지원청 순환 측정")
        verbose_name_plural = _("교육지원청 순환 측정")
        ordering = ["parent__code", "institution__code"]

    def __str__(self) -> str:
        return f"{self.institution} {'측정' if self.measured else '제외'}"
