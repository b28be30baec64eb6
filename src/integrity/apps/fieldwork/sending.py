"""Sending invitations and reminders by e-mail (Django's mail backends), text message,
or a messenger (알림톡) with a text message where the messenger does not deliver."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from integrity.apps.registry.models import AssessmentYear
from integrity.apps.rosters.services import cipher
from integrity.surveys.pages import page_plan, question_count

from . import messenger
from .models import Channel, Invitation, InvitationStatus
from .services import link_for
from .sms import TextMessage, get_backend

SUBJECT = "[청렴도 측정] 설문에 참여해 주세요"
REMINDER_SUBJECT = "[청렴도 측정] 설문 참여를 다시 부탁드립니다"


def _body(invitation: Invitation, link: str, reminder: bool, minutes: int) -> str:
    about = invitation.institution.name + (f"의 '{invitation.task.name}' 업무" if invitation.task else "")
    first = "지난번에 보내 드린 설문에 아직 답하지 않으셨다면 잠시 시간을 내어 주세요.\n" if reminder else ""
    return (
        f"안녕하십니까. 국민권익위원회 공공기관 청렴도 측정입니다.\n{first}"
        f"{about}에 대한 설문(약 {minutes}분)에 참여해 주세요. 응답은 익명으로 처리됩니다.\n\n"
        f"설문 참여: {link}\n전화로 답하고 싶으시면: {link}phone/\n더 이상 받지 않으려면: {link}opt-out/\n"
    )


def _sms_body(invitation: Invitation, link: str, minutes: int) -> str:
    return f"[청렴도측정] {invitation.institution.name} 청렴도 설문(익명, {minutes}분) {link}"


def _minutes(model, invitation: Invitation) -> int:
    """About how long the questionnaire takes (as its first page says)."""
    pages = page_plan(model, invitation.survey, invitation.institution.type_code)
    return max(1, -(-question_count(pages) * settings.INTEGRITY_SECONDS_PER_QUESTION // 60))


def _template_message(invitation: Invitation, phone: str, link: str, reminder: bool,
                      minutes: int) -> messenger.TemplateMessage:
    variables = {"기관명": invitation.institution.name, "링크": link, "분": str(minutes)}
    return messenger.TemplateMessage(phone, "reminder" if reminder else "invitation", variables,
                                     fallback=_sms_body(invitation, link, minutes))


class _Models:
    """The model of each invitation's year, looked up once per year in a batch."""

    def __init__(self):
        self.by_year = {}

    def __call__(self, invitation: Invitation):
        year_id = invitation.institution.year_id
        if year_id not in self.by_year:
            self.by_year[year_id] = AssessmentYear.objects.get(pk=year_id).model
        return self.by_year[year_id]


def by_messenger(model, channel: str) -> bool:
    """Whether the mobile half of a channel goes by messenger: always for "mobile",
    for "both" where the year's model delivers mobile messages that way."""
    return channel == Channel.MOBILE or (channel == Channel.BOTH and model.fieldwork.mobile_delivery == "messenger")


def send(invitations, *, reminder: bool = False) -> int:
    c = cipher()
    emails, texts, templated, sent = [], [], [], []
    models = _Models()
    for inv in invitations:
        token = c.decrypt(inv.token_enc)
        link = link_for(token)
        entry = inv.member.entry
        by_email = inv.channel in (Channel.EMAIL, Channel.BOTH) and entry.email_enc
        by_text = inv.channel in (Channel.SMS, Channel.BOTH, Channel.MOBILE) and entry.phone_enc
        if not (by_email or by_text):
            continue
        model = models(inv)
        minutes = _minutes(model, inv)
        if by_email:
            emails.append(EmailMessage(REMINDER_SUBJECT if reminder else SUBJECT, _body(inv, link, reminder, minutes),
                                       settings.DEFAULT_FROM_EMAIL, [c.decrypt(entry.email_enc)]))
        if by_text:
            if by_messenger(model, inv.channel):
                templated.append(_template_message(inv, c.decrypt(entry.phone_enc), link, reminder, minutes))
            else:
                texts.append(TextMessage(c.decrypt(entry.phone_enc), _sms_body(inv, link, minutes)))
        sent.append(inv.pk)
    if emails:
        get_connection().send_messages(emails)
    if texts:
        get_backend().send_messages(texts)
    messenger.deliver(templated)
    now = timezone.now()
    for inv in Invitation.objects.filter(pk__in=sent):
        inv.sent_count += 1
        inv.last_sent_at = now
        if inv.status == InvitationStatus.CREATED:
            inv.status = InvitationStatus.SENT
        inv.save(update_fields=["sent_count", "last_sent_at", "status"])
    return len(sent)


def due_reminders(year, *, after_days: int = 3, max_reminders: int = 2):
    """Sent or opened, not answered, not opted out, last message long enough ago."""
    cutoff = timezone.now() - timedelta(days=after_days)
    return (Invitation.objects.filter(institution__year=year, used=False,
                                      status__in=(InvitationStatus.SENT, InvitationStatus.OPENED),
                                      sent_count__lte=max_reminders, last_sent_at__lte=cutoff)
            .select_related("member__entry", "institution", "task"))


