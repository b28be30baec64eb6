"""Liaison and administrator screens for rosters. Access is decided in accounts.roles."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import can_upload, can_view_institution, liaison_institution, require_role, role_of
from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.rosters import build_template, get_form
from integrity.rosters.forms import load_forms
from integrity.web.downloads import download

from integrity.apps.jobs.lease import reap_stale
from integrity.registry import regions
from integrity.web.listing import Filter, paged_list

from . import services
from .forms import UploadForm
from .models import RosterUpload, UploadStatus
from .report import problems_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 300


def _institution_for(request, institution_id: int) -> Institution:
    institution = get_object_or_404(Institution.objects.select_related("year", "officer"), pk=institution_id)
    if not can_view_institution(request.user, institution):
        raise PermissionDenied("이 기관의 명부를 볼 권한이 없습니다")
    return institution


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def index(request):
    if role_of(request.user) == Role.LIAISON:
        own = liaison_institution(request.user)
        if own is None:
            return render(request, "rosters/closed.html", status=403)
        return redirect("rosters:dashboard", institution_id=own.pk)
    year = AssessmentYear.objects.first()
    institutions = []
    if year:
        institutions = list(
            year.institutions.select_related("officer", "year")
            .annotate(
                accepted=Count("roster_uploads", filter=Q(roster_uploads__status=UploadStatus.ACCEPTED)
                               & ~Q(roster_uploads__form_code__startswith="panel_"), distinct=True),
                rejected=Count("roster_uploads", filter=Q(roster_uploads__status=UploadStatus.REJECTED), distinct=True),
                tasks_count=Count("tasks", distinct=True),
            )
            .order_by("code")
        )
    types = sorted({(i.type_code, i.type_name) for i in institutions}, key=lambda t: t[1])
    status = {"none": lambda i: i.accepted == 0 and i.rejected == 0, "rejected": lambda i: i.rejected > 0 and i.accepted == 0,
              "accepted": lambda i: i.accepted > 0}
    listing = paged_list(
        request, institutions, text=lambda i: f"{i.code} {i.name} {i.officer or ''}",
        filters=[Filter("type", "기관유형", types, lambda i, v: i.type_code == v),
                 Filter("region", "시·도", regions.choices(i.region for i in institutions), lambda i, v: regions.keep(i.region, v)),
                 Filter("status", "제출 상태", [("none", "미제출"), ("rejected", "반려만 있음"), ("accepted", "접수")],
                        lambda i, v: status[v](i))],
        sorts={"code": ("기관코드", lambda i: i.code), "name": ("기관", lambda i: i.name), "staff": ("정원", lambda i: i.staff),
               "accepted": ("접수된 명부", lambda i: i.accepted)}, default_sort="code")
    totals = {"all": len(institutions), "accepted": sum(1 for i in institutions if i.accepted),
              "none": sum(1 for i in institutions if status["none"](i)),
              "rejected": sum(1 for i in institutions if status["rejected"](i))}
    return render(request, "rosters/overview.html", {"year": year, "listing": listing, "totals": totals})


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def dashboard(request, institution_id: int):
    institution = _institution_for(request, institution_id)
    reap_stale()
    accepted = {
        (u.form_code, u.task_id): u
        for u in institution.roster_uploads.filter(status=UploadStatus.ACCEPTED).select_related("task")
    }
    fieldwork = institution.year.model.fieldwork
    tasks = [
        {"task": t, "upload": accepted.get(("external", t.pk)), "needed": 0 if t.census else t.quota * fieldwork.roster_multiple}
        for t in institution.tasks.all()
    ]
    other = [{"form": get_form(c), "upload": accepted.get((c, None))} for c in services.forms_for(institution)]
    form = UploadForm(institution=institution, form_codes=services.forms_for(institution)) if can_upload(request.user, institution) else None
    return render(request, "rosters/dashboard.html", {
        "institution": institution, "tasks": tasks, "other_forms": other, "fieldwork": fieldwork, "form": form,
        "listing": _uploads_of(request, institution),
        "staff_list": services.department_plan(institution),
    })


def _uploads_of(request, institution):
    """Every file the institution sent (not the latest fifteen), searched, filtered and paged."""
    forms = load_forms()
    rows = list(institution.roster_uploads.exclude(form_code__startswith="panel_").select_related("task", "uploaded_by")
                .defer("payload", "problems", "notices"))
    for u in rows:
        u.form_title = forms[u.form_code].title if u.form_code in forms else u.form_code
    return paged_list(
        request, rows, text=lambda u: f"{u.filename} {u.form_title} {u.task.name if u.task else ''}",
        filters=[Filter("status", _("상태"), list(UploadStatus.choices), lambda u, v: u.status == v),
                 Filter("form", _("서식"), sorted({(u.form_code, u.form_title) for u in rows}), lambda u, v: u.form_code == v)],
        sorts={"at": (_("시각"), lambda u: u.uploaded_at)}, default_sort="-at")


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def template(request, institution_id: int, form_code: str, task_id: int | None = None):
    institution = _institution_for(request, institution_id)
    try:
        form = get_form(form_code)
    except KeyError:
        return HttpResponse("알 수 없는 서식", status=404)
    if form_code != "external" and form_code not in services.forms_for(institution):
        return HttpResponse("이 기관이 내는 서식이 아닙니다", status=404)
    task = get_object_or_404(institution.tasks, pk=task_id) if task_id else None
    data = build_template(form, institution.year.model.fieldwork, institution=institution.name, task=task.name if task else "")
    name = f"{institution.code}_{form.title}{'_' + task.name if task else ''}.xlsx".replace(" ", "_")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_http_methods(["POST"])
@require_role(Role.ADMIN, Role.LIAISON)
def upload(request, institution_id: int):
    institution = _institution_for(request, institution_id)
    if not can_upload(request.user, institution):
        raise PermissionDenied("명부를 올릴 권한이 없습니다")
    form = UploadForm(request.POST, request.FILES, institution=institution, form_codes=services.forms_for(institution))
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
        return redirect("rosters:dashboard", institution_id=institution.pk)
    data = form.cleaned_data
    task = institution.tasks.get(pk=data["task"]) if data["task"] else None
    try:
        created = services.start_upload(
            request.user, institution, data["form_code"], task, data["file"].read(), data["file"].name,
            data["password"] or None, data["sublisting"] or "",
        )
    except services.UploadRefused as exc:
        messages.error(request, str(exc))
        return redirect("rosters:dashboard", institution_id=institution.pk)
    return redirect("rosters:upload_detail", upload_id=created.pk)


def _upload_for(request, upload_id: int) -> RosterUpload:
    reap_stale()  # an upload whose worker died shows as failed, not "running" forever
    # a residents' draw (panel_*) is no submitted roster: not shown here, to anyone
    upload = get_object_or_404(RosterUpload.objects.select_related("institution__year", "task")
                               .exclude(form_code__startswith="panel_"), pk=upload_id)
    if not can_view_institution(request.user, upload.institution):
        raise PermissionDenied("이 명부를 볼 권한이 없습니다")
    return upload


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def upload_detail(request, upload_id: int):
    upload = _upload_for(request, upload_id)
    reasons = []
    if upload.status == UploadStatus.ACCEPTED and upload.excluded_count:
        reasons = list(upload.entries.filter(excluded=True).values("exclusion_reason").annotate(n=Count("id")).order_by("-n"))
    return render(request, "rosters/upload_detail.html", {
        "upload": upload, "form": get_form(upload.form_code), "problems": upload.problems[:SHOWN_PROBLEMS],
        "more": max(0, len(upload.problems) - SHOWN_PROBLEMS), "reasons": reasons,
    })


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def upload_status(request, upload_id: int):
    upload = _upload_for(request, upload_id)
    return JsonResponse({"status": upload.status, "finished": upload.finished, "percent": upload.percent,
                         "stage": upload.stage, "problems": upload.problem_count})


@require_role(Role.ADMIN, Role.ANALYST, Role.LIAISON)
def upload_report(request, upload_id: int):
    upload = _upload_for(request, upload_id)
    columns, rows, summary = problems_table(upload)
    return download("xlsx", columns, rows, f"명부점검결과_{upload.pk}", sheet="점검결과", preamble=summary)
