"""Opening a credibility-violation case from what an on-site check or the cross-check
found: one action, the sanction within the model's table, audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integrity.apps.audit.services import record

from .models import CredibilityCase


@dataclass
class Proposal:
    """The administrator's choice on the confirmation page."""

    violation: str
    points: float | None
    grade_down: int
    void: bool
    note: str


def proposal_from(post, errors: dict) -> Proposal:
    """Read the confirmation form; faults go into ``errors`` (field -> Korean message)."""
    def number(name, kind):
        text = (post.get(name) or "").strip()
        if not text:
            return None
        try:
            return kind(text)
        except ValueError:
            errors[name] = _("숫자로 적어 주세요")
            return None

    note = (post.get("note") or "").strip()
    if not note:
        errors["note"] = _("내용을 적어 주세요")
    elif len(note) > 300:
        errors["note"] = _("내용은 300자까지 적을 수 있습니다")
    grade_down = number("grade_down", int) or 0
    if grade_down < 0:
        errors["grade_down"] = _("0 이상이어야 합니다")
    return Proposal(violation=(post.get("violation") or "").strip(), points=number("points", float),
                    grade_down=max(grade_down, 0), void=post.get("void") in ("1", "on", "true"), note=note[:300])


def open_case(link, *, year, institution, proposal: Proposal, source: str, actor, action: str) -> CredibilityCase:
    """Create the case and tie it to ``link`` (an OnsiteCheck or a Finding) at once.
    Raises ValidationError (the model's sanction table) or a ValueError when the link
    already has a case."""
    case = CredibilityCase(year=year, institution=institution, violation=proposal.violation, points=proposal.points,
                           grade_down=proposal.grade_down, void=proposal.void, source=source[:100], note=proposal.note)
    case.full_clean()
    with transaction.atomic():
        locked = type(link).objects.select_for_update().get(pk=link.pk)
        if locked.credibility_case_id is not None:
            raise ValueError(_("이미 신뢰도 저해행위 사건이 열려 있습니다"))
        case.save()
        locked.credibility_case = case
        locked.save(update_fields=["credibility_case"])
        record(actor, action, case, f"{institution.name} {proposal.violation}: {proposal.note}"[:300],
               source=f"{link._meta.label}#{link.pk}", points=proposal.points, grade_down=proposal.grade_down,
               void=proposal.void)
    link.credibility_case = case
    return case


def messages_of(exc: ValidationError) -> dict:
    return {field: " ".join(str(m) for m in msgs) for field, msgs in exc.message_dict.items()}
