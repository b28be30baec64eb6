"""Cross-check against the commission's records: the administrator imports the records
file and reruns the check; administrators and analysts read, per institution, the
omissions, mismatches and extras (searched, filtered, paged); an omission becomes a
credibility case after a confirmation page."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.registry.models import Institution
from integrity.rosters import RosterRejected
from integrity.web.listing import Filter, paged_list

from .models import Finding, FindingKind, RecordImport
from .onsite_views import confirm_credibility, year_of
from .records import import_records, records_form, run_crosscheck


def _summary_rows(year):
    counts = Counter(Finding.objects.filter(year=year).values_list("institution_id", "kind"))
    decided = Counter(Finding.objects.filter(year=year, credibility_case__isnull=False).values_list("institution_id", flat=True))
    rows = []
    for inst in year.institutions.order_by("code"):
        row = {"institution": inst, **{k: counts[(inst.pk, k)] for k in FindingKind.values}, "decided": decided[inst.pk]}
        row["total"] = sum(row[k] for k in FindingKind.values)
        rows.append(row)
    return rows


@require_role(Role.ADMIN, Role.ANALYST)
def crosscheck_index(request, *, problems=None, status=200):
    year = year_of(request)
    rows = _summary_rows(year) if year else []
    listing = paged_list(
        request, rows, text=lambda r: f"{r['institution'].code} {r['institution'].name}",
        filters=[Filter("found", _("대조 결과"), [("any", _("차이 있음")), *FindingKind.choices, ("none", _("차이 없음"))],
                        lambda r, v: r["total"] > 0 if v == "any" else r["total"] == 0 if v == "none" else r[v] > 0)],
        sorts={"code": (_("기관코드"), lambda r: r["institution"].code),
               "omission": (_("누락"), lambda r: r["omission"]), "mismatch": (_("불일치"), lambda r: r["mismatch"]),
               "extra": (_("추가"), lambda r: r["extra"])},
        default_sort="-omission")
    batch = RecordImport.objects.filter(year=year).first() if year else None
    return render(request, "incidents/crosscheck.html", {
        "year": year, "listing": listing, "batch": batch, "can_act": role_of(request.user) == Role.ADMIN,
        "form": records_form(), "problems": problems}, status=status)


@require_POST
@require_role(Role.ADMIN)
def crosscheck_import(request):
    year = year_of(request)
    uploaded = request.FILES.get("file")
    if year is None or uploaded is None:
        messages.error(request, _("위원회 처분자료 파일을 고르세요"))
        return redirect("incidents:crosscheck")
    try:
        batch = import_records(year, uploaded.name, uploaded.read(), request.user, request.POST.get("password") or None)
    except RosterRejected as exc:
        return crosscheck_index(request, problems=exc.problems, status=400)
    messages.success(request, _("위원회 처분자료 %(n)s건을 가져와 대조했습니다") % {"n": batch.rows})
    return redirect("incidents:crosscheck")


@require_POST
@require_role(Role.ADMIN)
def crosscheck_rerun(request):
    year = year_of(request)
    if year is not None:
        counts = run_crosscheck(year, request.user)
        messages.success(request, _("다시 대조했습니다: 누락 %(o)s건, 불일치 %(m)s건, 추가 %(e)s건") % {
            "o": counts["omission"], "m": counts["mismatch"], "e": counts["extra"]})
    return redirect("incidents:crosscheck")


@require_role(Role.ADMIN, Role.ANALYST)
def crosscheck_institution(request, institution_id: int):
    institution = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    rows = list(Finding.objects.filter(institution=institution).select_related("credibility_case"))
    listing = paged_list(
        request, rows, text=lambda f: f"{f.act_type} {f.disposition} {f.detail} {f.submitted_row}",
        filters=[Filter("kind", _("구분"), FindingKind.choices, lambda f, v: f.kind == v),
                 Filter("case", _("신뢰도 사건"), [("open", _("사건 열림")), ("none", _("사건 없음"))],
                        lambda f, v: (f.credibility_case_id is not None) == (v == "open"))],
        sorts={"date": (_("처분일"), lambda f: f.disposed_on), "kind": (_("구분"), lambda f: f.kind)})
    return render(request, "incidents/crosscheck_institution.html", {
        "institution": institution, "listing": listing, "can_act": role_of(request.user) == Role.ADMIN})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN)
def finding_open_case(request, finding_id: int):
    finding = get_object_or_404(Finding.objects.select_related("institution", "year"), pk=finding_id)
    back = "incidents:crosscheck"
    if finding.kind != FindingKind.OMISSION:
        messages.error(request, _("기관이 빠뜨린 처분(누락)만 신뢰도 저해행위 사건으로 올릴 수 있습니다"))
        return redirect(back)
    day = f"{finding.disposed_on:%Y-%m-%d}" if finding.disposed_on else "처분일 미상"
    summary = (f"위원회 처분자료의 {day} {finding.act_type} '{finding.disposition}' 처분이 "
               f"기관이 제출한 부패행위 징계·처분 목록(서식 4-1·4-2)에 없음")
    return confirm_credibility(
        request, finding, institution=finding.institution, year=finding.year, source="위원회 처분자료 대조(누락)",
        action="credibility.opened_from_omission", summary=summary,
        suggested=finding.year.model.credibility.omission_violation, back=back)
