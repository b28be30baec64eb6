"""Cluster activity as the figure of an effort indicator with ``source: cluster_activity``
(2022 model: 7.1 청렴 클러스터 활동). The effort app asks through its figure-source hook
(effort.services.register_figure_source, registered in ClustersConfig.ready), so the
effort evaluation does not depend on this app."""

from __future__ import annotations

from integrity.clusters import counted
from integrity.clusters.activity import ACTIVITY_NAMES, year_period

from .services import activities


def period_of(year) -> tuple:
    framework = year.model.effort
    return framework.period if framework and framework.period else year_period(year.year)


def figures(year, indicator) -> dict[str, float]:
    """Institution code -> the number of counted activities in the evaluation period."""
    codes = set(year.institutions.values_list("code", flat=True))
    found = counted(activities(codes), indicator.counts, period_of(year))
    return {code: float(len(items)) for code, items in found.items()}


def evidence(institution, indicator) -> list[dict]:
    """What was counted for one body: date, kind, title, cluster (read-only list on its report)."""
    found = counted(activities([institution.code]), indicator.counts, period_of(institution.year))
    return [{"on": a.on, "kind": ACTIVITY_NAMES[a.kind], "title": a.title, "cluster": a.cluster}
            for a in found.get(institution.code, [])]
