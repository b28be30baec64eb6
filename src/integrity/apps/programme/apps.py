from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "integrity.apps.programme"
    label = "programme"
    verbose_name = _("기관 청렴 추진계획")
