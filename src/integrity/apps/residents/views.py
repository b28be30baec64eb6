"""Administrator screens: import a body's frame or panel, see the allocation per
stratum, run the draw, see its invitations. Administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_POST

from integrity import exports
from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.fieldwork.models import Invitation
from integrity.apps.registry.models import AssessmentYear, Institution
from integrity.apps.sampling.models import Draw
from integrity.web.downloads import download
from integrity.web.listing import Filter, paged_list

from . import services
from .forms import FrameImportForm
from .models import FrameImport, FrameKind, ImportStatus

SHOWN_PROBLEMS = 300
ALLOCATION_COLUMNS = [
    exports.Column("district", "시·군·구"), exports.Column("age_band", "연령대"), exports.Column("sex", "성별"),
    exports.Column("population", "인구수", "int"), exports.Column("exact", "정확한 몫", "float", "목표 응답 수 × 층 인구 / 전체 인구"),
    exports.Column("allocated", "배분", "int", "최대잉여법으로 나눈 목표 응답 수"),
    exports.Column("wanted", "추출 목표", "int", "배분 × 추출 배수"), exports.Column("available", "패널", "int", "층의 패널 인원"),
    exports.Column("drawn", "추출", "int", "현재 추출에서 뽑힌 인원"),
]
REPORT_COLUMNS = [exports.Column("row", "행", "int", "파일의 행 번호"), exports.Column("column", "열", meaning="파일의 열 이름"),
                  exports.Column("message", "내용", meaning="고칠 점")]


def _year():
    return AssessmentYear.objects.first()


def _group_names(year) -> dict[str, str]:
    rules = year.model.policy_customers if year else None
    return {code: g.title(get_language()) for code, g in rules.groups.items()} if rules else {}


@require_role(Role.ADMIN)
def index(request):
    year = _year()
    bodies = services.polling_bodies(year) if year else []
    imports = {}
    for f in FrameImport.objects.filter(institution__in=bodies, status=ImportStatus.ACCEPTED):
        imports[(f.institution_id, f.kind)] = f
    draws = {d.upload.institution_id: d for d in Draw.objects.filter(
        upload__institution__in=bodies, upload__form_code__startswith="panel_", superseded_at__isnull=True).select_related("upload")}
    invited = dict(Invitation.objects.filter(member__draw__in=draws.values()).values_list("institution_id")
                   .annotate(n=Count("id")).order_by())
    names = _group_names(year)
    rows = [{"body": b, "group": services.frame_group(b), "group_name": names.get(services.frame_group(b), ""),
             "frame": imports.get((b.pk, FrameKind.FRAME)), "panel": imports.get((b.pk, FrameKind.PANEL)),
             "draw": draws.get(b.pk), "invited": invited.get(b.pk, 0)} for b in bodies]
    state = {"none": lambda r: r["frame"] is None, "ready": lambda r: r["frame"] and r["panel"] and not r["draw"],
             "drawn": lambda r: r["draw"] is not None, "no_panel": lambda r: r["frame"] is not None and r["panel"] is None}
    listing = paged_list(
        request, rows, text=lambda r: f"{r['body'].code} {r['body'].name}",
        filters=[Filter("group", _("응답자 구분"), list(names.items()), lambda r, v: r["group"] == v),
                 Filter("state", _("진행 상태"), [("none", _("모집단 없음")), ("no_panel", _("패널 없음")),
                                               ("ready", _("추출 전")), ("drawn", _("추출함"))], lambda r, v: bool(state[v](r)))],
        sorts={"code": (_("기관코드"), lambda r: r["body"].code), "name": (_("기관"), lambda r: r["body"].name),
               "invited": (_("초대"), lambda r: r["invited"])}, default_sort="code")
    recent = FrameImport.objects.filter(institution__year=year).select_related("institution", "uploaded_by")[:10] if year else []
    return render(request, "residents/index.html", {
        "year": year, "listing": listing, "form": FrameImportForm(bodies=bodies), "recent": recent,
    })


@require_POST
@require_role(Role.ADMIN)
def import_frame(request):
    year = _year()
    bodies = services.polling_bodies(year) if year else []
    form = FrameImportForm(request.POST, request.FILES, bodies=bodies)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
        return redirect("residents:index")
    data = form.cleaned_data
    body = next(b for b in bodies if str(b.pk) == data["institution"])
    made = services.import_file(body, data["kind"], data["file"].read(), data["file"].name, data["password"] or None,
                                request.user)
    return redirect("residents:import_detail", import_id=made.pk)


def _import_for(import_id: int) -> FrameImport:
    return get_object_or_404(FrameImport.objects.select_related("institution"), pk=import_id)


@require_role(Role.ADMIN)
def import_detail(request, import_id: int):
    made = _import_for(import_id)
    return render(request, "residents/import_detail.html", {
        "made": made, "problems": made.problems[:SHOWN_PROBLEMS], "more": max(0, len(made.problems) - SHOWN_PROBLEMS),
    })


@require_role(Role.ADMIN)
def import_report(request, import_id: int):
    made = _import_for(import_id)
    summary = [("기관", made.institution.name), ("파일 종류", made.get_kind_display()), ("파일", made.filename),
               ("결과", made.get_status_display()), ("오류", len(made.problems))]
    summary += [("알림", n) for n in made.notices]
    rows = [(p.get("row") or None, p.get("column") or None, p["message"]) for p in made.problems]
    return download("xlsx", REPORT_COLUMNS, rows, f"모집단점검결과_{made.pk}", sheet="점검결과", preamble=summary)


def _body_for(institution_id: int) -> Institution:
    body = get_object_or_404(Institution.objects.select_related("year"), pk=institution_id)
    if services.frame_group(body) is None:
        raise Http404("주민·학부모를 조사하지 않는 기관입니다")
    return body


@require_role(Role.ADMIN)
def body(request, institution_id: int):
    institution = _body_for(institution_id)
    plan = services.body_plan(institution)
    rows = services.stratum_rows(plan)
    rules = institution.year.model.policy_customers
    districts = sorted({r["district"] for r in rows})
    listing = paged_list(
        request, rows, text=lambda r: f"{r['district']} {r['age_band']} {r['sex']}",
        filters=[Filter("district", _("시·군·구"), [(d, d) for d in districts], lambda r, v: r["district"] == v),
                 Filter("age", _("연령대"), [(a, a) for a in rules.age_bands], lambda r, v: r["age_band"] == v),
                 Filter("sex", _("성별"), [(s, s) for s in rules.sexes], lambda r, v: r["sex"] == v),
                 Filter("short", _("패널 부족"), [("1", _("부족한 층만"))], lambda r, v: r["short"])],
        sorts={"district": (_("시·군·구"), lambda r: r["district"]), "population": (_("인구수"), lambda r: r["population"]),
               "allocated": (_("배분"), lambda r: r["allocated"]), "available": (_("패널"), lambda r: r["available"])},
        default_sort="")
    counts = services.invitation_counts(plan.draw) if plan.draw else None
    totals = {"population": sum(r["population"] for r in rows), "allocated": sum(r["allocated"] for r in rows),
              "wanted": sum(r["wanted"] for r in rows), "available": sum(r["available"] for r in rows),
              "short": sum(1 for r in rows if r["short"])}
    return render(request, "residents/body.html", {
        "body": institution, "plan": plan, "listing": listing, "counts": counts, "totals": totals,
        "group_name": _group_names(institution.year).get(plan.group, plan.group),
    })


@require_POST
@require_role(Role.ADMIN)
def draw(request, institution_id: int):
    institution = _body_for(institution_id)
    try:
        made = services.draw_body(institution, request.user, reason=request.POST.get("reason", ""))
    except services.DrawRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s: %(n)s명을 추출하고 초대 %(i)s건을 만들었습니다 (씨앗 %(seed)s)") % {
            "name": institution.name, "n": f"{made.drawn:,}", "i": f"{made.panel_draw.invited:,}", "seed": made.seed})
    return redirect("residents:body", institution_id=institution.pk)


@require_role(Role.ADMIN)
def allocation_download(request, institution_id: int):
    institution = _body_for(institution_id)
    plan = services.body_plan(institution)
    rows = [tuple(r[c.code] for c in ALLOCATION_COLUMNS) for r in services.stratum_rows(plan)]
    summary = [("기관", institution.name), ("목표 응답 수", plan.sample_size), ("추출 배수", plan.multiple)]
    if plan.draw:
        summary += [("추출 씨앗", str(plan.draw.seed)), ("추출 인원", plan.draw.drawn)]
    return download("xlsx", ALLOCATION_COLUMNS, rows, f"층별배분_{institution.code}", sheet="층별배분", preamble=summary)
