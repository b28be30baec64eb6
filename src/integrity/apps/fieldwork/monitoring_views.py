import io

import xlsxwriter
from django.http import HttpResponse
from django.shortcuts import redirect, render

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.registry.models import AssessmentYear

from .monitoring import fieldwork_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [("institution__code", "기관코드"), ("institution__name", "기관"), ("task__name", "측정대상업무"), ("survey", "설문"),
           ("invited", "초대"), ("sent", "발송"), ("contacted", "접촉"), ("completed", "완료"), ("refused", "거절"),
           ("ineligible", "비해당"), ("rr1", "응답률 RR1"), ("ref1", "거절률 REF1"), ("con1", "접촉률 CON1"),
           ("task__quota", "할당"), ("fill", "할당 충족")]


@require_role(Role.ADMIN, Role.ANALYST)
def index(request):
    year = AssessmentYear.objects.first()
    rows = fieldwork_rows(year) if year else []
    totals = {k: sum(r[k] for r in rows) for k in ("invited", "completed", "refused", "contacted")}
    chart = sorted((r for r in rows if r["task__quota"]), key=lambda r: r["fill"] or 0)[:25]
    return render(request, "fieldwork/monitoring.html", {"year": year, "rows": rows, "totals": totals, "chart": chart})


@require_role(Role.ADMIN, Role.ANALYST)
def export(request):
    year = AssessmentYear.objects.first()
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("현장조사")
    bold = book.add_format({"bold": True, "bg_color": "#DDE7F5"})
    pct = book.add_format({"num_format": "0.0%"})
    sheet.write_row(0, 0, [label for _, label in COLUMNS] + ["웹", "전화"], bold)
    for r, row in enumerate(fieldwork_rows(year) if year else [], start=1):
        for c, (key, _) in enumerate(COLUMNS):
            value = row[key]
            if key in ("rr1", "ref1", "con1", "fill") and value is not None:
                sheet.write_number(r, c, value, pct)
            else:
                sheet.write(r, c, value)
        sheet.write(r, len(COLUMNS), row["modes"].get("web", 0))
        sheet.write(r, len(COLUMNS) + 1, row["modes"].get("phone", 0))
    book.close()
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''fieldwork.xlsx"
    return response


@require_role(Role.ADMIN)
def signals(request):
    """The stored signals; a stale or missing snapshot is refreshed in the background
    (or at once on request), never computed while the page waits."""
    from . import signal_store

    year = AssessmentYear.objects.first()
    if year is None:
        return render(request, "fieldwork/signals.html", {"year": None, "signals": []})
    if request.method == "POST":
        signal_store.request_refresh(year, force=True)
        return redirect("monitoring:signals")
    snap = signal_store.snapshot(year)
    stale = signal_store.is_stale(snap, year)
    if stale:
        signal_store.request_refresh(year)
        snap.refresh_from_db()
    return render(request, "fieldwork/signals.html", {"year": year, "snapshot": snap, "signals": snap.signals, "stale": stale})
