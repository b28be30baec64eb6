"""Quality signals, computed in the background and stored, so that the review page
reads one row instead of every response of the year on each visit."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Invitation, Response, SignalSnapshot
from .monitoring import quality_signals

STALE_AFTER = timedelta(hours=1)  # a snapshot older than this is refreshed in the background
REQUEST_GRACE = timedelta(minutes=10)  # a refresh asked for this recently is not asked again


def snapshot(year) -> SignalSnapshot:
    return SignalSnapshot.objects.get_or_create(year=year)[0]


def _completed(year) -> int:
    return Invitation.objects.filter(institution__year=year, used=True).count() or Response.objects.filter(
        institution__year=year).count()


def is_stale(snap: SignalSnapshot, year) -> bool:
    return snap.computed_at is None or snap.computed_at < timezone.now() - STALE_AFTER or snap.responses != _completed(year)


def request_refresh(year, *, force: bool = False) -> bool:
    """Queue a recomputation unless one was asked for a moment ago; True if queued."""
    from .tasks import compute_signals_task

    now = timezone.now()
    with transaction.atomic():
        snap = SignalSnapshot.objects.select_for_update().get(pk=snapshot(year).pk)
        if not force and snap.refresh_requested_at and snap.refresh_requested_at > now - REQUEST_GRACE:
            return False
        snap.refresh_requested_at = now
        snap.save(update_fields=["refresh_requested_at"])
    transaction.on_commit(lambda: compute_signals_task.enqueue(year.pk))
    return True


def compute(year) -> SignalSnapshot:
    """Read every response of the year and store the signals."""
    completed = _completed(year)
    found = [asdict(s) for s in quality_signals(year)]
    snap = snapshot(year)
    SignalSnapshot.objects.filter(pk=snap.pk).update(signals=found, computed_at=timezone.now(), responses=completed,
                                                     refresh_requested_at=None)
    snap.refresh_from_db()
    return snap
