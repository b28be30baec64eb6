"""청렴노력도 screens: the liaison's performance report, the administrators' list of
institutions and the per-institution scoring page (administrators act as the panel)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.audit.models import AuditEntry
from integrity.apps.registry.models import Institution
from integrity.effort import answers_of
from integrity.files.evidence import accept_attribute
from integrity.model.effort import SURVEY
from integrity.web.listing import Filter, paged_list

from . import services
from .assignments import panel_of
from .evidence import allowed_kinds, allowed_label, files_by_indicator, own_institution
from .models import Report, Score, SiteNote, Status, Submission
from .objections import default_deadline, release_of
from .panel_views import pairs_for_admin
from .presentation import chosen_year, kind_name, rule_text


def _indicator_rows(institution, framework, *, with_scores=False):
    reports = {r.indicator: r for r in Report.objects.filter(institution=institution)}
    scores = {s.indicator: s for s in Score.objects.filter(institution=institution).select_related("scored_by")} if with_scores else {}
    score = services.score_of(institution) if with_scores else None
    counts = services.survey_counts(institution.year, institution).get(institution.pk, {}) if with_scores else {}
    model = institution.year.model
    sourced = services.sourced_evidence(institution)  # what the system counted (e.g. cluster activity)
    areas = []
    for area in framework.areas:
        rows = [{"ind": ind, "kind": kind_name(ind), "rule": rule_text(ind), "report": reports.get(ind.code),
                 "score": scores.get(ind.code), "points": score.indicators.get(ind.code) if score else None,
                 "sourced": sourced.get(ind.code)}
                for ind in area.indicators]
        for row in rows:  # survey indicators: how many staff answers decide them (the typed value is the fallback)
            if row["ind"].kind == SURVEY and counts:
                row["answers"] = answers_of(counts, tuple(model.items[c] for c in row["ind"].survey_items))
        areas.append({"area": area, "rows": rows, "points": score.areas.get(area.code) if score else None})
    return areas, score


@require_http_methods(["GET", "POST"])
@require_role(Role.LIAISON, Role.INTEGRITY_TEAM)
def my_report(request):
    """The institution's report: its liaison and its integrity team prepare it (figures,
    narrative, evidence files); only the liaison submits it."""
    institution = own_institution(request.user)
    if institution is None:
        return render(request, "rosters/closed.html", status=403)
    framework = services.framework_of(institution.year)
    problems, status = None, 200
    may_submit = role_of(request.user) == Role.LIAISON
    if request.method == "POST" and framework is not None:
        entries = {i.code: (request.POST.get(f"figure_{i.code}", ""), request.POST.get(f"narrative_{i.code}", ""))
                   for i in framework.indicators if i.kind != SURVEY}
        try:
            if request.POST.get("action") == "submit" and not may_submit:
                raise services.EffortError([_("제출은 기관 담당자가 합니다. 임시저장만 할 수 있습니다")])
            services.save_draft(institution, request.user, entries)
            if request.POST.get("action") == "submit":
                submission = services.submit(institution, request.user)
                messages.success(request, _("제출했습니다. 접수번호 %(receipt)s") % {"receipt": submission.receipt})
            else:
                messages.success(request, _("임시저장했습니다. 제출하기 전까지 고칠 수 있습니다"))
            return redirect("effort:mine")
        except services.EffortError as exc:
            problems, status = exc.problems, 400
    areas = _indicator_rows(institution, framework)[0] if framework else []
    files = files_by_indicator(institution)
    for row in (r for a in areas for r in a["rows"]):  # what was typed stays on the form when nothing was saved
        row["files"] = files.get(row["ind"].code, [])
        code, report = row["ind"].code, row["report"]
        saved = "" if report is None or report.figure is None else f"{report.figure:g}"
        row["figure_value"] = request.POST.get(f"figure_{code}", "") if problems else saved
        row["narrative_value"] = request.POST.get(f"narrative_{code}", "") if problems else (report.narrative if report else "")
    return render(request, "effort/my_report.html", {
        "institution": institution, "framework": framework, "areas": areas, "problems": problems,
        "submission": services.submission_of(institution), "deadline": services.deadline_of(institution.year),
        "editable": services.editable(institution), "may_submit": may_submit,
        "evidence_types": allowed_label(), "evidence_accept": accept_attribute(allowed_kinds()),
        "evidence_limit": settings.INTEGRITY_EFFORT_EVIDENCE_PER_INDICATOR,
        "evidence_mb": f"{settings.INTEGRITY_EFFORT_EVIDENCE_MAX_BYTES / 1_000_000:g}",
        "released": release_of(institution.year)}, status=status)


STATUS_FILTER = [("none", _("미작성")), (Status.DRAFT, _("작성 중")), (Status.SUBMITTED, _("제출")), ("complete", _("평가 완료"))]


@require_role(Role.ADMIN, Role.ANALYST)
def index(request):
    year = chosen_year(request)
    framework = services.framework_of(year) if year else None
    rows = []
    if framework is not None:
        submissions = {s.institution_id: s for s in Submission.objects.filter(institution__year=year)}
        totals = services.year_scores(year)
        for inst in year.institutions.order_by("code"):
            sub = submissions.get(inst.pk)
            score = totals[inst.code]
            rows.append({"institution": inst, "type_name": year.model.institution_types[inst.type_code].title(get_language()),
                         "status": sub.status if sub else "none", "submission": sub, "score": score,
                         "scored": sum(1 for i in framework.indicators if i.panel_scored and score.indicators.get(i.code) is not None)})
    panel = sum(1 for i in framework.indicators if i.panel_scored) if framework else 0
    types = sorted({(r["institution"].type_code, r["type_name"]) for r in rows})
    listing = paged_list(
        request, rows, text=lambda r: f"{r['institution'].code} {r['institution'].name} {r['submission'].receipt if r['submission'] else ''}",
        filters=[Filter("status", _("상태"), STATUS_FILTER,
                        lambda r, v: r["score"].complete if v == "complete" else r["status"] == v),
                 Filter("type", _("기관유형"), types, lambda r, v: r["institution"].type_code == v)],
        sorts={"code": (_("기관코드"), lambda r: r["institution"].code), "total": (_("총점"), lambda r: r["score"].total),
               "submitted": (_("제출 시각"), lambda r: r["submission"].submitted_at if r["submission"] else None)},
        default_sort="code")
    return render(request, "effort/index.html", {
        "year": year, "framework": framework, "listing": listing, "panel": panel,
        "deadline": services.deadline_of(year) if framework else None, "can_act": role_of(request.user) == Role.ADMIN,
        "release": release_of(year) if year else None,
        "default_objection_deadline": default_deadline(year) if framework else None})


@require_POST
@require_role(Role.ADMIN)
def set_deadline(request):
    year = chosen_year(request)
    try:
        value = date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, _("제출 기한은 YYYY-MM-DD 날짜로 적어 주세요"))
    else:
        if year is not None:
            services.set_deadline(year, request.user, value)
            messages.success(request, _("%(year)s 실적 제출 기한을 %(date)s로 정했습니다") % {"year": year, "date": value})
    return redirect(reverse("effort:index") + (f"?year={year.year}" if year else ""))


@require_role(Role.ADMIN, Role.ANALYST)
def institution(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    framework = services.framework_of(body.year)
    areas, score = _indicator_rows(body, framework, with_scores=True) if framework else ([], None)
    files = files_by_indicator(body)
    for row in (r for a in areas for r in a["rows"]):
        row["files"] = files.get(row["ind"].code, [])
    assigned, pairs = pairs_for_admin(body, framework) if framework else ([], {})
    for row in (r for a in areas for r in a["rows"]):
        row["pair"] = sorted(pairs.get(row["ind"].code, []), key=lambda s: s.user_id)
        row["to_reconcile"] = len(row["pair"]) >= 2 and row["score"] is None
    notes = list(SiteNote.objects.filter(institution=body).select_related("author"))
    history = list(AuditEntry.objects.filter(target_type=Institution._meta.label, target_id=str(body.pk),
                                             action__startswith="effort.").select_related("actor").order_by("-pk"))
    for entry in history:  # a score change reads old -> new
        entry.change = ""
        if isinstance(entry.details, dict) and (entry.details.get("before") or entry.details.get("after")):
            entry.change = f"{_shown(entry.details.get('before'))} → {_shown(entry.details.get('after'))}"
    actors = sorted({e.actor.username for e in history if e.actor is not None})
    history = paged_list(
        request, history, text=lambda e: f"{e.actor.username if e.actor else ''} {e.summary} {e.change} {_reason(e)}",
        filters=[Filter("actor", _("사용자"), [(a, a) for a in actors], lambda e, v: e.actor is not None and e.actor.username == v)])
    return render(request, "effort/institution.html", {
        "institution": body, "framework": framework, "areas": areas, "score": score, "listing": history,
        "submission": services.submission_of(body), "assigned": assigned, "notes": notes,
        "panel": panel_of(body), "can_act": role_of(request.user) == Role.ADMIN})


def _reason(entry) -> str:
    return str(entry.details.get("reason") or "") if isinstance(entry.details, dict) else ""


def _shown(state) -> str:
    if not isinstance(state, dict):
        return "–" if state in (None, "") else str(state)
    if state.get("level"):
        return str(state["level"])
    return "–" if state.get("value") is None else f"{state['value']:g}"


@require_POST
@require_role(Role.ADMIN)
def score(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    try:
        services.record_score(body, request.POST.get("indicator", ""), request.user, level=request.POST.get("level", ""),
                              value=request.POST.get("value", ""), reason=request.POST.get("reason", ""))
    except services.EffortError as exc:
        for problem in exc.problems:  # nothing was recorded; the page shows why
            messages.error(request, problem)
        return redirect("effort:institution", institution_id=body.pk)
    messages.success(request, _("평가를 기록했습니다"))
    return redirect("effort:institution", institution_id=body.pk)


@require_POST
@require_role(Role.ADMIN)
def reopen(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    if services.submission_of(body).status != Status.SUBMITTED:
        messages.error(request, _("제출된 실적이 아닙니다"))
        return redirect("effort:institution", institution_id=body.pk)
    try:
        services.reopen(body, request.user, request.POST.get("reason", ""))
    except services.EffortError as exc:
        for problem in exc.problems:
            messages.error(request, problem)
        return redirect("effort:institution", institution_id=body.pk)
    messages.success(request, _("실적을 작성 중으로 되돌렸습니다. 기관 담당자가 고쳐 다시 제출합니다"))
    return redirect("effort:institution", institution_id=body.pk)
