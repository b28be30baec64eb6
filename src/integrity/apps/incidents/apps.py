from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "integrity.apps.incidents"
    label = "incidents"
    verbose_name = _("부패사건·신뢰도 저해행위")
