from django.shortcuts import redirect, render

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.registry.models import AssessmentYear
from integrity.exports import Column
from integrity.registry import regions

from .monitoring import fieldwork_rows

COLUMNS = [
    Column("institution__code", "기관코드"), Column("institution__name", "기관"), Column("task__name", "측정대상업무"),
    Column("survey", "설문"), Column("invited", "초대", "int"), Column("sent", "발송", "int"), Column("contacted", "접촉", "int"),
    Column("completed", "완료", "int"), Column("refused", "거절", "int"), Column("ineligible", "비해당", "int"),
    Column("rr1", "응답률 RR1", "percent", "AAPOR 응답률 1"), Column("ref1", "거절률 REF1", "percent", "AAPOR 거절률 1"),
    Column("con1", "접촉률 CON1", "percent", "AAPOR 접촉률 1"), Column("task__quota", "할당", "int"),
    Column("fill", "할당 충족", "percent"), Column("web", "웹", "int", "웹으로 완료"), Column("phone", "전화", "int", "전화로 완료"),
    Column("visit", "방문", "int", "방문 면접으로 완료(정책고객)"),
]


@require_role(Role.ADMIN, Role.ANALYST)
def index(request):
    year = AssessmentYear.objects.first()
    from integrity.web.listing import Filter, paged_list

    from integrity.web.charts import daily_columns, share_bars

    from .progress import by_type, completions_by_day

    rows = fieldwork_rows(year) if year else []
    totals = {k: sum(r[k] for r in rows) for k in ("invited", "completed", "refused", "contacted")}
    lowest = sorted((r for r in rows if r["task__quota"]), key=lambda r: r["fill"] or 0)[:25]
    chart = share_bars([(f"{r['institution__name']} · {r['task__name']}", r["fill"], f"{r['completed']:,}/{r['task__quota']:,}")
                        for r in lowest], "업무별 할당 충족률")
    types = by_type(year, rows) if year else []
    type_chart = share_bars([(t["name"], t["rr1"], f"{t['rr1']:.0%}" if t["rr1"] is not None else "–") for t in types
                             if t["invited"]], "기관유형별 응답률(RR1)")
    days = completions_by_day(year) if year else []
    day_chart = daily_columns(days, "날짜별 응답 완료", total=totals["invited"] or None)
    surveys = sorted({r["survey"] for r in rows})
    region_of = dict(year.institutions.values_list("code", "region")) if year else {}
    from .templatetags.survey_labels import survey_title

    listing = paged_list(
        request, rows, text=lambda r: f"{r['institution__code']} {r['institution__name']} {r['task__name'] or ''}",
        filters=[Filter("survey", "설문", [(s, survey_title(s)) for s in surveys], lambda r, v: r["survey"] == v),
                 Filter("region", "시·도", regions.choices(region_of.get(r["institution__code"], "") for r in rows),
                        lambda r, v: regions.keep(region_of.get(r["institution__code"], ""), v)),
                 Filter("fill", "할당", [("short", "할당 미달"), ("met", "할당 충족")],
                        lambda r, v: r["fill"] is not None and ((r["fill"] >= 1) == (v == "met")))],
        sorts={"name": ("기관", lambda r: r["institution__name"]), "rr1": ("RR1", lambda r: r["rr1"]),
               "fill": ("할당", lambda r: r["fill"]), "completed": ("완료", lambda r: r["completed"])})
    return render(request, "fieldwork/monitoring.html", {"year": year, "listing": listing, "totals": totals, "chart": chart,
                                                         "types": types, "type_chart": type_chart, "day_chart": day_chart})


@require_role(Role.ADMIN, Role.ANALYST)
def export(request):
    """The monitoring table as a workbook, through the one writer."""
    from integrity.apps.fieldwork.templatetags.survey_labels import survey_title
    from integrity.web.downloads import download

    year = AssessmentYear.objects.first()

    def rows():
        for row in fieldwork_rows(year) if year else []:
            row = {**row, "survey": survey_title(row["survey"]), "web": row["modes"].get("web", 0),
                   "phone": row["modes"].get("phone", 0), "visit": row["modes"].get("visit", 0)}
            yield tuple(row.get(c.code) for c in COLUMNS)

    return download("xlsx", COLUMNS, rows(), f"현장조사_{year.year if year else ''}", sheet="현장조사")


@require_role(Role.ADMIN)
def signals(request):
    """The stored signals; a stale or missing snapshot is refreshed in the background
    (or at once on request), never computed while the page waits."""
    from . import signal_store

    year = AssessmentYear.objects.first()
    if year is None:
        return render(request, "fieldwork/signals.html", {"year": None})
    if request.method == "POST":
        signal_store.request_refresh(year, force=True)
        return redirect("monitoring:signals")
    snap = signal_store.snapshot(year)
    stale = signal_store.is_stale(snap, year)
    if stale:
        signal_store.request_refresh(year)
        snap.refresh_from_db()
    from django.utils.translation import gettext as _

    from integrity.web.listing import Filter, paged_list

    kinds = [("favour", _("호의적 응답 요청 신고")), ("careless", _("불성실 응답 과다")), ("burst", _("한 곳에서 몰린 응답"))]
    listing = paged_list(request, snap.signals, text=lambda s: f"{s.get('institution', '')} {s.get('evidence', '')}",
                         filters=[Filter("kind", _("종류"), kinds, lambda s, v: s.get("kind") == v)],
                         sorts={"institution": (_("기관코드"), lambda s: s.get("institution", ""))})
    return render(request, "fieldwork/signals.html", {"year": year, "snapshot": snap, "listing": listing, "stale": stale})
