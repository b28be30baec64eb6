from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "integrity.apps.residents"
    label = "residents"
    verbose_name = _("주민·학부모 정책고객")
