"""Django settings. Everything secret or site-specific comes from the environment.

INTEGRITY_SECRET_KEY     required unless INTEGRITY_DEBUG=1 (then a per-checkout key in var/)
INTEGRITY_PII_KEY        likewise: 32 random bytes, URL-safe base64 (integrity.pii.new_key)
INTEGRITY_DEBUG          1 for development; unset is production
INTEGRITY_DEMO           1 for `make demo`: production pages and errors (no debug pages), but
                         keys kept in var/, plain HTTP on 127.0.0.1 and messages on the console
INTEGRITY_DATABASE_URL   postgresql://user@host:port/name; default: SQLite in var/
INTEGRITY_ALLOWED_HOSTS  comma-separated; default: localhost names
INTEGRITY_VAR_DIR        where SQLite, keys and uploads live; default: ./var (made 0700)
INTEGRITY_HTTPS          0 only to serve plain HTTP outside development (a local benchmark)
INTEGRITY_PROXY_SSL_HEADER  the header a TLS-terminating proxy sets, e.g. X-Forwarded-Proto
                         (trusted only when configured: HTTP_X_FORWARDED_PROTO=https)
INTEGRITY_PROXY_COUNT    proxies of ours in front that append to X-Forwarded-For (default 0)
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from integrity.pii import new_key

from .security import check_pii_key, check_secret_key, private_dir, private_file

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("INTEGRITY_VAR_DIR", Path.cwd() / "var")).resolve()
DEBUG = os.environ.get("INTEGRITY_DEBUG", "") == "1"
DEMO = os.environ.get("INTEGRITY_DEMO", "") == "1"


def _secret(env_name: str, dev_file: str, make, missing: str) -> str:
    """A secret from the environment; in development only, a random one kept in var/
    (never in the repository)."""
    value = os.environ.get(env_name)
    if value:
        return value
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured(missing)
    path = VAR_DIR / dev_file
    if not path.exists():
        private_dir(VAR_DIR)
        private_file(path).write_text(make(), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _database() -> dict:
    url = os.environ.get("INTEGRITY_DATABASE_URL")
    if not url:
        name = private_dir(VAR_DIR) / os.environ.get("INTEGRITY_SQLITE_NAME", "integrity.sqlite3")
        private_file(name)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # Concurrent writers queue instead of failing: WAL lets readers go on while one
            # writes, IMMEDIATE takes the write lock when a transaction begins (a reader that
            # later writes cannot be refused halfway), and a writer waits up to 30 s for it.
            # secure_delete overwrites deleted rows (answers awaiting release, drafts).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON",
            },
        }
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"INTEGRITY_DATABASE_URL: 지원하지 않는 데이터베이스 '{parts.scheme}'")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = check_secret_key(_secret("INTEGRITY_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50),
                                      "INTEGRITY_SECRET_KEY 환경변수를 설정하세요 (개발용은 INTEGRITY_DEBUG=1)."))
# Names, phones and e-mails of respondents are encrypted with this key (integrity.pii).
INTEGRITY_PII_KEY = check_pii_key(_secret("INTEGRITY_PII_KEY", "pii_key", new_key,
                                          "INTEGRITY_PII_KEY 환경변수(개인정보 암호화 키)를 설정하세요."))
ALLOWED_HOSTS = os.environ.get("INTEGRITY_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # the API docs page uses the package's own Swagger UI files, not a CDN (works offline)
    "django_tasks",
    "django_tasks_db",
    "integrity.apps.jobs",
    "integrity.apps.throttle",
    "integrity.apps.accounts",
    "integrity.apps.audit",
    "integrity.apps.registry",
    "integrity.apps.rosters",
    "integrity.apps.sampling",
    "integrity.apps.residents",
    "integrity.apps.fieldwork",
    "integrity.apps.incidents",
    "integrity.apps.effort",
    "integrity.apps.results",
    "integrity.apps.schedule",
    "integrity.apps.clusters",
    "integrity.apps.earlywarning",
    "integrity.apps.programme",
    "integrity.apps.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "integrity.web.middleware.ContentSecurityPolicyMiddleware",
    # Static files are answered here (WhiteNoise), after the security headers and the
    # frame policy are set on the way out, so they carry nosniff and X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "integrity.web.middleware.RespondentPagesMiddleware",
    "integrity.web.errors.MethodNotAllowedMiddleware",  # a Korean 405; outside sessions and CSRF: sets no cookie
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "integrity.web.uploads.UploadLimitMiddleware",  # before CSRF, which would read an oversized body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "integrity.web.params.MalformedRequestMiddleware",  # a NUL in the address: 400, never a database error
]

# Asked in order: axes' (user name, address) lock, then the per-account wait over all
# addresses (accounts.guard), then the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "integrity.apps.accounts.backends.AccountGuardBackend",
                           "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failures (django-axes): 5 failures per user name and
# address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
# Axes counts the same client address as every other limit (behind our proxies too).
AXES_CLIENT_IP_CALLABLE = "integrity.apps.throttle.addresses.client_address"

ROOT_URLCONF = "integrity.web.urls"
WSGI_APPLICATION = "integrity.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "integrity.apps.accounts.context.role",
            ],
        },
    },
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean first; English second.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
STATIC_ROOT = VAR_DIR / "static"  # collectstatic's copies (WhiteNoise serves them when present)
private_dir(VAR_DIR)
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
# The package's own static files are served straight from the installed package (found
# at start-up): nothing to collect before the server starts; `collectstatic` adds
# compressed copies when it has been run.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Staff sessions end at browser close and after a working day without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True  # the day counts from the last request (respondents have no session)
# Production speaks HTTPS only, unless INTEGRITY_HTTPS=0 (a local benchmark over plain HTTP).
HTTPS = not (DEBUG or DEMO) and os.environ.get("INTEGRITY_HTTPS", "1") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
# The staff's language choice (Django's set_language) like the other cookies; no script reads it.
LANGUAGE_COOKIE_SECURE, LANGUAGE_COOKIE_HTTPONLY, LANGUAGE_COOKIE_SAMESITE = HTTPS, True, "Lax"
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS-terminating proxy, trust its header only when it is named here.
if _proxy_header := os.environ.get("INTEGRITY_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# How many proxies of ours append the client's address to X-Forwarded-For (0: the header
# is ignored; rate limits and lock-outs count the connection's address).
_proxies = os.environ.get("INTEGRITY_PROXY_COUNT", "0").strip()
if not _proxies.isdigit():
    raise ImproperlyConfigured("INTEGRITY_PROXY_COUNT는 앞에 둔 프록시의 수(0 이상의 정수)여야 합니다.")
INTEGRITY_PROXY_COUNT = int(_proxies)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "integrity.web.errors.csrf_failure"  # Korean, in the layout
SECURE_REFERRER_POLICY = "same-origin"

# Background work: Django 6's task API through the django-tasks backport. The
# immediate backend runs a task in the caller; production names a queue backend here.
# django_tasks_db.DatabaseBackend queues work in the database for `manage.py db_worker`.
# A running job writes a sign of life this often (seconds); one silent for the lease is
# taken for dead (its worker was killed), failed, and its partial rows removed.
INTEGRITY_JOB_HEARTBEAT = 10
INTEGRITY_JOB_LEASE = 60
TASKS = {"default": {"BACKEND": os.environ.get("INTEGRITY_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# Uploads: the largest file accepted, in decimal megabytes as the messages say it
# (60 MB = 60,000,000 bytes); the body stops being read there (web/uploads.py), and a
# file over 2.5 MB streams to a temporary file instead of memory.
INTEGRITY_MAX_UPLOAD_BYTES = 60_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000_000  # the form's fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
FILE_UPLOAD_HANDLERS = [
    "integrity.web.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = VAR_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True, mode=0o700)
# Evidence files of incidents (징계의결서, 처분요구서 사본): encrypted at rest under VAR_DIR,
# outside any served directory, with random names; the largest accepted; kept this many
# days after upload, then removed by `manage.py purge_evidence` (docs/incidents.md).
INTEGRITY_EVIDENCE_DIR = VAR_DIR / "evidence"
INTEGRITY_EVIDENCE_MAX_BYTES = int(os.environ.get("INTEGRITY_EVIDENCE_MAX_BYTES", "20000000"))
INTEGRITY_EVIDENCE_RETENTION_DAYS = int(os.environ.get("INTEGRITY_EVIDENCE_RETENTION_DAYS", "730"))
# 청렴노력도 evidence files (증빙자료) per indicator report: encrypted like the incidents' evidence,
# in a directory of their own; the kinds an institution may hand in, the size of one file, and
# how many files one indicator may have (docs/effort.md).
INTEGRITY_EFFORT_EVIDENCE_DIR = VAR_DIR / "effort_evidence"
# The integrity clusters' online space (materials, minutes): encrypted like the evidence.
INTEGRITY_CLUSTER_FILES_DIR = VAR_DIR / "cluster_files"
INTEGRITY_EFFORT_EVIDENCE_MAX_BYTES = int(os.environ.get("INTEGRITY_EFFORT_EVIDENCE_MAX_BYTES", "20000000"))
INTEGRITY_EFFORT_EVIDENCE_TYPES = ("pdf", "hwp", "hwpx", "docx", "xlsx", "jpeg", "png")
INTEGRITY_EFFORT_EVIDENCE_PER_INDICATOR = int(os.environ.get("INTEGRITY_EFFORT_EVIDENCE_PER_INDICATOR", "5"))

# 청렴신문고 (docs/reporting.md): the handling deadline, how coarse a report's date is
# (day or week), the receipt verifier's scrypt cost, attachments, and the rate limits of
# the public pages (follow-ups per network per 10 minutes, wrong codes overall per hour,
# reports per network per day).
INTEGRITY_REPORT_DEADLINE_DAYS = int(os.environ.get("INTEGRITY_REPORT_DEADLINE_DAYS", "60"))
INTEGRITY_REPORT_DATE_PRECISION = os.environ.get("INTEGRITY_REPORT_DATE_PRECISION", "day")
INTEGRITY_REPORT_KDF_N = int(os.environ.get("INTEGRITY_REPORT_KDF_N", str(2**15)))
INTEGRITY_REPORT_ATTACHMENT_MAX_BYTES = int(os.environ.get("INTEGRITY_REPORT_ATTACHMENT_MAX_BYTES", "10000000"))
INTEGRITY_REPORT_ATTACHMENTS = 3
INTEGRITY_REPORT_FOLLOW_PER_NETWORK = 10
INTEGRITY_REPORT_FOLLOW_FAILURES = 1000
INTEGRITY_REPORT_SUBMIT_PER_NETWORK = 10
# Reports and reporters' answers wait sealed until a release inserts them together, in
# random order: when this many wait, and daily at this hour (local time) whatever waits
# (reporting/release.py; `manage.py release_reports` hourly from cron).
INTEGRITY_REPORT_RELEASE_BATCH = int(os.environ.get("INTEGRITY_REPORT_RELEASE_BATCH", "10"))
INTEGRITY_REPORT_RELEASE_HOUR = int(os.environ.get("INTEGRITY_REPORT_RELEASE_HOUR", "0"))
if not 0 <= INTEGRITY_REPORT_RELEASE_HOUR <= 23:
    raise ImproperlyConfigured("INTEGRITY_REPORT_RELEASE_HOUR는 0에서 23 사이의 시(時)여야 합니다.")
# 원스트라이크 아웃 (seed 004): money or gifts of this many won or more flag dismissal.
INTEGRITY_ONE_STRIKE_THRESHOLD = int(os.environ.get("INTEGRITY_ONE_STRIKE_THRESHOLD", "1000000"))

# Fieldwork: links in invitations, and how they are sent.
INTEGRITY_PUBLIC_URL = os.environ.get("INTEGRITY_PUBLIC_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get("INTEGRITY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("INTEGRITY_FROM_EMAIL", "청렴도 측정 <noreply@integrity.invalid>")
INTEGRITY_SMS_BACKEND = os.environ.get("INTEGRITY_SMS_BACKEND", "integrity.apps.fieldwork.sms.ConsoleBackend")
# Messenger (KakaoTalk 알림톡) for mobile links where the year's model says so; empty: by SMS
# only. Production names its provider's class (keys in that provider's own variables) and
# the provider's codes of our templates (JSON, e.g. {"invitation": "INV_01"}); docs/fieldwork.md.
INTEGRITY_MESSENGER_BACKEND = os.environ.get(
    "INTEGRITY_MESSENGER_BACKEND", "integrity.apps.fieldwork.messenger.ConsoleBackend" if DEBUG or DEMO else "")
INTEGRITY_MESSENGER_TEMPLATES = json.loads(os.environ.get("INTEGRITY_MESSENGER_TEMPLATES") or "{}")
# Completed questionnaires are released as responses in batches of at least this many
# of the same institution, survey, task, office, group and mode (fieldwork.release).
INTEGRITY_RELEASE_BATCH = int(os.environ.get("INTEGRITY_RELEASE_BATCH", "20"))
# Bootstrap replicates for the standard errors of a database run: the model file's
# (500 in 2017) unless set here; the test suite sets fewer, the figures' meaning is the same.
INTEGRITY_BOOTSTRAP_REPLICATES = int(os.environ["INTEGRITY_BOOTSTRAP_REPLICATES"]) if os.environ.get(
    "INTEGRITY_BOOTSTRAP_REPLICATES") else None
# Shown to respondents on the first page: whom to ask, and about how long it takes.
INTEGRITY_SURVEY_CONTACT = os.environ.get("INTEGRITY_SURVEY_CONTACT", "국민권익위원회 청렴도 측정 담당 (국번 없이 110)")
INTEGRITY_SECONDS_PER_QUESTION = 10
# Wrong survey links allowed per address before it is slowed down (per 10 minutes).
INTEGRITY_LINK_FAILURES = 20
_redis = INTEGRITY_REDIS_URL = os.environ.get("INTEGRITY_REDIS_URL")
# Rate limits count in the cache: a shared one (Redis) when several processes serve.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis} if _redis
          else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Which measurement model a new year uses unless told otherwise.
INTEGRITY_DEFAULT_MODEL = os.environ.get("INTEGRITY_MODEL", "2017")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
}
