"""Production settings pass `check --deploy` and refuse to start without a SECRET_KEY.

Each case runs in a subprocess: the prod settings must be imported fresh, outside the suite's own
(test) settings.
"""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "servicedesk.settings.prod",
    # prod reads env.db("DATABASE_URL"); `check` does not connect, so any URL will do
    "DATABASE_URL": "postgres://servicedesk:unused@127.0.0.1:5432/servicedesk",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "desk.example.com",
}
# Variables that would change what the prod settings compute; the test sets its own.
CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests set it in this process; production never does
)


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(PROD_ENV)
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _dotenv_sets_secret_key() -> bool:
    dotenv = ROOT / ".env"
    if not dotenv.exists():
        return False
    lines = dotenv.read_text(encoding="utf-8", errors="replace").splitlines()
    return any(line.strip().removeprefix("export ").lstrip().startswith("SECRET_KEY=") for line in lines)


def test_check_deploy_passes_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_env(SECRET_KEY=_secret_key()))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "security.W" not in output, output


def test_prod_settings_require_secret_key():
    if _dotenv_sets_secret_key():
        pytest.skip("a local .env sets SECRET_KEY, and base.py reads it")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_prod_settings_values():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_env(SECRET_KEY=_secret_key()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "django.db.backends.postgresql",
        "servicedesk.core.cache_redis.ReusedClientRedisCache",
        PROD_ENV["REDIS_URL"],
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_prod_sends_hsts_secure_cookies_and_a_strict_csp():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.SESSION_COOKIE_AGE, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], "
        "'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, 'axes.middleware.AxesMiddleware' in s.MIDDLEWARE]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=_env(SECRET_KEY=_secret_key()), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [31536000, True, True, True, True, True, True, 43200, ["'self'"], True, True]
