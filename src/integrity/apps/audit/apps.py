from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "integrity.apps.audit"
    label = "audit"
    verbose_name = _("감사 기록")
