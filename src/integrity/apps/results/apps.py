from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "integrity.apps.results"
    label = "results"
    verbose_name = _("채점 결과")
