from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "integrity.apps.programme"
    label = "programme"
    verbose_name = _("기관 청렴 추진계획")

    def ready(self):
        from .models import ProgressReport
        from .services import forget_evidence

        post_delete.connect(forget_evidence, sender=ProgressReport, dispatch_uid="programme.forget_evidence")
