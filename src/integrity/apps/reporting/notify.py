"""Handlers hear of new reports and answers when a release puts them into the case
tables — not when they were sent: the release time says nothing of any one report's
time (``release``), so the e-mail cannot time a reporter either. One e-mail per
institution to its integrity team (기관 청렴팀), with counts only: no subject line of a
report, no field, no name, nothing a mailbox should hold."""

from __future__ import annotations

import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.translation import gettext

from integrity.apps.accounts.models import Role

log = logging.getLogger(__name__)


def team_addresses(codes: set[str]) -> dict[str, list[str]]:
    """The active integrity-team members' e-mail addresses by institution code (the
    same body in every year, as for handling: ``access``)."""
    users = (get_user_model().objects.filter(is_active=True, profile__role=Role.INTEGRITY_TEAM,
                                             profile__institution__code__in=codes)
             .exclude(email="").values_list("profile__institution__code", "email"))
    out: dict[str, list[str]] = {}
    for code, email in users:
        if email not in out.setdefault(code, []):
            out[code].append(email)
    return out


def letter(reports: int, answers: int) -> tuple[str, str]:
    parts = [gettext("새 신고 %(n)s건") % {"n": reports}] if reports else []
    parts += [gettext("신고자 답변 %(n)s건") % {"n": answers}] if answers else []
    subject = gettext("[청렴신문고] %(what)s") % {"what": " · ".join(parts)}
    body = "\n".join([
        gettext("청렴신문고에 %(what)s이 접수되었습니다.") % {"what": ", ".join(parts)},
        gettext("확인: %(url)s") % {"url": settings.INTEGRITY_PUBLIC_URL.rstrip("/") + reverse("reporting:cases")},
        "",
        gettext("신고 내용과 신고자에 관한 정보는 이 메일에 담지 않습니다."),
    ])
    return subject, body


def released(reports: Counter, answers: Counter, connection=None) -> int:
    """Send the letters for what a release put in (counts by institution code); the
    number of e-mails sent. A mail failure is logged, never undoes the release."""
    codes = set(reports) | set(answers)
    if not codes:
        return 0
    sent = 0
    try:
        addresses = team_addresses(codes)
        connection = connection or get_connection()
        for code in sorted(codes):
            subject, body = letter(reports[code], answers[code])
            to = addresses.get(code, [])
            if to:
                sent += connection.send_messages([EmailMessage(subject, body, to=[e]) for e in to]) or 0
    except Exception:  # noqa: BLE001 — the cases are in; the handlers see them on their page
        log.exception("청렴신문고: 접수 알림 메일을 보내지 못했습니다")
    return sent
