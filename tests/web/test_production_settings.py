"""Production settings that hold: check --deploy clean, weak keys and leaky message
backends refused at start, private files, no-store on respondents' pages, security
headers on static files, staff sessions that end."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from integrity.pii import new_key

ROOT = Path(__file__).resolve().parents[2]


def _production(tmp_path, **overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTEGRITY_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "integrity.web.settings", "PYTHONPATH": os.pathsep.join(sys.path),
        "INTEGRITY_VAR_DIR": str(tmp_path / "var"), "INTEGRITY_SECRET_KEY": "k" + new_key() + new_key(),
        "INTEGRITY_PII_KEY": new_key(), "INTEGRITY_ALLOWED_HOSTS": "integrity.example.kr",
        "INTEGRITY_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "INTEGRITY_SMS_BACKEND": "integrity.apps.fieldwork.sms.DiscardBackend",
    })
    env.update(overrides)
    return env


def _manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production(tmp_path):
    done = _manage(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("INTEGRITY_SECRET_KEY", "short-key", "INTEGRITY_SECRET_KEY가 너무 짧거나 단순합니다"),
    ("INTEGRITY_SECRET_KEY", "ab" * 40, "INTEGRITY_SECRET_KEY가 너무 짧거나 단순합니다"),
    ("INTEGRITY_PII_KEY", "not-base64-!!", "INTEGRITY_PII_KEY는 무작위 32바이트"),
    ("INTEGRITY_PII_KEY", "A" * 43 + "=", "INTEGRITY_PII_KEY는 무작위 32바이트"),
    ("INTEGRITY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend", "운영 모드에서는 전자우편을"),
    ("INTEGRITY_SMS_BACKEND", "integrity.apps.fieldwork.sms.ConsoleBackend", "운영 모드에서는 문자를"),
    ("INTEGRITY_SMS_BACKEND", "integrity.apps.fieldwork.sms.FileBackend", "운영 모드에서는 문자를"),
    ("INTEGRITY_MESSENGER_BACKEND", "integrity.apps.fieldwork.messenger.ConsoleBackend", "운영 모드에서는 알림톡을"),
    ("INTEGRITY_MESSENGER_BACKEND", "integrity.apps.fieldwork.messenger.LocMemBackend", "운영 모드에서는 알림톡을"),
])
def test_weak_keys_and_leaky_backends_refuse_to_start(tmp_path, variable, value, said):
    done = _manage(_production(tmp_path, **{variable: value}), "check")
    assert done.returncode != 0 and said in done.stderr


def test_the_var_folder_and_the_database_are_private(tmp_path):
    assert _manage(_production(tmp_path), "check").returncode == 0
    var = tmp_path / "var"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "integrity.sqlite3").stat().st_mode) == 0o600


def test_every_respondent_page_is_never_stored(client, invited, settings):
    settings.INTEGRITY_LINK_FAILURES = 1
    token = invited[0]
    responses = [
        client.get(f"/s/{token}/"), client.post(f"/s/{token}/", {"start": "1"}), client.get(f"/s/{token}/thanks/"),
        client.get(f"/s/{token}/opt-out/"), client.get(f"/s/{token}/phone/"), client.get(f"/s/{token}/language/en/"),
        client.get("/s/no-such-link-000000000000/"), client.get("/s/no-such-link-000000000001/"),  # 404, then 429
    ]
    assert [r.status_code for r in responses][-2:] == [404, 429]
    for response in responses:
        assert "no-store" in response["Cache-Control"], response


def test_static_files_carry_the_security_headers(client, db):
    response = client.get("/static/integrity.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"


def test_staff_sessions_end_at_browser_close_and_after_a_working_day(client, users, settings):
    from tests.registry_fixtures import PASSWORD

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE == 9 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.post("/accounts/login/", {"username": "analyst", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie


def test_behind_a_proxy_check_deploy_asks_how_many_proxies_add_the_client(tmp_path):
    behind = _production(tmp_path, INTEGRITY_PROXY_SSL_HEADER="X-Forwarded-Proto")
    warned = _manage(behind, "check", "--deploy", "--fail-level", "WARNING")
    assert warned.returncode != 0 and "integrity.W001" in warned.stderr + warned.stdout
    told = _manage(behind | {"INTEGRITY_PROXY_COUNT": "1"}, "check", "--deploy", "--fail-level", "WARNING")
    assert told.returncode == 0, told.stderr + told.stdout


@pytest.mark.parametrize("value", ["one", "-1"])
def test_a_proxy_count_that_is_not_a_count_refuses_to_start(tmp_path, value):
    done = _manage(_production(tmp_path, INTEGRITY_PROXY_COUNT=value), "check")
    assert done.returncode != 0 and "INTEGRITY_PROXY_COUNT는 앞에 둔 프록시의 수" in done.stderr


def test_production_without_a_messenger_backend_sends_mobile_links_by_sms(tmp_path):
    done = _manage(_production(tmp_path), "shell", "-c",
                   "from django.conf import settings; print(repr(settings.INTEGRITY_MESSENGER_BACKEND))")
    assert done.returncode == 0 and done.stdout.strip().splitlines()[-1] == "''", done.stderr


def test_every_page_carries_a_content_security_policy(client, users):
    """Scripts only from the site itself, no framing, no plugin, forms post only here:
    an injected tag in a name or a note cannot run or send a form elsewhere."""
    for url in ("/accounts/login/", "/results/", "/no-such-page/", "/api/v1/docs"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "object-src 'none'" in policy and "form-action 'self'" in policy and "unsafe-eval" not in policy


def test_a_files_own_stricter_policy_is_kept(client, users, settings):
    from django.http import HttpResponse

    from integrity.web.middleware import ContentSecurityPolicyMiddleware

    own = HttpResponse("x")
    own["Content-Security-Policy"] = "default-src 'none'; sandbox"
    assert ContentSecurityPolicyMiddleware(lambda r: own)(None)["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_language_cookie_is_secure_httponly_and_same_site_in_production(tmp_path):
    """The staff's language switch (Django's set_language) set a cookie without these flags."""
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE)")
    done = subprocess.run([sys.executable, "-c", code], env=_production(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True", "Lax"], done.stderr


def test_the_language_switch_sets_an_httponly_same_site_cookie(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/results/"})
    cookie = response.cookies["django_language"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
