"""Every roster upload of the year in one list (administrators and analysts): what came
in, from whom, when, and how it was judged; searched, filtered and paged."""

from __future__ import annotations

from django.shortcuts import render

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.registry.models import AssessmentYear
from integrity.registry import regions
from integrity.rosters.forms import load_forms
from integrity.web.listing import Filter, paged_list

from .models import RosterUpload, UploadStatus


@require_role(Role.ADMIN, Role.ANALYST)
def uploads(request):
    year = AssessmentYear.objects.first()
    forms = load_forms()
    # a residents' draw (panel_*) is no submitted roster (apps/residents)
    rows = list(RosterUpload.objects.filter(institution__year=year).exclude(form_code__startswith="panel_")
                .select_related("institution", "task", "uploaded_by")
                .defer("payload", "problems", "notices")) if year else []
    for u in rows:
        u.form_title = forms[u.form_code].title if u.form_code in forms else u.form_code
    used_forms = sorted({(u.form_code, u.form_title) for u in rows}, key=lambda f: f[0])
    listing = paged_list(
        request, rows,
        text=lambda u: f"{u.institution.code} {u.institution.name} {u.filename} {u.task.name if u.task else ''}",
        filters=[Filter("status", "상태", list(UploadStatus.choices), lambda u, v: u.status == v),
                 Filter("region", "시·도", regions.choices(u.institution.region for u in rows),
                        lambda u, v: regions.keep(u.institution.region, v)),
                 Filter("form", "서식", used_forms, lambda u, v: u.form_code == v),
                 Filter("problems", "오류", [("yes", "오류 있음"), ("no", "오류 없음")],
                        lambda u, v: (u.problem_count > 0) == (v == "yes"))],
        sorts={"at": ("올린 시각", lambda u: u.uploaded_at), "institution": ("기관", lambda u: u.institution.name),
               "rows": ("행 수", lambda u: u.row_count), "problems": ("오류", lambda u: u.problem_count)},
        default_sort="-at")
    counts = {status: sum(1 for u in rows if u.status == status) for status in UploadStatus.values}
    return render(request, "rosters/uploads.html", {"year": year, "listing": listing, "counts": counts, "total": len(rows)})
