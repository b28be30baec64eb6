"""Who changed what, when: rosters, samples, incidents, scores, the registry."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("시각"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("수행자"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("행위"), max_length=64, db_index=True)
    target_type = models.CharField(_("대상 종류"), max_length=64)
    target_id = models.CharField(_("대상 식별자"), max_length=64, blank=True)
    summary = models.CharField(_("요약"), max_length=300)
    details = models.JSONField(_("세부 내용"), default=dict, blank=True)

    class Meta:
        verbose_name = _("감사 기록")
        verbose_name_plural = _("감사 기록")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
