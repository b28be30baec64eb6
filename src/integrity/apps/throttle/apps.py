from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThrottleConfig(AppConfig):
    name = "integrity.apps.throttle"
    label = "throttle"
    verbose_name = _("요청 제한")
