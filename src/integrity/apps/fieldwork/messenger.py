"""Messenger backends (KakaoTalk 알림톡 and the like) beside the text-message ones,
chosen by INTEGRITY_MESSENGER_BACKEND (a dotted path, like the SMS and e-mail backends).

A messenger sends a *template* the provider approved beforehand (its code) with the
variables filled in; free text is not allowed. A backend returns, per message, whether
the messenger took it; every message it did not take (the provider failed, or the
number has no messenger account) goes out as a plain text message through the SMS
backend, with the same link. With no messenger backend set, mobile messages go by SMS.

A real provider is one more class with ``send_templates`` (its keys come from its own
environment variables, never from this repository)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from .sms import TextMessage
from .sms import get_backend as sms_backend

log = logging.getLogger(__name__)

# Our templates as registered with the provider: code -> text with #{변수}. The codes
# can be renamed per provider (INTEGRITY_MESSENGER_TEMPLATES); the texts are what the
# console shows and what a provider's approval must match.
TEMPLATES = {
    "invitation": "[청렴도 측정] #{기관명} 청렴도 설문에 참여해 주세요.\n익명으로 처리되며 약 #{분}분 걸립니다.\n#{링크}",
    "reminder": "[청렴도 측정] #{기관명} 청렴도 설문 참여를 다시 부탁드립니다.\n익명, 약 #{분}분.\n#{링크}",
}


@dataclass(frozen=True)
class TemplateMessage:
    to: str  # E.164
    template: str  # our template name (a key of TEMPLATES)
    variables: dict[str, str] = field(default_factory=dict)
    fallback: str = ""  # the text message sent instead when the messenger does not deliver

    @property
    def code(self) -> str:
        """The provider's template code."""
        return getattr(settings, "INTEGRITY_MESSENGER_TEMPLATES", {}).get(self.template, self.template)

    def text(self) -> str:
        body = TEMPLATES.get(self.template, "")
        for name, value in self.variables.items():
            body = body.replace("#{" + name + "}", value)
        return body


class BaseBackend:
    """Subclass and implement ``send_templates``: one bool per message, True when the
    messenger accepted it for delivery. Raising counts as "none delivered"."""

    def send_templates(self, messages: list[TemplateMessage]) -> list[bool]:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: prints what would be sent (refused in production, like the SMS console)."""

    def send_templates(self, messages: list[TemplateMessage]) -> list[bool]:
        for m in messages:
            sys.stdout.write(f"[알림톡 {m.code} to {m.to}] {m.text()}\n")
        return [True] * len(messages)


outbox: list[TemplateMessage] = []
# The test backend's world: numbers without a messenger account, and an outage switch.
no_account: set[str] = set()
failing = {"down": False}


class LocMemBackend(BaseBackend):
    """Tests: keeps delivered messages in ``outbox``; numbers in ``no_account`` are not
    delivered, and nothing is while ``failing["down"]``."""

    def send_templates(self, messages: list[TemplateMessage]) -> list[bool]:
        if failing["down"]:
            raise ConnectionError("messenger provider unavailable")
        delivered = [m.to not in no_account for m in messages]
        outbox.extend(m for m, ok in zip(messages, delivered) if ok)
        return delivered


def get_backend() -> BaseBackend | None:
    path = getattr(settings, "INTEGRITY_MESSENGER_BACKEND", "")
    return import_string(path)() if path else None


def deliver(messages: list[TemplateMessage]) -> tuple[int, int]:
    """Send by messenger, the rest by SMS. Returns (by messenger, by SMS fallback)."""
    if not messages:
        return 0, 0
    backend = get_backend()
    delivered = [False] * len(messages)
    if backend is not None:
        try:
            delivered = list(backend.send_templates(messages))
        except Exception:  # noqa: BLE001 — an outage of the provider must not stop the invitations
            log.exception("messenger backend failed; sending %d messages by SMS", len(messages))
            delivered = [False] * len(messages)
        if len(delivered) != len(messages):
            log.error("messenger backend answered %d results for %d messages; sending all by SMS",
                      len(delivered), len(messages))
            delivered = [False] * len(messages)
    rest = [TextMessage(m.to, m.fallback or m.text()) for m, ok in zip(messages, delivered) if not ok]
    if rest:
        sms_backend().send_messages(rest)
    log.info("mobile messages: %d by messenger, %d by SMS", len(messages) - len(rest), len(rest))
    return len(messages) - len(rest), len(rest)
