"""Draws of respondents from accepted rosters. Each records its seed, so the same
draw can be recomputed and checked; a drawn sample is replaced only explicitly,
with a reason, and both stay on record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.rosters.models import RosterEntry, RosterUpload


class Draw(models.Model):
    upload = models.ForeignKey(RosterUpload, on_delete=models.PROTECT, related_name="draws")
    method = models.CharField(_("방법"), max_length=40)
    seed = models.BigIntegerField(_("난수 씨앗"))
    parameters = models.JSONField(_("조건"), default=dict)
    wanted = models.PositiveIntegerField(_("추출 목표"))
    drawn = models.PositiveIntegerField(_("추출 인원"))
    eligible = models.PositiveIntegerField(_("대상 인원"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("추출 시각"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("대체 시각"), null=True, blank=True)
    superseded_reason = models.CharField(_("다시 추출한 사유"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("표본 추출")
        verbose_name_plural = _("표본 추출")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["upload"], condition=models.Q(superseded_at__isnull=True),
                                    name="one_active_draw_per_roster"),
        ]

    def __str__(self) -> str:
        return f"{self.upload} 추출 #{self.pk}"


class DrawMember(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="members")
    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="+")
    contact_order = models.PositiveIntegerField(_("연락 순서"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draw", "entry"], name="entry_once_per_draw")]
        indexes = [models.Index(fields=["draw", "contact_order"])]
