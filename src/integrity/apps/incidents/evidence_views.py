"""Evidence files of a case: listed and uploaded by an administrator or the case's own
liaison, downloaded only by them, always as an attachment that no browser sniffs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.audit.services import record
from integrity.incidents.evidence import ALLOWED_TEXT, KINDS, EvidenceRejected
from integrity.web.encrypted_files import attachment

from . import evidence_store
from .evidence import add_evidence, may_handle, original_name, read_upload
from .models import Case, Evidence, EvidenceKind


def _case_for(request, case_id: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("institution", "year"), pk=case_id)
    if not may_handle(request.user, case):  # another body's case, or a role without evidence
        raise PermissionDenied(_("이 사건의 증빙 파일을 볼 권한이 없습니다"))
    return case


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMIN, Role.LIAISON)
def case_evidence(request, case_id: int):
    case = _case_for(request, case_id)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        uploaded = request.FILES.get("file")
        if kind not in EvidenceKind.values:
            messages.error(request, _("증빙 종류를 고르세요"))
        elif uploaded is None:
            messages.error(request, _("올릴 파일을 고르세요"))
        else:
            try:
                add_evidence(case, kind, uploaded.name, read_upload(uploaded), request.user)
            except EvidenceRejected as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("증빙 파일을 올렸습니다"))
        return redirect("incidents:evidence", case_id=case.pk)
    files = [{"evidence": e, "name": original_name(e)} for e in case.evidence.all()]
    return render(request, "incidents/evidence.html", {
        "case": case, "files": files, "kinds": EvidenceKind.choices, "allowed": ALLOWED_TEXT,
        "accept": ",".join(f".{x}" for exts, _m in KINDS.values() for x in exts)})


@require_role(Role.ADMIN, Role.LIAISON)
def download_evidence(request, evidence_id: int):
    evidence = get_object_or_404(Evidence.objects.select_related("case__institution"), pk=evidence_id)
    _case_for(request, evidence.case_id)
    try:
        data = evidence_store.read(evidence.stored_name)
    except FileNotFoundError as exc:
        raise Http404(_("파일이 보존기간이 지나 삭제되었거나 없습니다")) from exc
    response = attachment(data, original_name(evidence), KINDS[evidence.file_type][1])
    record(request.user, "evidence.downloaded", evidence, f"{evidence.case} 증빙 내려받음")
    return response
