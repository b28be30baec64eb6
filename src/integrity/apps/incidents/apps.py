from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "integrity.apps.incidents"
    label = "incidents"
    verbose_name = _("부패사건·신뢰도 저해행위")

    def ready(self):
        from django.db.models.signals import post_delete

        from .evidence import forget_file
        from .models import Evidence

        # However a row goes (purge, a case deleted in the admin, a year removed), its file goes with it.
        post_delete.connect(forget_file, sender=Evidence, dispatch_uid="incidents.evidence.file")
