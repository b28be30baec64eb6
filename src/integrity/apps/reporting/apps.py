from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "integrity.apps.reporting"
    label = "reporting"
    verbose_name = _("청렴신문고")
