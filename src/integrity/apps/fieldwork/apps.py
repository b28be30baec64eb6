from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "integrity.apps.fieldwork"
    label = "fieldwork"
    verbose_name = _("현장조사")

    def ready(self):
        from integrity.apps.sampling.signals import draw_replaced

        from .withdrawal import withdraw_replaced_draw

        draw_replaced.connect(withdraw_replaced_draw, dispatch_uid="fieldwork.withdraw_replaced_draw")
