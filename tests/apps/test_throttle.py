"""Rate limits count in one place for every process and machine: the database, or
Redis when configured."""

import pytest

from integrity.apps.throttle import counters
from integrity.apps.throttle.models import Counter
from tests import processes


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_count():
    script = """
        from integrity.apps.throttle import counters
        for _ in range(10):
            counters.hit("wrong-link", "203.0.113.5", window=600)
        print("done", flush=True)
    """
    workers = [processes.start(script) for _ in range(2)]
    for worker in workers:
        processes.wait_for_line(worker, "done")
        worker.wait(timeout=30)
    assert counters.count("wrong-link", "203.0.113.5", window=600) == 20
    assert counters.count("wrong-link", "198.51.100.1", window=600) == 0


def test_the_database_never_holds_what_was_counted_as_typed(db):
    counters.hit("login", "someone@example.com", window=60)
    assert "someone" not in Counter.objects.get().key and counters.count("login", "someone@example.com", window=60) == 1
    counters.reset("login", "someone@example.com", window=60)
    assert counters.count("login", "someone@example.com", window=60) == 0


def test_redis_counts_when_configured(settings, db):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.INTEGRITY_REDIS_URL = url
    counters.reset("wrong-link", "192.0.2.1", window=600)
    assert [counters.hit("wrong-link", "192.0.2.1", window=600) for _ in range(3)] == [1, 2, 3]
    assert counters.count("wrong-link", "192.0.2.1", window=600) == 3 and not Counter.objects.exists()
    counters.reset("wrong-link", "192.0.2.1", window=600)


class _Clock:
    def __init__(self, start):
        self.now = start

    def time(self):
        return self.now


def test_an_unlinkable_scope_keys_with_a_window_secret_that_goes_with_the_window(db, settings, monkeypatch):
    """The public 청렴신문고 pages count per network with a random secret of the window:
    SECRET_KEY alone does not give the key, and once the window ends the secret and the
    counters are deleted at the scope's next hit, or by ``prune`` with no hit at all."""
    import hashlib
    import hmac

    from integrity.apps.throttle.models import WindowSecret

    clock = _Clock(1_800_000_000)  # a window start for 600 s
    monkeypatch.setattr(counters.time, "time", clock.time)
    assert [counters.hit("report-follow", "203.0.113", window=600, unlinkable=True) for _ in range(2)] == [1, 2]
    assert counters.count("report-follow", "203.0.113", window=600, unlinkable=True) == 2
    assert counters.count("report-follow", "198.51.100", window=600, unlinkable=True) == 0
    plain = hmac.new(settings.SECRET_KEY.encode(), b"report-follow\0203.0.113", hashlib.sha256).hexdigest()[:40]
    assert plain not in Counter.objects.get().key and WindowSecret.objects.count() == 1
    clock.now += 599
    assert counters.hit("report-follow", "203.0.113", window=600, unlinkable=True) == 3  # still the window
    clock.now += 1  # the window has ended: the next hit of the scope removes its rows at once
    assert counters.hit("report-follow", "198.51.100", window=600, unlinkable=True) == 1
    assert Counter.objects.count() == 1 and WindowSecret.objects.count() == 1
    assert counters.count("report-follow", "203.0.113", window=600, unlinkable=True) == 0
    counters.hit("wrong-link", "192.0.2.1", window=60)  # an ordinary scope beside it is kept
    clock.now += 600  # and with no hit at all, the periodic prune removes them
    assert counters.prune() == 3 and not Counter.objects.exists() and not WindowSecret.objects.exists()


def test_an_unlinkable_scope_in_redis_expires_its_secret_with_the_window(settings, db):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    try:
        client = redis.Redis.from_url(url, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.INTEGRITY_REDIS_URL = url
    from integrity.apps.throttle.models import WindowSecret

    assert counters.hit("report-submit", "192.0.2", window=600, unlinkable=True) >= 1
    names = [n.decode() for n in client.keys("*report-submit*")]
    secret = [n for n in names if n.startswith("throttle-secret:")]
    assert len(secret) == 1 and 0 < client.ttl(secret[0]) <= 600
    assert all(0 < client.ttl(n) <= 600 for n in names)  # counters end with the window too
    assert not Counter.objects.exists() and not WindowSecret.objects.exists()
    client.delete(*names)
