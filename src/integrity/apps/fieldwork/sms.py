"""Text-message backends, chosen by INTEGRITY_SMS_BACKEND (like Django's e-mail
backends): console and file for the demo, locmem for tests; a carrier's gateway
is one more class with ``send_messages``."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str  # E.164
    body: str


class ConsoleBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        for m in messages:
            sys.stdout.write(f"[SMS to {m.to}] {m.body}\n")
        return len(messages)


class FileBackend:
    lock = threading.Lock()

    def send_messages(self, messages: list[TextMessage]) -> int:
        path = Path(settings.VAR_DIR) / "sms.log"
        with self.lock, path.open("a", encoding="utf-8") as fh:
            for m in messages:
                fh.write(f"{m.to}\t{m.body}\n")
        return len(messages)


class DiscardBackend:
    """Sends nothing (benchmarks, a dry run): like Django's dummy e-mail backend."""

    def send_messages(self, messages: list[TextMessage]) -> int:
        return len(messages)


outbox: list[TextMessage] = []


class LocMemBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend():
    return import_string(settings.INTEGRITY_SMS_BACKEND)()
