"""A replaced draw takes its open links with it.

Its unanswered invitations are withdrawn: never sent, their links answer with a
polite "withdrawn" page, answers in progress are dropped, and their calls leave the
call lists. Questionnaires already completed on it are kept: they are real answers
of people drawn by the rules, the quota has counted them, and once released they
cannot be told apart from other responses (that is the anonymity promise), so
setting them aside would be possible only for those still waiting — we keep all
alike. The redraw's confirmation says how many there are."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import CallAssignment, Invitation, InvitationStatus


def draw_summary(draw) -> dict:
    """What a redraw would do to this draw's fieldwork."""
    counts = Invitation.objects.filter(member__draw=draw).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(used=True)),
        open=Count("id", filter=Q(used=False) & ~Q(status=InvitationStatus.WITHDRAWN)),
    )
    return counts


def withdraw_replaced_draw(sender, draw, **kwargs) -> None:
    """Handler of sampling's ``draw_replaced``, inside the redraw's transaction."""
    open_links = Invitation.objects.filter(member__draw=draw, used=False)
    CallAssignment.objects.filter(invitation__in=open_links).update(closed=True)
    open_links.update(status=InvitationStatus.WITHDRAWN, draft_enc=None)
