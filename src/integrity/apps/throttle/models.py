"""Rate-limit counters kept in the database when no Redis is configured: every web
process and machine of one installation counts in the same rows."""

from django.db import models


class Counter(models.Model):
    key = models.CharField(max_length=200, unique=True)  # scope, who (hashed) and window
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)


class WindowSecret(models.Model):
    """The random secret of one window of a scope that must become unlinkable (the
    public 청렴신문고 pages): its counters are keyed with it, and it is deleted with them
    when the window ends, after which no key can say which network a counter was."""

    key = models.CharField(max_length=120, unique=True)  # scope and window start
    secret = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)
