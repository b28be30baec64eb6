"""Who may handle which 청렴신문고 case and register: administrators every one; an
institution's integrity team (기관 청렴팀) those of its own institution — the same
body in every year, known by its code, since registry rows are per year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import role_of

HANDLERS = (Role.ADMIN, Role.INTEGRITY_TEAM)
STATISTICS_READERS = (Role.ADMIN, Role.ANALYST, Role.INTEGRITY_TEAM)


def own_code(user) -> str | None:
    """The code of the institution a team member works for; None for administrators
    (every institution) and for anyone else."""
    if role_of(user) == Role.INTEGRITY_TEAM:
        return user.profile.institution.code
    return None


def may_handle_institution(user, institution) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.INTEGRITY_TEAM and institution is not None and own_code(user) == institution.code


def check_institution(user, institution) -> None:
    if not may_handle_institution(user, institution):
        raise PermissionDenied("이 기관의 자료를 볼 권한이 없습니다")


def scope(queryset, user, field: str = "institution"):
    """The rows of ``queryset`` this user may handle."""
    role = role_of(user)
    if role == Role.ADMIN:
        return queryset
    if role == Role.INTEGRITY_TEAM:
        return queryset.filter(**{f"{field}__code": own_code(user)})
    return queryset.none()


def is_case_owner(user, report) -> bool:
    """Only the assigned handler sees a named reporter's identity."""
    return user.is_authenticated and report.assigned_to_id == user.pk
