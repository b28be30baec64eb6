from django.shortcuts import redirect

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of


def home(request):
    """Each role starts where its work is."""
    if role_of(request.user) in (Role.ADMIN, Role.ANALYST, Role.LIAISON):
        return redirect("rosters:index")
    return redirect("results:list")
