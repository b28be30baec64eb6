from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.registry.models import AssessmentYear
from integrity.apps.rosters.models import RosterUpload, UploadStatus

from . import services


@require_role(Role.ADMIN)
def index(request):
    year = AssessmentYear.objects.first()
    uploads = []
    if year:
        uploads = (RosterUpload.objects.filter(institution__year=year, status=UploadStatus.ACCEPTED)
                   .exclude(form_code__startswith=services.PANEL_PREFIX)
                   .select_related("institution", "task").prefetch_related("draws").order_by("institution__code", "form_code"))
    rows = [{"upload": u, "draw": next((d for d in u.draws.all() if d.superseded_at is None), None)} for u in uploads]
    return render(request, "sampling/index.html", {"year": year, "rows": rows})


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
    return redirect("sampling:index")


def _confirm_redraw(request, upload, active):
    """Before a redraw: what happens to the replaced draw's fieldwork (withdrawn links,
    answers kept), for the administrator to confirm."""
    from integrity.apps.fieldwork.withdrawal import draw_summary

    return render(request, "sampling/confirm_redraw.html", {
        "upload": upload, "draw": active, "summary": draw_summary(active), "reason": request.POST["reason"].strip()[:300],
    })
