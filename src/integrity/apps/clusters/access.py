"""Who may see which cluster: administrators every one; a secretariat user the clusters it
is linked to (Cluster.secretariat_users); a member's liaison (open year) or integrity team
its clusters' online space; everyone the public pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from integrity.apps.accounts.models import Role
from integrity.apps.accounts.roles import liaison_institution, role_of

from .models import Cluster, Member, MemberKind


def may_manage(user, cluster: Cluster) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.SECRETARIAT and cluster.secretariat_users.filter(pk=user.pk).exists()


def member_code(user) -> str | None:
    """The registry code a member's staff acts for: a liaison's (while the year is open to
    liaisons) or an integrity team's institution."""
    role = role_of(user)
    if role == Role.LIAISON:
        own = liaison_institution(user)
        return own.code if own else None
    if role == Role.INTEGRITY_TEAM:
        return user.profile.institution.code
    return None


def _member_clusters(code: str):
    today = timezone.localdate()
    current = Member.objects.filter(kind=MemberKind.PUBLIC, institution_code=code, joined_on__lte=today).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=today))
    return Cluster.objects.filter(pk__in=current.values("cluster_id"))


def may_enter_space(user, cluster: Cluster) -> bool:
    if may_manage(user, cluster):
        return True
    code = member_code(user)
    return code is not None and _member_clusters(code).filter(pk=cluster.pk).exists()


def visible_clusters(user):
    """The clusters a signed-in user may open (manage or enter the space of)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return Cluster.objects.all()
    if role == Role.SECRETARIAT:
        return Cluster.objects.filter(secretariat_users=user)
    code = member_code(user)
    return _member_clusters(code) if code else Cluster.objects.none()
