from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlywarningConfig(AppConfig):
    name = "integrity.apps.earlywarning"
    label = "earlywarning"
    verbose_name = _("청렴 리스크 조기경보")
