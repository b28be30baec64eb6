"""Rate limits count the client, not our own proxy, and never an address a client
wrote itself."""

import pytest

from integrity.apps.accounts import guard
from integrity.apps.throttle.addresses import client_address
from tests.registry_fixtures import PASSWORD

PROXY = "10.0.0.2"


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "203.0.113.9", PROXY),  # no proxy configured: the header is anyone's to write
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left part is the client's own claim
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
    (2, "203.0.113.9", PROXY),  # fewer hops than proxies: not through ours
    (1, "not-an-address", PROXY),
    (1, "", PROXY),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_the_client_is_as_many_hops_from_the_right_as_there_are_proxies(rf, settings, proxies, forwarded, expected):
    settings.INTEGRITY_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def _via_proxy(client, method, url, address, data=None):
    return getattr(client, method)(url, data or {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_behind_a_proxy_one_guesser_does_not_throttle_the_others(client, invited, settings):
    settings.INTEGRITY_PROXY_COUNT, settings.INTEGRITY_LINK_FAILURES = 1, 3
    for i in range(4):
        _via_proxy(client, "get", f"/s/wrong-token-{i}-xxxxxxxxxxxxxx/", "203.0.113.9")
    assert _via_proxy(client, "get", "/s/wrong-token-9-xxxxxxxxxxxxxx/", "203.0.113.9").status_code == 429
    assert _via_proxy(client, "get", "/s/mistyped-link-xxxxxxxxxxxxxx/", "198.51.100.7").status_code == 404


def test_behind_a_proxy_axes_locks_the_guesser_not_the_owner(client, users, settings):
    settings.INTEGRITY_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        _via_proxy(client, "post", "/accounts/login/", "203.0.113.9", {"username": "analyst", "password": f"x{i}"})
    signed_in = _via_proxy(client, "post", "/accounts/login/", "192.0.2.10", {"username": "analyst", "password": PASSWORD})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


def test_behind_a_proxy_the_proxy_is_not_the_owners_known_network(client, users, settings):
    settings.INTEGRITY_PROXY_COUNT = 1
    _via_proxy(client, "post", "/accounts/login/", "192.0.2.10", {"username": "analyst", "password": PASSWORD})
    client.logout()
    for i in range(guard.FREE_FAILURES):
        _via_proxy(client, "post", "/accounts/login/", f"203.0.{i}.1", {"username": "analyst", "password": f"x{i}"})
    page = _via_proxy(client, "post", "/accounts/login/", "203.0.99.1", {"username": "analyst", "password": "again"})
    assert "로그인 실패가 많아 잠시 막아 두었습니다" in page.content.decode()
    owner = _via_proxy(client, "post", "/accounts/login/", "192.0.2.11", {"username": "analyst", "password": PASSWORD})
    assert owner.status_code == 302  # from the owner's own office network


@pytest.mark.parametrize("first, second", [("203.0.113.5", "203.0.113.250"), ("2001:db8::1", "2001:db8:0:1::2"),
                                           ("2001:0db8:0000:ffff::1", "2001:db8:0:ffff:1::9")])
def test_one_network_for_sign_in_waits_and_survey_bursts(first, second):
    """/24 and /48 networks: the sign-in guard and the fieldwork burst signals count one
    network the same way, however an IPv6 address is written."""
    from integrity.apps.throttle.addresses import network_of

    assert network_of(first) == network_of(second)
    assert network_of("203.0.113.5") != network_of("203.0.114.5")
    assert network_of("2001:db8:1::1") != network_of("2001:db8:2::1")
    assert network_of("not an address") == "not an address"
