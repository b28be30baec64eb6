"""Sign-in guesses: django-axes locks a (user, address) pair; over all addresses an
account's failures make each further attempt wait longer, the owner is told, and the
owner's own networks are never made to wait."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from integrity.apps.accounts import guard
from integrity.apps.accounts.models import AccountGuard
from tests.registry_fixtures import PASSWORD

LOGIN = "/accounts/login/"


def _try(client, password, address):
    return client.post(LOGIN, {"username": "analyst", "password": password}, REMOTE_ADDR=address)


def _spread_guesses(client, n):
    for i in range(n):  # one guess from each of many addresses: axes never locks a pair
        _try(client, f"wrong-{i}", f"203.0.{i // 200}.{i % 200 + 1}")


def test_guesses_spread_over_addresses_are_slowed_and_the_owner_is_told(client, users):
    users["analyst"].email = "analyst@example.kr"
    users["analyst"].save()
    mail.outbox.clear()
    _spread_guesses(client, guard.FREE_FAILURES)
    refused = _try(client, PASSWORD, "198.51.100.20")  # even the right password waits now
    assert "로그인 실패가 많아 잠시 막아 두었습니다" in refused.content.decode() and "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and "로그인 실패가 이어지고 있습니다" in mail.outbox[0].subject
    failures = AccountGuard.objects.get().failures
    _try(client, "wrong-again", "198.51.100.21")
    assert AccountGuard.objects.get().failures == failures  # refused unchecked: not even counted


def test_the_wait_grows_and_is_capped(client, users):
    _spread_guesses(client, guard.FREE_FAILURES)
    AccountGuard.objects.update(failures=guard.FREE_FAILURES + 3, last_failure_at=timezone.now())
    assert 7 <= guard.wait_seconds("analyst", None) <= 8  # 2^3 s after the 13th failure
    AccountGuard.objects.update(failures=guard.FREE_FAILURES + 40, last_failure_at=timezone.now())
    assert guard.wait_seconds("analyst", None) == guard.MAX_WAIT
    AccountGuard.objects.update(last_failure_at=timezone.now() - timedelta(seconds=guard.MAX_WAIT + 1))
    assert guard.wait_seconds("analyst", None) == 0


def test_the_owners_own_network_is_never_made_to_wait(client, users):
    assert _try(client, PASSWORD, "192.0.2.10").status_code == 302  # the owner, at the office
    client.logout()
    _spread_guesses(client, guard.FREE_FAILURES + 5)
    assert _try(client, PASSWORD, "192.0.2.11").status_code == 302  # same office network: signs in
    assert AccountGuard.objects.get().failures == 0  # and the count starts again


def test_unknown_user_names_are_slowed_alike(client, db):
    for i in range(guard.FREE_FAILURES):
        client.post(LOGIN, {"username": "nobody", "password": "x"}, REMOTE_ADDR=f"203.0.113.{i + 1}")
    page = client.post(LOGIN, {"username": "nobody", "password": "x"}, REMOTE_ADDR="203.0.113.99").content.decode()
    assert "로그인 실패가 많아" in page  # the same answer as for a real account: names are not revealed


def test_the_admin_sign_in_page_waits_too(client, users):
    """The Django admin has its own sign-in form: guesses there must meet the same wait."""
    _spread_guesses(client, guard.FREE_FAILURES)
    failures = AccountGuard.objects.get().failures
    page = client.post("/admin/login/", {"username": "analyst", "password": "wrong-admin", "next": "/admin/"},
                       REMOTE_ADDR="198.51.100.30")
    assert "로그인 실패가 많아 잠시 막아 두었습니다" in page.content.decode()
    assert AccountGuard.objects.get().failures == failures  # refused unchecked


def test_a_superusers_right_password_waits_on_the_admin_page_too(client, users):
    for i in range(guard.FREE_FAILURES):
        client.post("/admin/login/", {"username": "admin", "password": f"wrong-{i}"}, REMOTE_ADDR=f"203.0.113.{i + 1}")
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}, REMOTE_ADDR="198.51.100.31")
    assert "_auth_user_id" not in client.session


def test_any_other_way_of_signing_in_meets_the_wait_unchecked(client, users, rf):
    """authenticate() itself refuses while the account waits, whatever page calls it."""
    from django.contrib.auth import authenticate

    _spread_guesses(client, guard.FREE_FAILURES)
    failures = AccountGuard.objects.get().failures
    request = rf.post("/elsewhere/", REMOTE_ADDR="198.51.100.40")
    assert authenticate(request, username="analyst", password=PASSWORD) is None
    assert AccountGuard.objects.get().failures == failures


def test_a_quiet_day_ends_the_episode(client, users):
    """Old guesses do not keep the owner waiting at the first typo, and a new episode is told again."""
    users["analyst"].email = "analyst@example.kr"
    users["analyst"].save()
    _spread_guesses(client, guard.FREE_FAILURES + 20)
    AccountGuard.objects.update(last_failure_at=timezone.now() - guard.EPISODE_ENDS_AFTER - timedelta(minutes=1))
    mail.outbox.clear()
    _try(client, "a-typo", "198.51.100.50")
    assert AccountGuard.objects.get().failures == 1 and AccountGuard.objects.get().notified_at is None
    assert _try(client, PASSWORD, "198.51.100.51").status_code == 302  # no wait for the owner
    client.logout()
    _spread_guesses(client, guard.FREE_FAILURES)
    assert len(mail.outbox) == 1


def test_an_ipv6_network_is_its_48_however_the_address_is_written(rf):
    def source(address):
        return guard.source_of(rf.get("/", REMOTE_ADDR=address))

    assert source("2001:db8::1") == source("2001:db8:0:ffff::2") == source("2001:0db8:0000::9")
    assert source("2001:db8::1") != source("2001:db8:1::1")
    assert source("192.0.2.1") == source("192.0.2.200") != source("192.0.3.1")
