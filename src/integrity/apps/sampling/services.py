"""Drawing samples from accepted rosters, reproducibly and on the record."""

from __future__ import annotations

import secrets

import numpy as np
from django.db import transaction
from django.utils import timezone

from integrity.apps.audit.services import record
from integrity.apps.rosters.models import RosterUpload, UploadStatus
from integrity.rosters import get_form
from integrity.sampling import draw_per_group

from .models import Draw, DrawMember
from .signals import draw_replaced


# Uploads the residents app makes for its draws from a panel (panel_resident, panel_parent):
# drawn there, by stratum, never here.
PANEL_PREFIX = "panel_"


class AlreadyDrawn(Exception):
    pass


def wanted_for(upload: RosterUpload, eligible: int) -> int:
    """External rosters: the task's quota times the model's sample multiple (census:
    all); other lists are surveyed whole (the internal list is already selected)."""
    task = upload.task
    if task is None or task.census:
        return eligible
    return min(eligible, task.quota * upload.institution.year.model.fieldwork.sample_multiple)


def eligible_entries(upload: RosterUpload) -> list[int]:
    """Entry ids in row order: the order a recomputation must use too."""
    return list(upload.entries.filter(excluded=False).order_by("row_number").values_list("pk", flat=True))


def recompute(draw: Draw) -> list[tuple[int, int]]:
    """(entry id, contact order) as the stored seed gives them, for checking a draw."""
    ids = np.asarray(eligible_entries(draw.upload), dtype=np.int64)
    chosen, order = draw_per_group(np.zeros(len(ids), dtype=np.int64), np.array([draw.wanted]), draw.seed)
    return sorted(zip(ids[chosen].tolist(), order.tolist()))


@transaction.atomic
def draw_sample(upload: RosterUpload, actor, *, reason: str = "", seed: int | None = None) -> Draw:
    if upload.status != UploadStatus.ACCEPTED or upload.form_code.startswith(PANEL_PREFIX):
        raise AlreadyDrawn("접수된 명부에서만 추출할 수 있습니다 (주민·학부모는 주민·학부모 화면에서 추출합니다)")
    upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
    active = upload.draws.filter(superseded_at__isnull=True).first()
    if active and not reason.strip():
        raise AlreadyDrawn("이미 추출한 명부입니다. 다시 추출하려면 사유를 적어야 하며, 이전 추출도 기록으로 남습니다")
    if active:
        active.superseded_at = timezone.now()
        active.superseded_reason = reason.strip()[:300]
        active.save(update_fields=["superseded_at", "superseded_reason"])
        draw_replaced.send(sender=Draw, draw=active)  # its open links are withdrawn with it
    ids = np.asarray(eligible_entries(upload), dtype=np.int64)
    wanted = wanted_for(upload, len(ids))
    seed = secrets.randbits(63) if seed is None else seed
    chosen, order = draw_per_group(np.zeros(len(ids), dtype=np.int64), np.array([wanted]), seed)
    draw = Draw.objects.create(
        upload=upload, method="random_per_task" if upload.task_id else "whole_list", seed=seed,
        parameters={"form": upload.form_code, "task": upload.task.code if upload.task else None,
                    "quota": upload.task.quota if upload.task else None, "census": bool(upload.task and upload.task.census)},
        wanted=wanted, drawn=len(chosen), eligible=len(ids), created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    DrawMember.objects.bulk_create(
        [DrawMember(draw=draw, entry_id=int(e), contact_order=int(o)) for e, o in zip(ids[chosen], order)], batch_size=5000
    )
    title = get_form(upload.form_code).title + (f" · {upload.task.name}" if upload.task else "")
    action = "sample.redrawn" if active else "sample.drawn"
    record(actor, action, draw, f"{upload.institution.name} {title}: {len(chosen):,}/{len(ids):,}명 추출 (씨앗 {seed})",
           seed=seed, wanted=wanted, eligible=len(ids), replaced=active.pk if active else None, reason=reason)
    return draw


def undrawn_uploads(year) -> list[RosterUpload]:
    """Accepted rosters of the year without an active draw, but for district offices the
    year's rotation leaves out (registry.MeasurementRotation)."""
    drawn = Draw.objects.filter(superseded_at__isnull=True).values("upload_id")
    return list(RosterUpload.objects.filter(institution__year=year, status=UploadStatus.ACCEPTED)
                .exclude(pk__in=drawn).exclude(form_code__startswith=PANEL_PREFIX)
                .exclude(institution__rotation__measured=False)
                .select_related("institution__year", "task").order_by("pk"))


def draw_year(year, actor, progress=None) -> list[Draw]:
    uploads = undrawn_uploads(year)
    draws = []
    for i, upload in enumerate(uploads, start=1):
        draws.append(draw_sample(upload, actor))
        if progress:
            progress(i, len(uploads))
    return draws
