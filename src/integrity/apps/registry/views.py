from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import require_role
from integrity.rosters import RosterRejected, get_form
from integrity.rosters.template import build_workbook

from .forms import RegistryImportForm
from .services import SHEETS, import_registry


@require_role(Role.ADMIN)
def import_view(request):
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            summary = import_registry(year, form.cleaned_data["file"].read(), form.cleaned_data["password"] or None, request.user)
        except RosterRejected as exc:
            problems = exc.problems
        else:
            messages.success(request, f"{year} 등록부를 반영했습니다: 기관 {summary.institutions}곳, 업무 {summary.tasks}개, "
                                      f"지방관서 {summary.offices}곳, 새 기관 담당자 계정 {summary.liaisons_created}개")
            if summary.missing_sheets:
                messages.warning(request, f"없는 시트: {', '.join(summary.missing_sheets)} (해당 자료는 반영하지 않았습니다)")
            return redirect("registry:import")
    return render(request, "registry/import.html", {"form": form, "problems": problems})


@require_role(Role.ADMIN)
def template(request):
    """One workbook with the four registry sheets."""
    data = build_workbook([get_form(code) for code in SHEETS])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, "측정대상기관_등록부_서식.xlsx")
    return response
