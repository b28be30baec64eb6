"""A per-account limit on sign-in guesses, over all addresses.

django-axes locks a (user name, address) pair after 5 failures; an attacker with many
addresses goes on guessing one account. Here failures of a user name are counted over
every address: from the 10th on, each attempt must wait 2^(failures−10) seconds after
the last failure (1 s, 2 s, 4 s, … at most 15 minutes), refused without even checking
the password. The owner gets one e-mail per episode; a day without failures ends one.
The wait never applies from a network the owner has signed in from before (kept as
keyed hashes), so an attacker cannot keep the owner out; a success resets the count.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrity.apps.throttle.addresses import client_address, network_of

from .models import AccountGuard

FREE_FAILURES = 10
MAX_WAIT = 900  # seconds
KNOWN_SOURCES = 10
# A day without a failure ends an episode: the count starts again (an old attack does not
# make the owner's first typo wait 15 minutes) and the next episode is told again.
EPISODE_ENDS_AFTER = timedelta(days=1)


def _keyed(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def username_key(username: str) -> str:
    return _keyed("user\0" + (username or "").strip().lower())


def source_of(request) -> str:
    """The address's network (/24, /48) as a keyed hash."""
    return _keyed("net\0" + network_of(client_address(request) if request is not None else ""))[:32]


def wait_seconds(username: str, request) -> int:
    """How long this attempt must wait (0: go ahead)."""
    guard = AccountGuard.objects.filter(username_key=username_key(username)).first()
    if guard is None or guard.failures < FREE_FAILURES or guard.last_failure_at is None:
        return 0
    if source_of(request) in guard.known_sources:
        return 0
    delay = timedelta(seconds=min(2 ** (guard.failures - FREE_FAILURES), MAX_WAIT))
    remaining = guard.last_failure_at + delay - timezone.now()
    return max(0, int(remaining.total_seconds() + 0.999))


def record_failure(username: str) -> None:
    key = username_key(username)
    now = timezone.now()
    with transaction.atomic():
        AccountGuard.objects.get_or_create(username_key=key)
        AccountGuard.objects.filter(username_key=key, last_failure_at__lt=now - EPISODE_ENDS_AFTER).update(
            failures=0, notified_at=None)
        AccountGuard.objects.filter(username_key=key).update(failures=F("failures") + 1, last_failure_at=now)
        guard = AccountGuard.objects.select_for_update().get(username_key=key)
        notify = guard.failures >= FREE_FAILURES and guard.notified_at is None
        if notify:
            guard.notified_at = timezone.now()
            guard.save(update_fields=["notified_at"])
    if notify:
        _tell_owner(username, guard.failures)


def record_success(user, request) -> None:
    key = username_key(user.get_username())
    with transaction.atomic():
        guard, _ = AccountGuard.objects.select_for_update().get_or_create(username_key=key)
        source = source_of(request)
        guard.known_sources = ([source] + [s for s in guard.known_sources if s != source])[:KNOWN_SOURCES]
        guard.failures, guard.notified_at = 0, None
        guard.save()


def _tell_owner(username: str, failures: int) -> None:
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.email:
        return
    send_mail(
        "[청렴도 측정] 계정에 로그인 실패가 이어지고 있습니다",
        f"{user.get_username()} 계정으로 로그인 실패가 {failures}번 있었습니다. 직접 시도하신 것이 아니라면 "
        "비밀번호를 바꾸고 관리자에게 알려 주세요. 처음 보는 곳에서의 로그인은 당분간 느려집니다.\n",
        settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True,
    )
