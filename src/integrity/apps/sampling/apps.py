from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamplingConfig(AppConfig):
    name = "integrity.apps.sampling"
    label = "sampling"
    verbose_name = _("표본 추출")
