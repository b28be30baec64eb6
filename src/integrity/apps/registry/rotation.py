"""The year's rotation of bodies measured within a parent (교육지원청 순환 측정), stored.

The choice itself is the pure ``integrity.registry.rotation.choose``; this stores it per
year (all or nothing, logged) and reads it back for sampling and scoring."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from integrity.apps.audit.services import record
from integrity.registry.rotation import choose

from .models import AssessmentYear, Institution, MeasurementRotation


class RotationProblem(ValueError):
    """The registry cannot be rotated as it stands (Korean message naming the body)."""


@dataclass(frozen=True)
class RotationSummary:
    bodies: int
    measured: int
    parents: int
    position: int | None


def rotating_types(year: AssessmentYear) -> dict:
    return {t.code: t for t in year.model.institution_types.values() if t.rotation is not None}


def _previous_groups(year: AssessmentYear) -> dict[str, int]:
    """Groups of the year before (by body code), so that a changed registry keeps the cycle."""
    rows = MeasurementRotation.objects.filter(institution__year__year=year.year - 1, cycle_group__isnull=False)
    return dict(rows.values_list("institution__code", "cycle_group"))


@transaction.atomic
def set_rotation(year: AssessmentYear, actor=None) -> RotationSummary:
    """Choose and store which district offices are measured this year (replacing a
    previous choice of the same year). Same registry and model -> same choice."""
    types = rotating_types(year)
    MeasurementRotation.objects.filter(institution__year=year).delete()
    previous = _previous_groups(year)
    rows, position, parents = [], None, set()
    for t in types.values():
        bodies = list(year.institutions.filter(type_code=t.code).select_related("supervisor").order_by("code"))
        for body in bodies:
            if body.supervisor is None or body.supervisor.type_code != t.measured_within:
                raise RotationProblem(f"{body.name}({body.code}): 상급기관이 {year.model.institution_types[t.measured_within].name}이 "
                                      f"아닙니다. 등록부에서 상급기관을 정해 주세요")
        by_code = {b.code: b for b in bodies}
        for choice in choose(t.rotation, [(b.code, b.supervisor.code) for b in bodies], year.year, previous):
            body = by_code[choice.body]
            parents.add(body.supervisor_id)
            position = choice.position
            rows.append(MeasurementRotation(
                institution=body, parent=body.supervisor, measured=choice.measured, rule=choice.rule,
                cycle_group=choice.group, cycle_position=choice.position, cycle_years=t.rotation.cycle_years,
                set_by=actor if actor is not None and actor.is_authenticated else None))
    MeasurementRotation.objects.bulk_create(rows)
    summary = RotationSummary(bodies=len(rows), measured=sum(r.measured for r in rows), parents=len(parents), position=position)
    record(actor, "registry.rotation_set", year,
           f"{year} 교육지원청 순환 측정: {summary.bodies}곳 중 {summary.measured}곳 측정 (상급기관 {summary.parents}곳)",
           measured=summary.measured, bodies=summary.bodies)
    return summary


def not_measured_codes(year: AssessmentYear) -> set[str]:
    """Codes of the bodies the stored rotation leaves out this year (none when no rotation
    has been set: then every district office counts)."""
    return set(MeasurementRotation.objects.filter(institution__year=year, measured=False)
               .values_list("institution__code", flat=True))


def rotation_rows(year: AssessmentYear) -> list[MeasurementRotation]:
    return list(MeasurementRotation.objects.filter(institution__year=year).select_related("institution", "parent"))


def unrotated(year: AssessmentYear) -> list[Institution]:
    """District offices of the year without a stored choice (registry changed since)."""
    return list(year.institutions.filter(type_code__in=list(rotating_types(year)), rotation__isnull=True).order_by("code"))
