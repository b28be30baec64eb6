"""Fixed-window counters shared by every process and machine: Redis when
``INTEGRITY_REDIS_URL`` is set (INCR and EXPIRE in one round trip), else the database
(one upsert that increments and returns the count, atomic on SQLite and PostgreSQL).

What is counted is never stored as typed: the key holds a keyed hash of it (an
address, a user name), so the table cannot be read as a list of who tried what.

A keyed hash under SECRET_KEY can still be recomputed by whoever holds that key: for
every /24 network, say, to learn which posted to 청렴신문고 that day. A scope counted
``unlinkable`` is keyed instead with a random secret of its window (kept beside the
counters, in Redis or the database, mixed with SECRET_KEY so that neither alone
suffices) that goes with the window's counters as soon as the window ends: then no key
can say which network a counter was. Such a scope's expired rows are deleted at its
next hit, and by ``prune`` (run hourly with ``release_reports``), not 1 time in 200.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import time
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction

from .models import Counter, WindowSecret

PRUNE_EVERY = 200  # about one hit in this many also removes expired rows


def _key(scope: str, who: str, window: int, unlinkable: bool) -> tuple[str, int]:
    start = int(time.time()) // window * window
    key = settings.SECRET_KEY.encode()
    if unlinkable:
        key = hmac.new(key, b"throttle-window\0" + _window_secret(scope, start, start + window), hashlib.sha256).digest()
    digest = hmac.new(key, f"{scope}\0{who}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"{scope}:{digest}:{start}", start + window


def hit(scope: str, who: str, *, window: int, unlinkable: bool = False) -> int:
    """Count one event of ``who`` in ``scope``; how many there were in this window."""
    if unlinkable and _redis() is None:
        prune(scope)  # an unlinkable scope's ended windows go at once (Redis has expired them)
    key, ends = _key(scope, who, window, unlinkable)
    redis = _redis()
    if redis is not None:
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expireat(key, ends if unlinkable else ends + 1)
        return int(pipe.execute()[0])
    return _db_hit(key, _at(ends), prune=not unlinkable)


def count(scope: str, who: str, *, window: int, unlinkable: bool = False) -> int:
    """Events of ``who`` in ``scope`` in this window, without counting one."""
    key, _ = _key(scope, who, window, unlinkable)
    redis = _redis()
    if redis is not None:
        return int(redis.get(key) or 0)
    return Counter.objects.filter(key=key).values_list("hits", flat=True).first() or 0


def reset(scope: str, who: str, *, window: int, unlinkable: bool = False) -> None:
    key, _ = _key(scope, who, window, unlinkable)
    redis = _redis()
    if redis is not None:
        redis.delete(key)
    else:
        Counter.objects.filter(key=key).delete()


def prune(scope: str | None = None) -> int:
    """Delete the database's expired counters and window secrets (only ``scope``'s when
    given); how many rows. (Redis expires its own.)"""
    now = _at(time.time())
    expired = [Counter.objects.filter(expires_at__lte=now), WindowSecret.objects.filter(expires_at__lte=now)]
    if scope is not None:
        expired = [rows.filter(key__startswith=f"{scope}:") for rows in expired]
    with transaction.atomic():
        return sum(rows.delete()[0] for rows in expired)


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def _window_secret(scope: str, start: int, ends: int) -> bytes:
    """The window's random secret, made by the first process to need it (the others
    read the same one); it expires with the window."""
    name = f"{scope}:{start}"
    redis = _redis()
    if redis is not None:
        pipe = redis.pipeline()
        pipe.set(f"throttle-secret:{name}", secrets.token_bytes(32), nx=True, exat=ends)
        pipe.get(f"throttle-secret:{name}")
        return pipe.execute()[1]
    q = connection.ops.quote_name
    table = q(WindowSecret._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({q('key')}, {q('secret')}, {q('expires_at')}) VALUES (%s, %s, %s) "
                       f"ON CONFLICT ({q('key')}) DO NOTHING",
                       [name, secrets.token_bytes(32), connection.ops.adapt_datetimefield_value(_at(ends))])
    return bytes(WindowSecret.objects.values_list("secret", flat=True).get(key=name))


def _db_hit(key: str, expires_at: datetime, *, prune: bool = True) -> int:
    q = connection.ops.quote_name
    table, k, hits, expires = q(Counter._meta.db_table), q("key"), q("hits"), q("expires_at")
    sql = (f"INSERT INTO {table} ({k}, {hits}, {expires}) VALUES (%s, 1, %s) "
           f"ON CONFLICT ({k}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, connection.ops.adapt_datetimefield_value(expires_at)])  # as the ORM compares it
        hits = cursor.fetchone()[0]
    if prune and random.random() < 1 / PRUNE_EVERY:
        Counter.objects.filter(expires_at__lt=datetime.now(timezone.utc) - timedelta(minutes=1)).delete()
    return hits


@lru_cache(maxsize=1)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2)


def _redis():
    url = getattr(settings, "INTEGRITY_REDIS_URL", None)
    return _client(url) if url else None
