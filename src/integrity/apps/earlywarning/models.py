"""청렴 리스크 조기경보: the calendar the administrator keeps, the archive of earlier
years' incidents, the alerts (청렴주의보) with their evidence, and each delivery of an
alert to an institution's liaisons."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import Institution


class CalendarEvent(models.Model):
    """A vulnerable period (부패취약시기): 명절, 정기 인사, 채용, 선거 (kinds: settings.yaml)."""

    kind = models.CharField(_("종류"), max_length=16)
    name = models.CharField(_("이름"), max_length=100)
    start = models.DateField(_("시작일"))
    end = models.DateField(_("종료일"))
    regions = models.CharField(_("시·도"), max_length=200, blank=True,
                               help_text=_("쉼표로 구분한 시·도(재·보궐선거 등). 비우면 전국"))

    class Meta:
        verbose_name = _("조기경보 일정")
        verbose_name_plural = _("조기경보 일정")
        ordering = ["start", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name", "start"], name="one_calendar_event")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%Y-%m-%d}~{self.end:%Y-%m-%d})"

    @property
    def region_list(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.regions.split(",") if r.strip())

    @property
    def kind_name(self) -> str:
        from integrity.earlywarning.config import load_settings

        return load_settings().kinds.get(self.kind, self.kind)

    def clean(self):
        from django.core.exceptions import ValidationError

        from integrity.earlywarning.config import load_settings
        from integrity.registry.regions import REGIONS

        errors = {}
        kinds = load_settings().kinds
        if self.kind not in kinds:
            errors["kind"] = f"알 수 없는 종류입니다 (허용: {', '.join(f'{k}({n})' for k, n in kinds.items())})"
        if self.start and self.end and self.end < self.start:
            errors["end"] = "종료일이 시작일보다 앞입니다"
        if unknown := [r for r in self.region_list if r not in REGIONS]:
            errors["regions"] = f"알 수 없는 시·도: {', '.join(unknown)} (쓸 수 있는 값: {', '.join(REGIONS)})"
        if errors:
            raise ValidationError(errors)


class PastIncident(models.Model):
    """An incident of an earlier year kept for the model (사건 이력): imported or generated,
    with the institution as it was (code, type, 시·도), since registries change by year."""

    occurred_on = models.DateField(_("발생일"), db_index=True)
    field = models.CharField(_("분야"), max_length=16)
    act_type = models.CharField(_("부패행위 유형"), max_length=40, blank=True)
    institution_code = models.CharField(_("기관코드"), max_length=32)
    institution_name = models.CharField(_("기관명"), max_length=200)
    type_code = models.CharField(_("기관유형"), max_length=64)
    family = models.CharField(_("기관 유형군"), max_length=32)
    region = models.CharField(_("시·도"), max_length=20, blank=True)
    source = models.CharField(_("출처"), max_length=40, default="generated")

    class Meta:
        verbose_name = _("지난 부패사건(이력)")
        verbose_name_plural = _("지난 부패사건(이력)")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.institution_name} {self.act_type} ({self.occurred_on:%Y-%m-%d})"


class Alert(models.Model):
    """A 청렴주의보 for one month, 시·도, type family and field, with its evidence. Issuing
    the month again replaces it (one per month and cell)."""

    month = models.DateField(_("경보 달"), db_index=True)  # the first day of the month
    region = models.CharField(_("시·도"), max_length=20, blank=True)  # "" = national bodies (전국)
    family = models.CharField(_("기관 유형군"), max_length=32)
    field = models.CharField(_("분야"), max_length=16)
    expected = models.FloatField(_("예측 건수"))
    baseline = models.FloatField(_("기준 건수"))
    uplift = models.FloatField(_("배율"))
    lower = models.FloatField(_("배율 구간 하한"))
    upper = models.FloatField(_("배율 구간 상한"))
    interval_level = models.FloatField(_("구간 수준"))
    factor = models.FloatField(_("경보 기준 배율"))
    history = models.PositiveIntegerField(_("학습 기간 사건 수"))
    kinds = models.JSONField(_("해당 일정 종류"), default=list)  # [[kind, share of the month's days], ...]
    events = models.JSONField(_("해당 일정"), default=list)  # names of the calendar events in the month
    evidence = models.JSONField(_("근거 사건"), default=list)  # [{day, institution, act_type, ref}, ...]
    series = models.JSONField(_("월별 사건 수"), default=list)  # [["2025-01", n], ...] of the cell
    effects = models.JSONField(_("일정별 배율"), default=list)  # [[kind, ratio, lower, upper], ...] of the field
    issued_at = models.DateTimeField(_("발령 시각"), auto_now=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("발령한 사람"))

    class Meta:
        verbose_name = _("청렴주의보")
        verbose_name_plural = _("청렴주의보")
        ordering = ["-month", "-uplift", "region", "family", "field"]
        constraints = [models.UniqueConstraint(fields=["month", "region", "family", "field"], name="one_alert_per_cell")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region or '전국'} {self.family} {self.field}"


class Channel(models.TextChoices):
    EMAIL = "email", _("전자우편")
    SMS = "sms", _("문자")


class Delivery(models.Model):
    """One alert sent to one institution's liaisons on one channel: at most once (the row
    is claimed before the message goes out), so sending again skips what went."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="warning_deliveries",
                                    verbose_name=_("기관"))
    channel = models.CharField(_("수단"), max_length=8, choices=Channel.choices)
    recipients = models.PositiveIntegerField(_("받는 사람 수"), default=0)
    sent_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("보낸 사람"))

    class Meta:
        verbose_name = _("청렴주의보 발송")
        verbose_name_plural = _("청렴주의보 발송")
        ordering = ["-sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["alert", "institution", "channel"], name="one_delivery_per_channel")]

    def __str__(self) -> str:
        return f"{self.alert} → {self.institution.name} ({self.channel})"
