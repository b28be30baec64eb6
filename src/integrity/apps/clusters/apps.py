
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "integrity.apps.clusters"
    label = "clusters"
    verbose_name = _("청렴 클러스터")

    def ready(self):
        from integrity.apps.effort.services import register_figure_source
        from integrity.model.effort import CLUSTER_ACTIVITY

        from . import bonus

        register_figure_source(CLUSTER_ACTIVITY, bonus.figures, bonus.evidence)
