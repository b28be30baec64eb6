"""Roles: administrators see everything; liaisons only their own institution in a
year open to them; interviewers only their call lists; analysts read only. Evaluators
score the 청렴노력도 of the institutions assigned to them; a cluster secretariat runs
its integrity clusters; an institution's integrity team works on its own programme
(targets, plans, 청렴신문고 cases) in every year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("관리자")
    LIAISON = "liaison", _("기관 담당자")
    INTERVIEWER = "interviewer", _("전화조사원")
    ANALYST = "analyst", _("분석가(읽기 전용)")
    EVALUATOR = "evaluator", _("평가위원")
    SECRETARIAT = "secretariat", _("클러스터 사무국")
    INTEGRITY_TEAM = "integrity_team", _("기관 청렴팀")


# Roles that act for one institution and so must name it.
INSTITUTION_ROLES = ("liaison", "integrity_team")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("역할"), max_length=16, choices=Role.choices)
    institution = models.ForeignKey("registry.Institution", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="liaisons", verbose_name=_("담당 기관"))

    class Meta:
        verbose_name = _("사용자 역할")
        verbose_name_plural = _("사용자 역할")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=INSTITUTION_ROLES) | models.Q(institution__isnull=False),
                name="liaison_has_institution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AccountGuard(models.Model):
    """Failed sign-ins of one user name over all addresses (accounts.guard): guesses
    spread over many addresses slow down, and the owner is told."""

    username_key = models.CharField(max_length=64, unique=True)  # keyed hash of the name typed
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    notified_at = models.DateTimeField(null=True)
    known_sources = models.JSONField(default=list)  # hashed networks the owner signed in from
