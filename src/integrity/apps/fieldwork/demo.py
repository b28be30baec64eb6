"""Fieldwork for the demo: a fictional roster for one task, drawn and invited, and a
few invitations on the interviewer's call list."""

from __future__ import annotations

from datetime import timedelta

from integrity.apps.rosters.models import RosterEntry, RosterUpload, UploadStatus
from integrity.apps.rosters.services import cipher
from integrity.apps.sampling.services import draw_sample

from .models import CallAssignment, Channel, Invitation
from .services import invite_draw, link_for


def demo_fieldwork(institution, interviewer, people: int = 600) -> list[str]:
    task = institution.tasks.order_by("code").first()
    # The roster agrees with the rule the liaison's page shows: at least the quota times the multiple.
    if not task.census:
        people = max(people, task.quota * institution.year.model.fieldwork.roster_multiple)
    c = cipher()
    first_day = institution.year.model.fieldwork.experience_start  # inside the model's experience period
    upload = RosterUpload.objects.create(institution=institution, form_code="external", task=task, filename="demo.xlsx",
                                         file_sha256="0" * 64, status=UploadStatus.ACCEPTED, row_count=people)
    RosterEntry.objects.bulk_create([
        RosterEntry(upload=upload, institution=institution, task=task, form_code="external", row_number=i + 2,
                    name_enc=c.encrypt(f"가상민원인{i}"), phone_enc=c.encrypt(f"+82109{i:07d}"),
                    email_enc=c.encrypt(f"demo{i}@example.invalid"), phone_key=c.match_key(f"+82109{i:07d}"),
                    attributes={"experienced_on": (first_day + timedelta(days=i % 28)).isoformat(), "detail": "가상"})
        for i in range(people)
    ])
    invite_draw(draw_sample(upload, None))
    invitations = list(Invitation.objects.filter(institution=institution).order_by("pk"))
    for invitation in invitations[-5:]:
        Invitation.objects.filter(pk=invitation.pk).update(channel=Channel.PHONE)
        CallAssignment.objects.create(invitation=invitation, interviewer=interviewer)
    return [link_for(c.decrypt(i.token_enc)) for i in invitations[:3]]
