"""Liaisons see the cases attributed to their institution and may rebut them (소명)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import liaison_institution, require_role
from integrity.apps.audit.services import record

from integrity.web.listing import Filter, paged_list

from .models import Case, Rebuttal, Source
from .services import decision_of


@require_role(Role.LIAISON)
def my_cases(request):
    institution = liaison_institution(request.user)
    if institution is None:
        return render(request, "rosters/closed.html", status=403)
    cases = [{"case": c, "decision": decision_of(c)}
             for c in Case.objects.filter(institution=institution).select_related("year", "institution", "acted_at", "seconded_from")]
    answers = [("none" if v == "" else v, label) for v, label in Rebuttal.choices]
    listing = paged_list(
        request, cases, text=lambda r: f"{r['case'].act_type} {r['case'].disposition} {r['case'].note} {r['case'].rebuttal_text}",
        filters=[Filter("source", _("출처"), Source.choices, lambda r, v: r["case"].source == v),
                 Filter("counts", _("반영"), [("yes", _("반영")), ("no", _("제외"))],
                        lambda r, v: bool(r["decision"].counts) == (v == "yes")),
                 Filter("rebuttal", _("소명"), answers, lambda r, v: r["case"].rebuttal == ("" if v == "none" else v))],
        sorts={"disposed": (_("처분일"), lambda r: r["case"].disposed_on)}, default_sort="-disposed")
    return render(request, "incidents/my_cases.html", {"institution": institution, "listing": listing})


@require_POST
@require_role(Role.LIAISON)
def rebut(request, case_id: int):
    institution = liaison_institution(request.user)
    case = get_object_or_404(Case, pk=case_id)
    if institution is None or case.institution_id != institution.pk:
        raise PermissionDenied("다른 기관의 사건입니다")
    text = request.POST.get("rebuttal_text", "").strip()
    if case.rebuttal in (Rebuttal.ACCEPTED, Rebuttal.REJECTED):
        messages.error(request, "이미 결정된 소명은 바꿀 수 없습니다")
    elif not text:
        messages.error(request, "소명 내용과 증빙을 적어 주세요")
    else:
        case.rebuttal, case.rebuttal_text = Rebuttal.SUBMITTED, text[:5000]
        case.save(update_fields=["rebuttal", "rebuttal_text"])
        record(request.user, "case.rebuttal_submitted", case, str(case)[:300])
        messages.success(request, "소명을 제출했습니다. 권익위 담당자가 검토합니다")
    return redirect("incidents:mine")
