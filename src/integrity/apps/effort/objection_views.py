"""The objection window's screens: administrators release the preliminary scores and
decide objections (acting as the panel); the institution reads its preliminary scores,
objects per indicator until the deadline and reads each decision with its reason."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.files.evidence import EvidenceRejected, accept_attribute
from integrity.web.encrypted_files import read_upload
from integrity.web.listing import Filter, paged_list

from . import objections, services
from .evidence import allowed_kinds, allowed_label, original_name, own_institution
from .models import Objection, ObjectionStatus
from .presentation import kind_name, rule_text
from .presentation import chosen_year


@require_POST
@require_role(Role.ADMIN)
def release(request):
    year = chosen_year(request)
    raw = request.POST.get("objection_deadline", "").strip()
    try:
        deadline = date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("이의신청 기한은 YYYY-MM-DD 날짜로 적어 주세요"))
        return redirect(reverse("effort:index") + (f"?year={year.year}" if year else ""))
    if year is not None:
        try:
            made = objections.release(year, request.user, deadline)
        except services.EffortError as exc:
            for problem in exc.problems:
                messages.error(request, problem)
        else:
            messages.success(request, _("잠정 점수를 기관에 통보했습니다. 이의신청 기한: %(d)s") % {"d": made.objection_deadline})
    return redirect(reverse("effort:index") + (f"?year={year.year}" if year else ""))


def _preliminary_rows(institution, framework, score, filed):
    areas = []
    for area in framework.areas:
        rows = [{"ind": ind, "kind": kind_name(ind), "rule": rule_text(ind), "points": score.indicators.get(ind.code),
                 "objection": filed.get(ind.code), "objectable": objections.objectable(ind)} for ind in area.indicators]
        areas.append({"area": area, "rows": rows, "points": score.areas.get(area.code)})
    return areas


@require_http_methods(["GET", "POST"])
@require_role(Role.LIAISON, Role.INTEGRITY_TEAM)
def preliminary(request):
    """The institution's preliminary scores once released, its objections and their outcome;
    the liaison files an objection here (POST)."""
    institution = own_institution(request.user)
    if institution is None:
        return render(request, "rosters/closed.html", status=403)
    framework = services.framework_of(institution.year)
    release = objections.release_of(institution.year)
    status, problems = 200, None
    if request.method == "POST":
        if role_of(request.user) != Role.LIAISON:
            raise PermissionDenied(_("이의신청은 기관 담당자가 합니다"))
        uploaded = request.FILES.get("file")
        try:
            upload = (uploaded.name, read_upload(uploaded, settings.INTEGRITY_EFFORT_EVIDENCE_MAX_BYTES)) if uploaded else None
            objections.file_objection(institution, request.POST.get("indicator", "")[:32], request.user,
                                      request.POST.get("reason", ""), upload=upload)
        except services.EffortError as exc:
            problems, status = exc.problems, 400
        except EvidenceRejected as exc:
            problems, status = [str(exc)], 400
        else:
            messages.success(request, _("이의신청을 접수했습니다. 평가단의 결정과 사유는 이 화면에 나옵니다"))
            return redirect("effort:preliminary")
    filed = {o.indicator: o for o in Objection.objects.filter(institution=institution).prefetch_related("evidence")}
    for o in filed.values():
        o.files = [{"file": e, "name": original_name(e)} for e in o.evidence.all()]
    score = services.score_of(institution) if framework and release else None
    return render(request, "effort/preliminary.html", {
        "institution": institution, "framework": framework, "release": release, "score": score,
        "areas": _preliminary_rows(institution, framework, score, filed) if score else [],
        "window_open": objections.window_open(institution.year), "problems": problems,
        "may_object": role_of(request.user) == Role.LIAISON, "posted_indicator": request.POST.get("indicator") if problems else "",
        "evidence_types": allowed_label(), "evidence_accept": accept_attribute(allowed_kinds())}, status=status)


STATUS_FILTER = [(s.value, s.label) for s in ObjectionStatus]


@require_role(Role.ADMIN, Role.ANALYST)
def index(request):
    year = chosen_year(request)
    framework = services.framework_of(year) if year else None
    rows = list(Objection.objects.filter(institution__year=year).select_related("institution").order_by("-filed_at", "-pk")) \
        if framework else []
    names = {i.code: i.title(get_language()) for i in framework.indicators} if framework else {}
    for o in rows:
        o.indicator_name = names.get(o.indicator, o.indicator)
    listing = paged_list(
        request, rows, text=lambda o: f"{o.institution.code} {o.institution.name} {o.indicator} {o.indicator_name} {o.reason}",
        filters=[Filter("status", _("처리 결과"), STATUS_FILTER, lambda o, v: o.status == v),
                 Filter("indicator", _("지표"), [(i.code, f"{i.code} {i.title(get_language())}") for i in framework.indicators] if framework else [],
                        lambda o, v: o.indicator == v)],
        sorts={"filed": (_("신청 시각"), lambda o: o.filed_at), "institution": (_("기관"), lambda o: o.institution.code)},
        default_sort="filed")
    return render(request, "effort/objections.html", {
        "year": year, "framework": framework, "listing": listing, "release": objections.release_of(year) if year else None})


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.ANALYST)
def detail(request, objection_id: int):
    objection = get_object_or_404(Objection.objects.select_related("institution__year", "filed_by", "decided_by"),
                                  pk=objection_id)
    institution = objection.institution
    framework = services.framework_of(institution.year)
    ind = next((i for i in framework.indicators if i.code == objection.indicator), None) if framework else None
    problems, status = None, 200
    if request.method == "POST":
        if role_of(request.user) != Role.ADMIN:
            raise PermissionDenied(_("이의신청을 결정할 권한이 없습니다"))
        decision = request.POST.get("decision", "")
        if decision not in ("accepted", "rejected"):
            problems, status = [_("인용 또는 기각을 고르세요")], 400
        else:
            try:
                objections.decide(objection, request.user, accepted=decision == "accepted",
                                  level=request.POST.get("level", ""), value=request.POST.get("value", ""),
                                  reason=request.POST.get("reason", ""))
            except services.EffortError as exc:
                problems, status = exc.problems, 400
            else:
                messages.success(request, _("이의신청을 결정했습니다. 결정과 사유가 기관에 보입니다"))
                return redirect("effort:objection", objection_id=objection.pk)
    current = services.Score.objects.filter(institution=institution, indicator=objection.indicator).first()
    return render(request, "effort/objection.html", {
        "objection": objection, "institution": institution, "ind": ind, "kind": kind_name(ind) if ind else "",
        "rule": rule_text(ind) if ind else "", "current": current, "problems": problems,
        "current_level": ind.level(current.level).title(get_language()) if ind and current and current.level and ind.level(current.level) else "",
        "files": [{"file": e, "name": original_name(e)} for e in objection.evidence.all()],
        "report_files": [{"file": e, "name": original_name(e)}
                         for e in institution.effort_evidence.filter(indicator=objection.indicator, objection=None)],
        "can_act": role_of(request.user) == Role.ADMIN and objection.status == ObjectionStatus.PENDING,
        "posted": request.POST if problems else {}}, status=status)
