"""Evidence files of incidents (징계의결서, 처분요구서 사본): the kinds this context takes;
the checks themselves are shared (integrity.files.evidence)."""

from __future__ import annotations

from integrity.files import evidence as _shared
from integrity.files.evidence import Accepted, EvidenceRejected, clean_name, extension, sniff

INCIDENT_KINDS = ("pdf", "png", "jpeg", "tiff", "hwp", "hwpx", "docx")
KINDS = {k: _shared.KINDS[k] for k in INCIDENT_KINDS}
ALLOWED_TEXT = "PDF, 그림(PNG·JPG·TIFF), 한글(HWP·HWPX), 워드(DOCX)"

__all__ = ["ALLOWED_TEXT", "Accepted", "EvidenceRejected", "INCIDENT_KINDS", "KINDS", "check_evidence", "clean_name",
           "extension", "sniff"]


def check_evidence(name: str, data: bytes, max_bytes: int) -> Accepted:
    return _shared.check_evidence(name, data, max_bytes, INCIDENT_KINDS, ALLOWED_TEXT)
