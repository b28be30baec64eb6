from django.shortcuts import redirect

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of


def home(request):
    """Each role starts where its work is."""
    role = role_of(request.user)
    if role in (Role.ADMIN, Role.ANALYST, Role.LIAISON):
        return redirect("rosters:index")
    if role == Role.INTEGRITY_TEAM:
        return redirect("programme:index")
    if role == Role.INTERVIEWER:
        return redirect("fieldwork:calls")
    if role == Role.SECRETARIAT:
        return redirect("clusters:index")
    return redirect("results:list")
