from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffortConfig(AppConfig):
    name = "integrity.apps.effort"
    label = "effort"
    verbose_name = _("청렴노력도")
