"""Settings for the test suite: the real settings with a throwaway key and folder."""

import os
import secrets
import tempfile

os.environ.setdefault("INTEGRITY_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("INTEGRITY_VAR_DIR", tempfile.mkdtemp(prefix="integrity-test-"))
os.environ.setdefault("INTEGRITY_PII_KEY", __import__("integrity.pii", fromlist=["new_key"]).new_key())

from .settings import *  # noqa: E402,F403

# Hashing strength is not under test here; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
INTEGRITY_SMS_BACKEND = "integrity.apps.fieldwork.sms.LocMemBackend"
INTEGRITY_MESSENGER_BACKEND = "integrity.apps.fieldwork.messenger.LocMemBackend"

# The test database is a file, not memory, where it is SQLite: tests that kill a worker
# mid-transaction run it as a separate process on the same database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

# Standard errors from 40 bootstrap replicates instead of the model's 500: every run the
# suite makes pays for them; the method is tested at full size in tests/scoring.
INTEGRITY_BOOTSTRAP_REPLICATES = 40

# In-memory e-mail and text messages are allowed here whatever DEBUG says.
INTEGRITY_TESTING = True
INTEGRITY_REPORT_KDF_N = 2**10  # the receipt verifier: same code path, cheaper work
