from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThrottleConfig(AppConfig):
    name = "integrity.apps.throttle"
    label = "throttle"
    verbose_name = _("요청 제한")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment check)
