"""Evidence files of cases: who may see them, adding one, removing those past retention."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import liaison_institution, role_of
from integrity.apps.audit.services import record
from integrity.apps.rosters.services import cipher
from integrity.incidents.evidence import Accepted, check_evidence
from integrity.web import encrypted_files

from . import evidence_store
from .models import Case, Evidence


def may_handle(user, case: Case) -> bool:
    """Administrators: every case; a liaison: the cases of its own institution (open year)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.LIAISON:
        own = liaison_institution(user)
        return own is not None and own.pk == case.institution_id
    return False


def read_upload(uploaded) -> bytes:
    """The uploaded file's bytes, reading no further than one byte past the evidence limit."""
    return encrypted_files.read_upload(uploaded, settings.INTEGRITY_EVIDENCE_MAX_BYTES)


def add_evidence(case: Case, kind: str, name: str, data: bytes, user) -> Evidence:
    accepted: Accepted = check_evidence(name, data, settings.INTEGRITY_EVIDENCE_MAX_BYTES)
    stored = evidence_store.save(data)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                case=case, kind=kind, file_type=accepted.kind, name_enc=cipher().encrypt(accepted.name),
                size=len(data), stored_name=stored, uploaded_by=user if user.is_authenticated else None)
            record(user, "evidence.added", evidence, f"{case} 증빙 {evidence.get_kind_display()} ({accepted.kind}, "
                   f"{len(data):,}바이트)", case=case.pk)
    except Exception:
        evidence_store.remove(stored)  # no file without its row
        raise
    return evidence


def original_name(evidence: Evidence) -> str:
    return cipher().decrypt(evidence.name_enc) or "증빙"


def expired(now=None):
    cutoff = (now or timezone.now()) - timedelta(days=settings.INTEGRITY_EVIDENCE_RETENTION_DAYS)
    return Evidence.objects.filter(uploaded_at__lt=cutoff)


def purge_expired(now=None, *, dry_run: bool = False) -> int:
    """Remove the files (and rows) kept longer than INTEGRITY_EVIDENCE_RETENTION_DAYS."""
    old = list(expired(now).select_related("case__institution"))
    if dry_run or not old:
        return len(old)
    with transaction.atomic():
        Evidence.objects.filter(pk__in=[e.pk for e in old]).delete()
        record(None, "evidence.purged", "incidents.Evidence",
               f"보존기간({settings.INTEGRITY_EVIDENCE_RETENTION_DAYS}일)이 지난 증빙 파일 {len(old)}건 삭제", count=len(old))
    return len(old)  # the files go with their rows (forget_file)


def forget_file(sender, instance: Evidence, **kwargs) -> None:
    """post_delete: remove the encrypted file once the deletion is committed."""
    name = instance.stored_name
    transaction.on_commit(lambda: evidence_store.remove(name))
