"""Rate-limit counters kept in the database when no Redis is configured: every web
process and machine of one installation counts in the same rows."""

from django.db import models


class Counter(models.Model):
    key = models.CharField(max_length=200, unique=True)  # scope, who (hashed) and window
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)
