"""Who may work on an institution's programme: its integrity team (every year) and its
liaison (while the liaison's year is open to liaisons), by institution code;
administrators on every institution; analysts read everything and change nothing."""

from __future__ import annotations

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import liaison_institution, role_of

ROLES = (Role.ADMIN, Role.ANALYST, Role.LIAISON, Role.INTEGRITY_TEAM)


def own_code(user) -> str | None:
    """The institution code a team or a liaison works on; None for other roles (and for a
    liaison whose year is closed)."""
    role = role_of(user)
    if role == Role.INTEGRITY_TEAM:
        return user.profile.institution.code
    if role == Role.LIAISON:
        own = liaison_institution(user)
        return own.code if own is not None else None
    return None


def may_change(user, code: str) -> bool:
    if role_of(user) == Role.ADMIN:
        return True
    return own_code(user) == code


def may_read(user, code: str) -> bool:
    return role_of(user) == Role.ANALYST or may_change(user, code)
