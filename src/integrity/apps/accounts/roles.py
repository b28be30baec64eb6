"""Who may do what. Views call these; nothing else decides access."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def liaison_institution(user):
    """The institution a liaison may see, only while its year is open to liaisons."""
    if role_of(user) != Role.LIAISON:
        return None
    institution = user.profile.institution
    return institution if institution.year.open_to_liaisons else None


def can_view_institution(user, institution) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.ANALYST):
        return True
    if role == Role.LIAISON:
        own = liaison_institution(user)
        return own is not None and own.pk == institution.pk
    return False


def can_upload(user, institution) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.LIAISON and can_view_institution(user, institution)


def require_role(*roles):
    """Anonymous users go to the login page; signed-in users without the role get 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                raise PermissionDenied("이 화면을 볼 권한이 없습니다")
            return view(request, *args, **kwargs)
        return wrapped
    return decorator
