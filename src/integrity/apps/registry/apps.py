from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "integrity.apps.registry"
    label = "registry"
    verbose_name = _("측정대상기관")
