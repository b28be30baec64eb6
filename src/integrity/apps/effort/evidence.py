"""청렴노력도 evidence files (증빙자료): who may see them, adding one to an indicator's
report (while the report may still change) or to an objection, removing one."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of
from integrity.apps.audit.services import record
from integrity.apps.rosters.services import cipher
from integrity.files.evidence import EvidenceRejected, allowed_text, check_evidence
from integrity.web.encrypted_files import EncryptedStore

from .models import EvidenceFile

store = EncryptedStore("INTEGRITY_EFFORT_EVIDENCE_DIR")


def own_institution(user):
    """The institution a liaison or its integrity team (기관 청렴팀) acts for, while its
    year is open to institutions; else None."""
    if role_of(user) not in (Role.LIAISON, Role.INTEGRITY_TEAM):
        return None
    profile = getattr(user, "profile", None)
    institution = getattr(profile, "institution", None)
    return institution if institution is not None and institution.year.open_to_liaisons else None


def can_see_effort_evidence(user, institution) -> bool:
    """The one check for reading an institution's 청렴노력도 evidence: its own liaison and
    integrity team, administrators, and the evaluators assigned to score it (without a
    declared tie: effort.assignments.is_assigned)."""
    from .assignments import is_assigned

    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.EVALUATOR:
        return is_assigned(user, institution)
    own = own_institution(user)
    return own is not None and own.pk == institution.pk


def allowed_kinds() -> tuple[str, ...]:
    return tuple(settings.INTEGRITY_EFFORT_EVIDENCE_TYPES)


def allowed_label() -> str:
    return allowed_text(allowed_kinds())


def _indicator(institution, code: str):
    framework = institution.year.model.effort
    ind = next((i for i in framework.indicators if i.code == code), None) if framework else None
    if ind is None:
        raise EvidenceRejected(f"지표 '{code[:32]}'가 이 해의 청렴노력도 지표가 아닙니다")
    return ind


def add_file(institution, indicator: str, name: str, data: bytes, user, *, objection=None) -> EvidenceFile:
    """Check and store one file. Report evidence: only while the report may change
    (``services.editable``) and up to INTEGRITY_EFFORT_EVIDENCE_PER_INDICATOR per indicator."""
    from .services import editable

    ind = _indicator(institution, indicator)
    if objection is None:
        if not editable(institution):
            raise EvidenceRejected("제출했거나 제출 기한이 지나 증빙자료를 바꿀 수 없습니다")
        limit = settings.INTEGRITY_EFFORT_EVIDENCE_PER_INDICATOR
        if EvidenceFile.objects.filter(institution=institution, indicator=ind.code, objection=None).count() >= limit:
            raise EvidenceRejected(f"{ind.code} {ind.name}: 증빙자료는 지표마다 {limit}개까지 올릴 수 있습니다")
    accepted = check_evidence(name, data, settings.INTEGRITY_EFFORT_EVIDENCE_MAX_BYTES, allowed_kinds(), allowed_label())
    stored = store.save(data)
    try:
        with transaction.atomic():
            evidence = EvidenceFile.objects.create(
                institution=institution, indicator=ind.code, objection=objection, file_type=accepted.kind,
                name_enc=cipher().encrypt(accepted.name), size=len(data), stored_name=stored,
                uploaded_by=user if user is not None and user.is_authenticated else None)
            record(user, "effort.evidence_added", institution,
                   f"{institution.name} {ind.code} 증빙자료 ({accepted.kind}, {len(data):,}바이트)",
                   indicator=ind.code, evidence=evidence.pk, objection=objection.pk if objection else None)
    except Exception:
        store.remove(stored)  # no file without its row
        raise
    return evidence


def remove_file(evidence: EvidenceFile, user) -> None:
    from .services import editable

    if evidence.objection_id is not None or not editable(evidence.institution):
        raise EvidenceRejected("제출했거나 제출 기한이 지나 증빙자료를 바꿀 수 없습니다")
    with transaction.atomic():
        record(user, "effort.evidence_removed", evidence.institution,
               f"{evidence.institution.name} {evidence.indicator} 증빙자료 삭제", indicator=evidence.indicator)
        evidence.delete()


def original_name(evidence: EvidenceFile) -> str:
    return cipher().decrypt(evidence.name_enc) or "증빙"


def files_by_indicator(institution) -> dict[str, list[dict]]:
    """The report's evidence (not an objection's), per indicator, with the original names."""
    out: dict[str, list[dict]] = {}
    for e in EvidenceFile.objects.filter(institution=institution, objection=None):
        out.setdefault(e.indicator, []).append({"file": e, "name": original_name(e)})
    return out


def forget_file(sender, instance: EvidenceFile, **kwargs) -> None:
    """post_delete: remove the encrypted file once the deletion is committed."""
    name = instance.stored_name
    transaction.on_commit(lambda: store.remove(name))
