"""The year's district-office rotation: every role that reads the registry sees it; an
administrator sets it (again) for the year."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.registry.rotation import rule_name
from integrity.web.listing import Filter, paged_list
from integrity.web.params import int_param

from .models import AssessmentYear
from .rotation import RotationProblem, rotating_types, rotation_rows, set_rotation, unrotated


def _year(request) -> AssessmentYear:
    wanted = int_param(request, "year")
    year = AssessmentYear.objects.filter(year=wanted).first() if wanted else AssessmentYear.objects.first()
    if year is None:
        raise Http404(_("등록된 측정 연도가 없습니다"))
    return year


@require_role(Role.ADMIN, Role.ANALYST)
def rotation(request):
    year = _year(request)
    rows = rotation_rows(year)
    types = rotating_types(year)
    for r in rows:
        r.state = _("올해 측정") if r.measured else _("측정 제외(순환)")
        rule = types.get(r.institution.type_code)
        r.rule_label = rule_name(rule.rotation, r.rule) if rule else r.rule
    parents = sorted({(r.parent.code, r.parent.name) for r in rows})
    listing = paged_list(
        request, rows, text=lambda r: f"{r.institution.code} {r.institution.name} {r.parent.name}",
        filters=[Filter("state", _("측정 여부"), [("measured", _("올해 측정")), ("skipped", _("측정 제외(순환)"))],
                        lambda r, v: r.measured == (v == "measured")),
                 Filter("parent", _("시·도교육청"), parents, lambda r, v: r.parent.code == v)],
        sorts={"parent": (_("시·도교육청"), lambda r: (r.parent.code, r.institution.code)),
               "name": (_("교육지원청"), lambda r: r.institution.name), "group": (_("순환 조"), lambda r: r.cycle_group or -1)},
        default_sort="parent")
    per_parent = {}
    for r in rows:
        entry = per_parent.setdefault(r.parent.code, {"name": r.parent.name, "bodies": 0, "measured": 0, "rule": r.rule_label})
        entry["bodies"] += 1
        entry["measured"] += r.measured
    return render(request, "registry/rotation.html", {
        "year": year, "years": AssessmentYear.objects.all(), "listing": listing, "per_parent": per_parent.values(),
        "measured": sum(r.measured for r in rows), "total": len(rows), "missing": unrotated(year),
        "position": rows[0].cycle_position + 1 if rows else None, "cycle_years": rows[0].cycle_years if rows else None,
        "types": list(types.values()), "is_admin": role_of(request.user) == Role.ADMIN,
    })


@require_POST
@require_role(Role.ADMIN)
def set_year_rotation(request):
    year = _year(request)
    try:
        summary = set_rotation(year, request.user)
    except RotationProblem as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(year)s 교육지원청 %(n)d곳 중 %(m)d곳을 올해 측정으로 정했습니다")
                         % {"year": year, "n": summary.bodies, "m": summary.measured})
    return redirect(f"{reverse('registry:rotation')}?year={year.year}")
