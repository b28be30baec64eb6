from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.rosters.models import RosterUpload, UploadStatus
from integrity.registry import regions
from integrity.rosters.forms import load_forms
from integrity.web.listing import Filter, paged_list

from . import services


@require_role(Role.ADMIN)
def index(request):
    year = AssessmentYear.objects.first()
    uploads = []
    if year:
        uploads = (RosterUpload.objects.filter(institution__year=year, status=UploadStatus.ACCEPTED)
                   .exclude(form_code__startswith=services.PANEL_PREFIX)
                   .select_related("institution", "task").prefetch_related("draws").order_by("institution__code", "form_code"))
    forms = load_forms()
    rows = [{"upload": u, "draw": next((d for d in u.draws.all() if d.superseded_at is None), None),
             "form": forms[u.form_code].title if u.form_code in forms else u.form_code} for u in uploads]
    listing = paged_list(
        request, rows,
        text=lambda r: f"{r['upload'].institution.code} {r['upload'].institution.name} {r['form']} "
                       f"{r['upload'].task.name if r['upload'].task else ''}",
        filters=[Filter("form", _("서식"), sorted({(r["upload"].form_code, r["form"]) for r in rows}),
                        lambda r, v: r["upload"].form_code == v),
                 Filter("drawn", _("추출"), [("yes", _("추출함")), ("no", _("추출 전"))],
                        lambda r, v: (r["draw"] is not None) == (v == "yes")),
                 Filter("region", _("시·도"), regions.choices(r["upload"].institution.region for r in rows),
                        lambda r, v: regions.keep(r["upload"].institution.region, v))],
        sorts={"institution": (_("기관"), lambda r: r["upload"].institution.name),
               "rows": (_("명부"), lambda r: r["upload"].row_count)})
    return render(request, "sampling/index.html", {"year": year, "listing": listing})


def _back(request):
    """The list as it was (search, filters, page) after a draw: its query string, re-encoded."""
    query = urlencode(parse_qsl(request.POST.get("back", "")[:500]))
    return reverse("sampling:index") + (f"?{query}" if query else "")


@require_POST
@require_role(Role.ADMIN)
def draw(request, upload_id: int):
    upload = get_object_or_404(RosterUpload, pk=upload_id)
    active = upload.draws.filter(superseded_at__isnull=True).first()
    if active and request.POST.get("reason", "").strip() and "confirm" not in request.POST:
        return _confirm_redraw(request, upload, active)
    try:
        made = services.draw_sample(upload, request.user, reason=request.POST.get("reason", ""))
    except services.AlreadyDrawn as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{upload.institution.name}: {made.drawn:,}명을 추출했습니다 (씨앗 {made.seed})")
    return redirect(_back(request))


def _confirm_redraw(request, upload, active):
    """Before a redraw: what happens to the replaced draw's fieldwork (withdrawn links,
    answers kept), for the administrator to confirm."""
    from integrity.apps.fieldwork.withdrawal import draw_summary

    return render(request, "sampling/confirm_redraw.html", {
        "upload": upload, "draw": active, "summary": draw_summary(active), "reason": request.POST["reason"].strip()[:300],
        "back": request.POST.get("back", "")[:500], "back_url": _back(request),
    })
