"""The evaluation panel's screens: the evaluator's assigned institutions and scoring page,
their ties (이해충돌 신고), the administrators' panels and the reconciliation queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role, role_of
from integrity.apps.registry.models import Institution
from integrity.effort import IndicatorResult, indicator_points
from integrity.model.effort import QUALITATIVE
from integrity.web.listing import Filter, paged_list
from integrity.web.params import plain_int

from . import assignments, evaluation, services
from .presentation import chosen_year
from .models import Assignment, EvaluatorKind, EvaluatorScore, Panel, Report, Score, SiteNote, Status, Tie
from .presentation import kind_name, rule_text


def _problems(request, exc) -> None:
    for problem in exc.problems:  # nothing was saved; the page shows why
        messages.error(request, problem)


# -- the evaluator ---------------------------------------------------------------------------

@require_role(Role.EVALUATOR)
def assigned(request):
    """The evaluator's own institutions, with how far their scoring has come."""
    mine = list(Assignment.objects.filter(user=request.user).select_related("institution__year", "panel")
                .order_by("institution__year__year", "institution__code"))
    done: dict[int, int] = {}
    for inst_id in EvaluatorScore.objects.filter(user=request.user).values_list("institution_id", flat=True):
        done[inst_id] = done.get(inst_id, 0) + 1
    submitted = set(services.Submission.objects.filter(institution__in=[a.institution_id for a in mine],
                                                       status=Status.SUBMITTED).values_list("institution_id", flat=True))
    rows = []
    for a in mine:
        year = a.institution.year
        framework = services.framework_of(year)
        wanted = sum(1 for i in framework.indicators if i.kind == QUALITATIVE) if framework else 0
        rows.append({"institution": a.institution, "panel": a.panel, "type_name": year.model.institution_types[a.institution.type_code].title(get_language())
                     if a.institution.type_code in year.model.institution_types else a.institution.type_code,
                     "done": done.get(a.institution_id, 0), "wanted": wanted, "submitted": a.institution_id in submitted})
    types = sorted({(r["institution"].type_code, r["type_name"]) for r in rows})
    years = sorted({(str(r["institution"].year.year), str(r["institution"].year.year)) for r in rows})
    progress = [("todo", _("평가할 지표 남음")), ("done", _("평가 끝"))]
    listing = paged_list(
        request, rows, text=lambda r: f"{r['institution'].code} {r['institution'].name} {r['panel'].name}",
        filters=[Filter("year", _("측정 연도"), years, lambda r, v: str(r["institution"].year.year) == v),
                 Filter("type", _("기관유형"), types, lambda r, v: r["institution"].type_code == v),
                 Filter("progress", _("진행"), progress, lambda r, v: (r["done"] >= r["wanted"]) == (v == "done"))],
        sorts={"code": (_("기관코드"), lambda r: r["institution"].code), "done": (_("평가한 지표"), lambda r: r["done"])},
        default_sort="code")
    return render(request, "effort/assigned.html", {"listing": listing})


def _evaluator_rows(body, framework, user):
    """Every indicator of the institution with the report, and for qualitative ones the
    evaluator's own score; the other evaluator's and the decided score only once both
    have scored. A fixed number of queries, however many indicators or evaluators."""
    reports = {r.indicator: r for r in Report.objects.filter(institution=body)}
    assigned = set(Assignment.objects.filter(institution=body).values_list("user_id", flat=True))
    scores: dict[str, list] = {}
    for s in EvaluatorScore.objects.filter(institution=body, user_id__in=assigned).select_related("user"):
        scores.setdefault(s.indicator, []).append(s)
    decided = {s.indicator: s for s in Score.objects.filter(institution=body)}
    evidence = _evidence_links(body)
    notes: dict[str, list] = {}
    for n in SiteNote.objects.filter(institution=body).select_related("author"):
        notes.setdefault(n.indicator, []).append(n)
    areas = []
    for area in framework.areas:
        rows = []
        for ind in area.indicators:
            pair = scores.get(ind.code, [])
            mine = next((s for s in pair if s.user_id == user.pk), None)
            both = len(pair) >= 2
            other = next((s for s in pair if s.user_id != user.pk), None) if both else None
            rows.append({"ind": ind, "kind": kind_name(ind), "rule": rule_text(ind), "report": reports.get(ind.code),
                         "mine": mine, "mine_level": ind.level(mine.level) if mine else None, "both": both,
                         "other": other, "other_level": ind.level(other.level) if other else None,
                         "decided": decided.get(ind.code) if both else None,
                         "decided_points": _decided_points(ind, decided.get(ind.code)) if both else None,
                         "notes": notes.get(ind.code, []), "evidence": evidence.get(ind.code, []),
                         "open": ind.kind == QUALITATIVE and not both})
        areas.append({"area": area, "rows": rows})
    return areas, notes.get("", [])


