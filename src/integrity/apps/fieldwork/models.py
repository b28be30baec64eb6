"""Fieldwork: invitations (who was asked), responses (what was answered) and phone
calls — kept apart so that no table links an answer to a person.

A ``Response`` holds institution, survey, task, office, group, mode and the
answers, a random UUID key and the week it was released (its Monday). Responses
are released in batches, in random order, by a transaction of their own
(fieldwork.release): no transaction id, row position or time ties one to the
invitation it came from. An ``Invitation`` records that its link was used, never
when or which response it gave.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.apps.registry.models import Institution, TargetTask
from integrity.apps.sampling.models import DrawMember


class InvitationStatus(models.TextChoices):
    CREATED = "created", _("발송 전")
    SENT = "sent", _("발송")
    OPENED = "opened", _("접속")
    COMPLETED = "completed", _("응답 완료")
    OPTED_OUT = "opted_out", _("수신 거부")
    PHONE = "phone", _("전화조사 요청")
    REFUSED = "refused", _("거절")
    INELIGIBLE = "ineligible", _("비해당")
    QUOTA_FULL = "quota_full", _("할당 충족")
    WITHDRAWN = "withdrawn", _("철회 (다시 추출)")


class Channel(models.TextChoices):
    """How the link reaches the person (never stored on a response: there the mode is
    only web, phone or visit)."""

    EMAIL = "email", _("전자우편")
    SMS = "sms", _("문자")
    BOTH = "both", _("전자우편·문자")
    PHONE = "phone", _("전화")
    # A messenger (알림톡) first, a text message where it does not deliver (fieldwork.messenger).
    MOBILE = "mobile", _("모바일 메신저·문자")


class CallWindow(models.TextChoices):
    """When a respondent who asked for a phone interview would like the call."""

    ANY = "", _("언제든")
    MORNING = "morning", _("오전 (9–12시)")
    AFTERNOON = "afternoon", _("오후 (12–18시)")
    EVENING = "evening", _("저녁 (18–21시)")


class Invitation(models.Model):
    member = models.OneToOneField(DrawMember, on_delete=models.CASCADE, related_name="invitation")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="invitations")
    task = models.ForeignKey(TargetTask, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    survey = models.CharField(_("설문"), max_length=20)
    group = models.CharField(_("응답자 구분"), max_length=20, blank=True)
    office = models.CharField(_("지방관서"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the link's token
    token_enc = models.BinaryField()  # the token itself, encrypted, to send reminders
    channel = models.CharField(_("경로"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("상태"), max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.CREATED)
    used = models.BooleanField(_("응답에 쓰임"), default=False)
    sent_count = models.PositiveSmallIntegerField(_("발송 횟수"), default=0)
    last_sent_at = models.DateTimeField(_("마지막 발송"), null=True, blank=True)
    # Answers so far, encrypted. After completion they wait here until a batch of the
    # same kind is released as responses (fieldwork.release), then they are deleted.
    draft_enc = models.BinaryField(null=True)
    mode = models.CharField(_("응답 방식"), max_length=8, blank=True)  # web, phone or visit, set at completion
    # A phone interview asked for from the link: the number given (encrypted) and when.
    callback_phone_enc = models.BinaryField(null=True)
    callback_window = models.CharField(_("통화 희망 시간"), max_length=12, choices=CallWindow.choices, blank=True)

    class Meta:
        verbose_name = _("초대")
        verbose_name_plural = _("초대")
        indexes = [models.Index(fields=["institution", "task", "status"])]


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="responses")
    survey = models.CharField(max_length=20)
    task = models.ForeignKey(TargetTask, null=True, blank=True, on_delete=models.CASCADE, related_name="responses")
    office = models.CharField(max_length=100, blank=True)
    group = models.CharField(max_length=20, blank=True)
    mode = models.CharField(max_length=8)
    answers = models.JSONField()
    favour_requested = models.BooleanField(null=True)
    completed_on = models.DateField()

    class Meta:
        verbose_name = _("응답")
        verbose_name_plural = _("응답")
        indexes = [models.Index(fields=["institution", "survey", "task"])]


class QuotaFill(models.Model):
    """Completes per target task, counted in the completion's transaction."""

    task = models.OneToOneField(TargetTask, on_delete=models.CASCADE, related_name="fill")
    completes = models.PositiveIntegerField(default=0)


class CompletionTally(models.Model):
    """Completes per institution, hour and source network (hashed): enough to see
    bursts from one source, never which response came from where."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    source = models.CharField(max_length=16)
    completes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "hour", "source"], name="one_tally_per_hour_source")]


class Disposition(models.TextChoices):
    """Call outcomes (after AAPOR's standard definitions, final and temporary codes)."""

    COMPLETE = "complete", _("응답 완료 (1.1)")
    REFUSAL = "refusal", _("거절 (2.11)")
    NO_ANSWER = "no_answer", _("받지 않음 (3.13)")
    BUSY = "busy", _("통화 중 (3.12)")
    CALLBACK = "callback", _("다시 걸기 약속 (2.21)")
    WRONG_NUMBER = "wrong_number", _("잘못된 번호 (4.51)")
    INELIGIBLE = "ineligible", _("비해당 (4.7)")


class ContactKind(models.TextChoices):
    """How an interviewer reaches the person: a call, or a visit (policy customers only,
    실시계획 II: 정책고객은 일부 방문조사 병행); the keyed response gets the matching mode."""

    PHONE = "phone", _("전화")
    VISIT = "visit", _("방문")


class CallAssignment(models.Model):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="assignment")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_list")
    kind = models.CharField(_("조사 방식"), max_length=8, choices=ContactKind.choices, default=ContactKind.PHONE)
    callback_at = models.DateTimeField(_("다시 걸 시각"), null=True, blank=True)
    closed = models.BooleanField(_("종료"), default=False)


class CallAttempt(models.Model):
    assignment = models.ForeignKey(CallAssignment, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(auto_now_add=True)
    disposition = models.CharField(_("결과"), max_length=16, choices=Disposition.choices)
    note = models.CharField(_("메모"), max_length=300, blank=True)


class SignalSnapshot(models.Model):
    """The year's quality signals as last computed (they read every response, so they
    are computed in the background and read from here; see fieldwork.signal_store)."""

    year = models.OneToOneField("registry.AssessmentYear", on_delete=models.CASCADE, related_name="signal_snapshot")
    computed_at = models.DateTimeField(_("계산 시각"), null=True, blank=True)
    responses = models.PositiveIntegerField(_("응답 수"), default=0)
    signals = models.JSONField(_("신호"), default=list)
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("신뢰도 점검 신호")
        verbose_name_plural = _("신뢰도 점검 신호")
