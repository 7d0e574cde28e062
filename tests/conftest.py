"""Test plumbing. With ASTRAL_REQUIRE_SERVICES=1 (set by `make test` when CI=true) the run
refuses to start unless it really talks to PostgreSQL and Redis: a missing service fails."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import schema_check
from tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("ASTRAL_REQUIRE_SERVICES") == "1"


def _check_services() -> list[str]:
    problems = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        problems.append(f"DATABASE_URL must point at PostgreSQL, got engine {engine}")
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        problems.append("REDIS_URL is not set: the cache is not Redis")
    else:
        from django_redis import get_redis_connection

        try:
            get_redis_connection("default").ping()
        except Exception as exc:  # noqa: BLE001 - any failure means the service is missing
            problems.append(f"Redis at {settings.REDIS_URL} is unreachable: {exc}")
    if not settings.CELERY_BROKER_URL:
        problems.append("CELERY_BROKER_URL is not set")
    return problems


def pytest_configure(config):
    schema_check.install()
    if REQUIRE_SERVICES:
        problems = _check_services()
        if problems:
            pytest.exit("Required services missing:\n  " + "\n  ".join(problems), returncode=3)


@pytest.fixture(autouse=REQUIRE_SERVICES)
def never_eager():
    """The services pass never runs tasks eagerly: every task goes through the real broker (the
    `tasks` fixture starts a real worker for tests that need their effect)."""
    from astral.celery import app

    assert not app.conf.task_always_eager, "task_always_eager is on in the services pass"
    yield
    assert not app.conf.task_always_eager, "this test turned task_always_eager on in the services pass"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Read the installation id (the namespace of every cache key) once, right after the test
    database is migrated: otherwise its one query would land in whichever test first touches the
    cache and break that test's query budget."""
    from astral.installation import installation_id

    with django_db_blocker.unblock():
        installation_id()


@pytest.fixture
def installation_switch(db, monkeypatch):
    """For tests that switch this process to another installation id: the memo of the session's
    id comes back afterwards (the database row goes back with the test's transaction)."""
    from astral import installation

    monkeypatch.setattr(installation, "_memo", installation.installation_id())
    return installation


@pytest.fixture(scope="session")
def _openapi_checker():
    """The schema is generated once per run, before any test: never inside a test's query budget
    or settings override (a cache outage, another URL configuration)."""
    return schema_check.checker()


@pytest.fixture(autouse=True)
def _schema_check(request, _openapi_checker):
    """Every API response of the test client is validated against the OpenAPI schema
    (tests/schema_check.py); `@pytest.mark.no_schema_check(reason=...)` opts a test out."""
    schema_check.state["enabled"] = request.node.get_closest_marker("no_schema_check") is None
    yield
    schema_check.state["enabled"] = True


@pytest.fixture(autouse=True)
def _isolated_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def bearer_client(user) -> APIClient:
    """An API client authenticated with a fresh access token of `user`."""
    from accounts.services import access_token_issue

    token, _ = access_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def athlete(db):
    return UserFactory()


@pytest.fixture
def athlete_client(athlete) -> APIClient:
    return bearer_client(athlete)


@pytest.fixture
def tasks():
    """Queued Celery tasks get run — inline in the embedded pass, by a real worker on the real
    broker in the services pass (tests/task_worker.py); `tasks.settle()` waits for them."""
    from tests.task_worker import task_worker

    with task_worker() as worker:
        yield worker


@pytest.fixture
def strava(settings):
    """The local Strava double over real HTTP, with this installation pointed at it."""
    from tests.strava_double import StravaDouble

    with StravaDouble() as double:
        settings.STRAVA_CLIENT_ID, settings.STRAVA_CLIENT_SECRET = double.client_id, double.client_secret
        settings.STRAVA_OAUTH_BASE, settings.STRAVA_API_BASE = double.oauth_base, double.api_base
        settings.PUBLIC_URL = "https://astral.example.com"
        yield double


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port; mail sent from this process goes to it."""
    from tests.smtp import smtp_mailers, start_smtp_server

    controller, server = start_smtp_server()
    settings.MAILERS = smtp_mailers(server.host, server.port)
    yield server
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, tasks):
    """The real SMTP server, with mail tasks run (inline, or by the services pass's real worker)."""
    smtp_server.settle = tasks.settle
    return smtp_server
