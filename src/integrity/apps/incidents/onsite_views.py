"""On-site checks (현지점검): listed for administrators and analysts (searched, filtered,
paged), registered in the admin; an outcome opens a credibility case after a
confirmation page. The confirmation page is shared with the cross-check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_http_methods

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.registry.models import AssessmentYear
from integrity.web.listing import Filter, paged_list

from .credibility import messages_of, open_case, proposal_from
from .models import OnsiteCheck, OnsiteOutcome, OnsiteSubject


def year_of(request):
    """The year asked for (?year=2017), else the latest."""
    years = AssessmentYear.objects.all()
    wanted = request.GET.get("year", "")
    return (years.filter(year=int(wanted)).first() if wanted.isdigit() and len(wanted) == 4 else None) or years.first()


@require_role(Role.ADMIN, Role.ANALYST)
def onsite_list(request):
    year = year_of(request)
    rows = list(OnsiteCheck.objects.filter(year=year).select_related("institution", "credibility_case")) if year else []
    listing = paged_list(
        request, rows,
        text=lambda c: f"{c.institution.code} {c.institution.name} {c.checker} {c.findings}",
        filters=[
            Filter("outcome", _("조치"), OnsiteOutcome.choices, lambda c, v: c.outcome == v),
            Filter("subject", _("점검 대상"), OnsiteSubject.choices, lambda c, v: c.subject == v),
            Filter("case", _("신뢰도 사건"), [("open", _("사건 열림")), ("none", _("사건 없음"))],
                   lambda c, v: (c.credibility_case_id is not None) == (v == "open")),
        ],
        sorts={"name": (_("기관"), lambda c: c.institution.name), "date": (_("점검일"), lambda c: c.checked_on)},
        default_sort="-date")
    return render(request, "incidents/onsite_list.html", {
        "year": year, "listing": listing, "can_act": role_of(request.user) == Role.ADMIN})


def confirm_credibility(request, link, *, institution, year, source: str, action: str, summary: str,
                        suggested: str, back: str):
    """GET: what was found and the sanction form; POST: open the case (once)."""
    rules = year.model.credibility
    errors: dict = {}
    values = {"violation": suggested, "note": summary[:300], "grade_down": "", "points": "", "void": False}
    if link.credibility_case_id is not None:
        messages.error(request, _("이미 신뢰도 저해행위 사건이 열려 있습니다"))
        return redirect(back)
    if request.method == "POST":
        proposal = proposal_from(request.POST, errors)
        values = {"violation": proposal.violation, "note": proposal.note, "grade_down": proposal.grade_down or "",
                  "points": "" if proposal.points is None else proposal.points, "void": proposal.void}
        if not errors:
            try:
                open_case(link, year=year, institution=institution, proposal=proposal, source=source,
                          actor=request.user, action=action)
            except ValidationError as exc:
                errors = messages_of(exc)
            except ValueError as exc:
                messages.error(request, str(exc))
                return redirect(back)
            else:
                messages.success(request, _("신뢰도 저해행위 사건을 열었습니다"))
                return redirect(back)
    violations = [{"code": v.code, "name": v.title(get_language()), "sanctions": ", ".join(SANCTION_NAMES.get(s, s) for s in v.sanctions)}
                  for v in rules.violations.values()]
    return render(request, "incidents/open_credibility.html", {
        "institution": institution, "summary": summary, "violations": violations, "values": values,
        "errors": errors, "back": back, "rules": rules}, status=400 if errors else 200)


SANCTION_NAMES = {"warning": "보완요구·주의촉구", "points": "감점", "grade_down": "등급 하향", "void": "조사 무효"}


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN)
def onsite_open_case(request, check_id: int):
    check = get_object_or_404(OnsiteCheck.objects.select_related("institution", "year"), pk=check_id)
    if not check.may_open_case and check.credibility_case_id is None:
        messages.error(request, _("이 조치로는 신뢰도 저해행위 사건을 열 수 없습니다 (주의 촉구 또는 저해행위 확인일 때만)"))
        return redirect("incidents:onsite")
    rules = check.year.model.credibility
    suggested = rules.omission_violation if check.subject == OnsiteSubject.INCIDENTS else ""
    return confirm_credibility(
        request, check, institution=check.institution, year=check.year, source=f"현지점검 {check.checked_on:%Y-%m-%d}",
        action="credibility.opened_from_onsite_check", summary=check.findings, suggested=suggested,
        back="incidents:onsite")
