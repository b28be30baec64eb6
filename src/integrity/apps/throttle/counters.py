"""Fixed-window counters shared by every process and machine: Redis when
``INTEGRITY_REDIS_URL`` is set (INCR and EXPIRE in one round trip), else the database
(one upsert that increments and returns the count, atomic on SQLite and PostgreSQL).

What is counted is never stored as typed: the key holds a keyed hash of it (an
address, a user name), so the table cannot be read as a list of who tried what.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction

from .models import Counter

PRUNE_EVERY = 200  # about one hit in this many also removes expired rows


def _key(scope: str, who: str, window: int) -> tuple[str, int]:
    start = int(time.time()) // window * window
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}\0{who}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"{scope}:{digest}:{start}", start + window


def hit(scope: str, who: str, *, window: int) -> int:
    """Count one event of ``who`` in ``scope``; how many there were in this window."""
    key, ends = _key(scope, who, window)
    redis = _redis()
    if redis is not None:
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expireat(key, ends + 1)
        return int(pipe.execute()[0])
    return _db_hit(key, datetime.fromtimestamp(ends, tz=timezone.utc))


def count(scope: str, who: str, *, window: int) -> int:
    """Events of ``who`` in ``scope`` in this window, without counting one."""
    key, _ = _key(scope, who, window)
    redis = _redis()
    if redis is not None:
        return int(redis.get(key) or 0)
    return Counter.objects.filter(key=key).values_list("hits", flat=True).first() or 0


def reset(scope: str, who: str, *, window: int) -> None:
    key, _ = _key(scope, who, window)
    redis = _redis()
    if redis is not None:
        redis.delete(key)
    else:
        Counter.objects.filter(key=key).delete()


def _db_hit(key: str, expires_at: datetime) -> int:
    q = connection.ops.quote_name
    table, k, hits, expires = q(Counter._meta.db_table), q("key"), q("hits"), q("expires_at")
    sql = (f"INSERT INTO {table} ({k}, {hits}, {expires}) VALUES (%s, 1, %s) "
           f"ON CONFLICT ({k}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, expires_at])
        hits = cursor.fetchone()[0]
    if random.random() < 1 / PRUNE_EVERY:
        Counter.objects.filter(expires_at__lt=datetime.now(timezone.utc) - timedelta(minutes=1)).delete()
    return hits


@lru_cache(maxsize=1)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2)


def _redis():
    url = getattr(settings, "INTEGRITY_REDIS_URL", None)
    return _client(url) if url else None
