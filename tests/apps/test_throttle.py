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
