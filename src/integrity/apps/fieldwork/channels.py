"""Which channel a link goes by (실시계획 II: the respondent chooses the survey mode).

The first message follows the roster's optional 선호 응답방식 column; without it, a
person with both an e-mail address and a mobile number gets the link both ways and
answers through whichever suits (one link, one response). Where the year's model
delivers mobile messages by messenger (2022+: 알림톡), a mobile number's link goes by
the messenger first and by text message where that fails (channel "mobile"; with
"both" the mobile half goes that way too); a roster that asks for 문자 keeps plain text. From the survey's first
page the respondent can have the link sent again the other way ("문자로 받기"), which
also becomes the channel of any reminder. The channel stays on the invitation: a
response records only its coarse mode (web, phone, visit)."""

from __future__ import annotations

from .models import Channel, Invitation, InvitationStatus

# The roster form's labels (forms.yaml, preferred_mode) -> channel.
PREFERRED = {"전자우편": Channel.EMAIL, "문자": Channel.SMS, "둘 다": Channel.BOTH}
MAX_MESSAGES = 6  # the first, two reminders and a few re-sends asked for from the link


def first_channel(entry, *, messenger: bool = False) -> str | None:
    """``messenger``: the year's model sends mobile messages by messenger (알림톡)."""
    has_email, has_phone = bool(entry.email_enc), bool(entry.phone_enc)
    wanted = PREFERRED.get((entry.attributes or {}).get("preferred_mode") or "")
    if wanted == Channel.EMAIL and has_email:
        return Channel.EMAIL
    if wanted == Channel.SMS and has_phone:
        return Channel.SMS
    if has_email and has_phone:
        return Channel.BOTH
    mobile = Channel.MOBILE if messenger else Channel.SMS
    return Channel.EMAIL if has_email else mobile if has_phone else None


def resend_by(invitation_pk: int, to: str) -> str:
    """Send the link again by ``to`` (email or sms), at the roster's address, and keep
    that channel. Returns what happened, as the page names it: "sent_sms",
    "sent_email", "no_phone", "no_email" or "too_many"."""
    from .sending import send

    if to not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(to)
    invitation = Invitation.objects.select_related("member__entry", "institution", "task").get(pk=invitation_pk)
    entry = invitation.member.entry
    if not (entry.phone_enc if to == Channel.SMS else entry.email_enc):
        return "no_phone" if to == Channel.SMS else "no_email"
    if invitation.sent_count >= MAX_MESSAGES:
        return "too_many"
    if invitation.status != InvitationStatus.PHONE:  # a phone request stays one for the call list
        Invitation.objects.filter(pk=invitation.pk).update(channel=to)
        invitation.channel = to
    else:
        invitation.channel = to  # this message only
    send([invitation])
    return f"sent_{to}"
