from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffortConfig(AppConfig):
    name = "integrity.apps.effort"
    label = "effort"
    verbose_name = _("청렴노력도")

    def ready(self):
        from django.db.models.signals import post_delete

        from .evidence import forget_file
        from .models import EvidenceFile

        # However a row goes (removed by the institution, an institution or year deleted), its file goes with it.
        post_delete.connect(forget_file, sender=EvidenceFile, dispatch_uid="effort.evidence.file")