def _evidence_links(body) -> dict[str, list[dict]]:
    """Indicator code -> the report's evidence files (label, url), when the evidence store
    (models.EvidenceFile, its download view ``effort:evidence_file``) is installed; one query."""
    from . import models as effort_models

    evidence_model = getattr(effort_models, "EvidenceFile", None)
    if evidence_model is None:
        return {}
    links: dict[str, list[dict]] = {}
    rows = evidence_model.objects.filter(institution=body, objection__isnull=True).values_list("pk", "indicator", "file_type", "size")
    for pk, code, kind, size in rows:
        try:
            url = reverse("effort:evidence_file", kwargs={"evidence_id": pk})
        except NoReverseMatch:
            return {}
        links.setdefault(code, []).append({"url": url, "label": f"{kind.upper()} {max(1, round(size / 1024)):,} KB"})
    return links


def _decided_points(ind, score):
    if score is None:
        return None
    return indicator_points(ind, IndicatorResult(level=score.level or None, value=score.value))


@require_role(Role.EVALUATOR)
def evaluate(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    if not assignments.is_assigned(request.user, body):
        raise PermissionDenied("배정된 기관이 아닙니다")
    framework = services.framework_of(body.year)
    areas, general_notes = _evaluator_rows(body, framework, request.user) if framework else ([], [])
    return render(request, "effort/evaluate.html", {
        "institution": body, "framework": framework, "areas": areas, "general_notes": general_notes,
        "submission": services.submission_of(body), "type_name": body.year.model.institution_types.get(body.type_code),
        "gap": f"{framework.reconciliation_gap * 100:g}%" if framework else None})


@require_POST
@require_role(Role.EVALUATOR)
def evaluator_score(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    if not assignments.is_assigned(request.user, body):
        raise PermissionDenied("배정된 기관이 아닙니다")
    try:
        evaluation.score_as_evaluator(body, request.POST.get("indicator", "")[:32], request.user,
                                      level=request.POST.get("level", "")[:16], reason=request.POST.get("reason", ""))
    except services.EffortError as exc:
        _problems(request, exc)
    else:
        messages.success(request, _("평가를 기록했습니다"))
    return redirect("effort:evaluate", institution_id=body.pk)


@require_POST
@require_role(Role.ADMIN, Role.EVALUATOR)
def note(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    is_admin = role_of(request.user) == Role.ADMIN
    if not is_admin and not assignments.is_assigned(request.user, body):
        raise PermissionDenied("배정된 기관이 아닙니다")
    try:
        evaluation.add_note(body, request.user, indicator=request.POST.get("indicator", "")[:32],
                            visited_on=request.POST.get("visited_on", "")[:10], text=request.POST.get("text", ""))
    except services.EffortError as exc:
        _problems(request, exc)
    else:
        messages.success(request, _("현장 확인 내용을 기록했습니다"))
    return redirect("effort:institution" if is_admin else "effort:evaluate", institution_id=body.pk)


@require_http_methods(["GET", "POST"])
@require_role(Role.EVALUATOR)
def ties(request):
    """The evaluator declares ties with institutions (이해충돌 신고)."""
    year = chosen_year(request)
    if request.method == "POST" and year is not None:
        code = request.POST.get("institution", "").strip()[:20]
        body = year.institutions.filter(code=code).first() if code and "\x00" not in code else None
        if body is None:
            messages.error(request, _("기관코드에 맞는 기관이 없습니다"))
        else:
            try:
                assignments.declare_tie(request.user, body, request.user, request.POST.get("reason", ""))
            except services.EffortError as exc:
                _problems(request, exc)
            else:
                messages.success(request, _("이해충돌을 신고했습니다. 이 기관은 평가하지 않습니다"))
        return redirect(f"{request.path}?year={year.year}")
    mine = Tie.objects.filter(user=request.user).select_related("institution__year").order_by("-declared_at")
    return render(request, "effort/ties.html", {"year": year, "ties": mine,
                                                "institutions": year.institutions.order_by("name") if year else []})


# -- the administrators ----------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.ANALYST)
def panels(request):
    year = chosen_year(request)
    is_admin = role_of(request.user) == Role.ADMIN
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("평가단은 관리자가 구성합니다")
        try:
            panel = assignments.create_panel(year, request.user, request.POST.get("name", ""),
                                             [c[:40] for c in request.POST.getlist("type_codes")][:30])
        except services.EffortError as exc:
            _problems(request, exc)
            return redirect(f"{request.path}?year={year.year}" if year else request.path)
        messages.success(request, _("평가단을 만들었습니다. 평가위원을 넣고 배정을 실행하세요"))
        return redirect("effort:panel", panel_id=panel.pk)
    rows = []
    if year is not None:
        counts: dict[int, int] = {}
        for panel_id in Assignment.objects.filter(panel__year=year).values_list("panel_id", flat=True):
            counts[panel_id] = counts.get(panel_id, 0) + 1
        for p in Panel.objects.filter(year=year).prefetch_related("members"):
            rows.append({"panel": p, "members": len(p.members.all()), "assigned": counts.get(p.pk, 0),
                         "types": [year.model.institution_types[c].title(get_language()) for c in p.type_codes if c in year.model.institution_types]})
    covered = {c for r in rows for c in r["panel"].type_codes}
    free_types = [t for t in year.model.institution_types.values() if t.code not in covered] if year else []
    return render(request, "effort/panels.html", {"year": year, "rows": rows, "free_types": free_types, "can_act": is_admin,
                                                  "queue": len(evaluation.reconciliation_queue(year)) if year else 0})


@require_role(Role.ADMIN, Role.ANALYST)
def panel(request, panel_id: int):
    p = get_object_or_404(Panel.objects.select_related("year"), pk=panel_id)
    members = list(p.members.select_related("user"))
    bodies = list(assignments.institutions_of(p).order_by("code"))
    by_body: dict[int, list] = {}
    for a in Assignment.objects.filter(panel=p).select_related("user"):
        by_body.setdefault(a.institution_id, []).append(a.user)
    kinds = {m.user_id: m.get_kind_display() for m in members}
    conflicts = list(Tie.objects.filter(institution__in=bodies, user__in=[m.user for m in members])
                     .select_related("user", "institution").order_by("institution__code"))
    rows = [{"institution": b, "evaluators": [(u, kinds.get(u.pk, "")) for u in by_body.get(b.pk, [])]} for b in bodies]
    listing = paged_list(
        request, rows, text=lambda r: f"{r['institution'].code} {r['institution'].name} " + " ".join(u.username for u, _k in r["evaluators"]),
        filters=[Filter("short", _("배정"), [("short", _("두 명 미만")), ("full", _("두 명"))],
                        lambda r, v: (len(r["evaluators"]) < 2) == (v == "short"))],
        sorts={"code": (_("기관코드"), lambda r: r["institution"].code)}, default_sort="code")
    taken = {m.user_id for m in members}
    candidates = [u for u in get_user_model().objects.filter(profile__role=Role.EVALUATOR).order_by("username") if u.pk not in taken]
    return render(request, "effort/panel.html", {
        "panel": p, "members": members, "listing": listing, "conflicts": conflicts, "candidates": candidates,
        "kinds": EvaluatorKind.choices, "short": sum(1 for r in rows if len(r["evaluators"]) < 2),
        "types": [p.year.model.institution_types[c].title(get_language()) for c in p.type_codes if c in p.year.model.institution_types],
        "can_act": role_of(request.user) == Role.ADMIN})


@require_POST
@require_role(Role.ADMIN)
def panel_member(request, panel_id: int):
    p = get_object_or_404(Panel, pk=panel_id)
    user_id = request.POST.get("user", "")
    user = get_user_model().objects.filter(pk=user_id).first() if (user_id := plain_int(user_id)) is not None else None
    try:
        if request.POST.get("action") == "remove":
            moved = assignments.remove_member(p, request.user, user, request.POST.get("reason", ""))
            messages.success(request, _("평가위원을 평가단에서 뺐습니다 (맡던 기관 %(n)s곳은 다른 평가위원에게)") % {"n": moved})
        else:
            assignments.add_member(p, request.user, user, request.POST.get("kind", ""), chair=request.POST.get("chair") == "1")
            messages.success(request, _("평가위원을 평가단에 넣었습니다"))
    except services.EffortError as exc:
        _problems(request, exc)
    return redirect("effort:panel", panel_id=p.pk)


@require_POST
@require_role(Role.ADMIN)
def panel_assign(request, panel_id: int):
    p = get_object_or_404(Panel.objects.select_related("year"), pk=panel_id)
    try:
        done = assignments.run_assignment(p, request.user)
    except services.EffortError as exc:
        messages.error(request, _("배정하지 않았습니다. 아래 기관에 이해충돌이 없는 평가위원이 부족합니다"))
        _problems(request, exc)
    else:
        messages.success(request, _("기관 %(n)s곳에 평가위원을 배정했습니다 (새 배정 %(added)s건)") % {
            "n": done["institutions"], "added": done["added"]})
    return redirect("effort:panel", panel_id=p.pk)


def _chaired(user):
    return list(Panel.objects.filter(members__user=user, members__chair=True))


@require_role(Role.ADMIN, Role.EVALUATOR)
def reconciliation(request):
    """Indicators whose two scores differ beyond the gap: administrators see all of the
    year; a panel chair sees their panel's (an evaluator who chairs none: 403)."""
    year = chosen_year(request)
    is_admin = role_of(request.user) == Role.ADMIN
    scope = None
    if not is_admin:
        chaired = [p for p in _chaired(request.user) if year is None or p.year_id == year.pk]
        if not _chaired(request.user):
            raise PermissionDenied("평가단장만 조정합니다")
        codes = {c for p in chaired for c in p.type_codes}
        tied = Tie.objects.filter(user=request.user).values_list("institution_id", flat=True)
        scope = year.institutions.filter(type_code__in=codes).exclude(pk__in=tied) if year else Institution.objects.none()
    items = evaluation.reconciliation_queue(year, scope) if year else []
    if not is_admin:  # a chair does not settle a disagreement they are part of
        items = [i for i in items if request.user.pk not in {s.user_id for s in i.scores}]
    indicators = sorted({(i.indicator.code, f"{i.indicator.code} {i.indicator.title(get_language())}") for i in items})
    type_names = year.model.institution_types if year else {}
    types = sorted({(i.institution.type_code, type_names[i.institution.type_code].title(get_language()) if i.institution.type_code in type_names
                     else i.institution.type_code) for i in items})
    listing = paged_list(request, items, text=lambda i: f"{i.institution.code} {i.institution.name} {i.indicator.code} {i.indicator.name}",
                         filters=[Filter("indicator", _("지표"), indicators, lambda i, v: i.indicator.code == v),
                                  Filter("type", _("기관유형"), types, lambda i, v: i.institution.type_code == v)],
                         sorts={"code": (_("기관코드"), lambda i: i.institution.code),
                                "difference": (_("점수 차이"), lambda i: i.difference)}, default_sort="code")
    for item in listing.page:
        item.rows = [(s, item.indicator.level(s.level)) for s in item.scores]
    return render(request, "effort/reconciliation.html", {"year": year, "listing": listing, "is_admin": is_admin})


@require_POST
@require_role(Role.ADMIN, Role.EVALUATOR)
def reconcile(request, institution_id: int):
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    if not evaluation.may_reconcile(request.user, body):
        raise PermissionDenied("조정 권한이 없습니다")
    try:
        evaluation.reconcile(body, request.POST.get("indicator", "")[:32], request.user,
                             level=request.POST.get("level", "")[:16], reason=request.POST.get("reason", ""))
    except services.EffortError as exc:
        _problems(request, exc)
    else:
        messages.success(request, _("조정 결과를 기록했습니다"))
    back = request.POST.get("back", "")
    if back == "queue":
        return redirect(reverse("effort:reconciliation") + f"?year={body.year.year}")
    return redirect("effort:institution", institution_id=body.pk) if role_of(request.user) == Role.ADMIN \
        else redirect("effort:reconciliation")


def pairs_for_admin(body, framework):
    """Indicator code -> the assigned evaluators' scores (administrators' page)."""
    assigned = list(Assignment.objects.filter(institution=body).select_related("user"))
    scores: dict[str, list] = {}
    for s in EvaluatorScore.objects.filter(institution=body, user_id__in=[a.user_id for a in assigned]).select_related("user"):
        scores.setdefault(s.indicator, []).append(s)
    return assigned, scores

