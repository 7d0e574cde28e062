"""Production settings pass `check --deploy`; a cache outage never fails a request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from accounts.models import AccessToken
from tests.factories import TEST_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7!kq2-production-like-secret-value-with-enough-entropy-0d9f8a7s6d5f4g3h2j1k",
    "DJANGO_HTTPS": "true",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_ALLOWED_HOSTS": "astral.example.com",
    "EMAIL_HOST": "smtp.example.com",  # production mail goes out over SMTP (the console backend fails the check)
}


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_defaults():
    # The same check must fail without the production variables, or it proves nothing. DEBUG on is
    # the only way to start without a key, so these are the development defaults.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={"DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W009" in output  # the development SECRET_KEY
    assert "security.W018" in output  # DEBUG on


SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print('started', settings.DEBUG, settings.SECRET_KEY.startswith('django-insecure'))"
)


def run_python(code: str, env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "astral.settings", **env_overrides})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("debug", [{"DJANGO_DEBUG": "false"}, {}], ids=["debug-false", "debug-unset"])
def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off(debug):
    result = run_python(SETTINGS_PROBE, env_overrides=debug)
    assert result.returncode == 1
    assert "started" not in result.stdout
    assert "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is not set." in result.stderr
    assert "DJANGO_DEBUG=true" in result.stderr  # the message says how to start locally


def test_settings_load_without_a_secret_key_when_debug_is_on():
    result = run_python(SETTINGS_PROBE, env_overrides={"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started True True"


def test_settings_load_with_a_secret_key_when_debug_is_off():
    result = run_python(SETTINGS_PROBE, env_overrides={"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 60})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started False False"


def test_the_test_run_itself_has_debug_off_and_a_test_only_key(settings):
    # tests/settings.py provides the key before astral.settings loads; pytest-django turns DEBUG off.
    assert settings.DEBUG is False
    assert os.environ["DJANGO_SECRET_KEY"] == settings.SECRET_KEY
    assert settings.SETTINGS_MODULE == "tests.settings"


REDIS_DOWN = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


@pytest.mark.django_db
def test_login_and_profile_work_while_redis_is_down(api):
    UserFactory(username="kip")
    with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
        assert caches["default"].get("anything") is None  # the outage is real, and silent
        response = api.post("/api/v1/auth/login", {"username": "kip", "password": TEST_PASSWORD}, format="json")
        assert response.status_code == 200
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
        assert api.get("/api/v1/auth/me").json()["username"] == "kip"
        wrong = api.post("/api/v1/auth/login", {"username": "kip", "password": "wrong"}, format="json")
        assert wrong.status_code == 401
    assert AccessToken.objects.count() == 1
