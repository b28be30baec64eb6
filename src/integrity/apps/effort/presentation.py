"""How an indicator and its rule read on screen (in the page's language), from the model file's data, and which
year an effort page shows."""

from __future__ import annotations

from django.utils.translation import get_language, gettext as _, gettext_noop

from integrity.apps.registry.models import AssessmentYear
from integrity.model.effort import BONUS, KIND_NAMES, LINEAR, QUALITATIVE, QUANTITATIVE, Indicator
from integrity.web.params import plain_int


# the core (no Django) names the kinds; marked here so the catalogue carries their English
_KIND_MSGIDS = (gettext_noop("정량"), gettext_noop("정성"), gettext_noop("설문"), gettext_noop("가점"))


def kind_name(ind: Indicator) -> str:
    return _(KIND_NAMES[ind.kind])


def rule_text(ind: Indicator) -> str:
    """The scoring rule in one line, so institutions and the panel read the same rule."""
    language = get_language()
    unit = ind.unit_in(language)
    if ind.kind == QUANTITATIVE and ind.rule == LINEAR:
        return _("%(floor)s%(unit)s 이하 0점, %(target)s%(unit)s 이상 %(points)s점, 그 사이는 비례") % {
            "floor": f"{ind.floor:g}", "target": f"{ind.target:g}", "unit": unit, "points": f"{ind.points:g}"} \
            if ind.floor < ind.target else _("%(floor)s%(unit)s 이상 0점, %(target)s%(unit)s 이하 %(points)s점, 그 사이는 비례") % {
            "floor": f"{ind.floor:g}", "target": f"{ind.target:g}", "unit": unit, "points": f"{ind.points:g}"}
    if ind.kind == QUANTITATIVE:
        return ", ".join(_("%(at)s%(unit)s 이상 %(points)s점") % {"at": f"{at:g}", "unit": unit, "points": f"{p:g}"}
                         for at, p in ind.thresholds)
    if ind.kind == QUALITATIVE:
        return ", ".join(f"{lv.title(language)} {lv.points:g}" for lv in ind.levels)
    if ind.kind == BONUS:
        return _("1%(unit)s당 %(per)s점, 최대 %(cap)s점") % {"unit": unit or _("건"), "per": f"{ind.per_unit:g}",
                                                         "cap": f"{ind.points:g}"}
    return _("직원 설문 점수(0~100) × %(points)s/100") % {"points": f"{ind.points:g}"}


def chosen_year(request):
    """The year asked for (?year=2022), else the latest whose model has an effort evaluation, else the latest."""
    years = AssessmentYear.objects.all()
    wanted = plain_int(request.GET.get("year", ""), max_digits=4)
    chosen = years.filter(year=wanted).first() if wanted is not None else None
    return chosen or next((y for y in years if y.model.effort is not None), None) or years.first()
