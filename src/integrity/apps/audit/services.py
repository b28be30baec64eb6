"""One function writes the audit log; every service that changes rosters, samples,
incidents, scores or the registry calls it inside its own transaction."""

from __future__ import annotations

from .models import AuditEntry


def record(actor, action: str, target, summary: str, **details) -> AuditEntry:
    """``target`` is a model instance (or a label string for bulk actions)."""
    if isinstance(target, str):
        target_type, target_id = target, ""
    else:
        target_type, target_id = target._meta.label, str(target.pk)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, target_type=target_type, target_id=target_id, summary=summary[:300], details=details,
    )
