"""청렴노력도 evidence files: uploaded and removed by the institution's liaison or integrity
team while the report may change; downloaded by whoever ``can_see_effort_evidence`` admits,
always as an attachment that no browser sniffs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.apps.audit.services import record
from integrity.files.evidence import KINDS, EvidenceRejected
from integrity.web.encrypted_files import attachment, read_upload

from .evidence import add_file, can_see_effort_evidence, original_name, own_institution, remove_file, store
from .models import EvidenceFile


def _back(code: str = ""):
    return redirect(reverse("effort:mine") + (f"#ind-{code}" if code else ""))


@require_POST
@require_role(Role.LIAISON, Role.INTEGRITY_TEAM)
def upload(request):
    institution = own_institution(request.user)
    if institution is None:
        raise PermissionDenied(_("이 기관의 실적보고서를 고칠 권한이 없습니다"))
    code = request.POST.get("indicator", "")[:32]
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("올릴 파일을 고르세요"))
        return _back(code)
    from django.conf import settings

    try:
        add_file(institution, code, uploaded.name,
                 read_upload(uploaded, settings.INTEGRITY_EFFORT_EVIDENCE_MAX_BYTES), request.user)
    except EvidenceRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("증빙자료를 올렸습니다"))
    return _back(code)


@require_POST
@require_role(Role.LIAISON, Role.INTEGRITY_TEAM)
def delete(request, evidence_id: int):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("institution__year"), pk=evidence_id)
    institution = own_institution(request.user)
    if institution is None or institution.pk != evidence.institution_id:
        raise PermissionDenied(_("이 증빙자료를 지울 권한이 없습니다"))
    try:
        remove_file(evidence, request.user)
    except EvidenceRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("증빙자료를 지웠습니다"))
    return _back(evidence.indicator)


@require_role(Role.ADMIN, Role.EVALUATOR, Role.LIAISON, Role.INTEGRITY_TEAM)
def download(request, evidence_id: int):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("institution__year"), pk=evidence_id)
    if not can_see_effort_evidence(request.user, evidence.institution):
        raise PermissionDenied(_("이 기관의 증빙자료를 볼 권한이 없습니다"))
    try:
        data = store.read(evidence.stored_name)
    except FileNotFoundError as exc:
        raise Http404(_("파일이 없습니다")) from exc
    record(request.user, "effort.evidence_downloaded", evidence.institution,
           f"{evidence.institution.name} {evidence.indicator} 증빙자료 내려받음", evidence=evidence.pk)
    return attachment(data, original_name(evidence), KINDS[evidence.file_type][1])
