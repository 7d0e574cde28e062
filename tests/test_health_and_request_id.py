"""/healthz, /readyz, X-Request-ID, and what a lost database becomes (issue 11 §3, §5).

The whole outage (PostgreSQL stopped under load) is drilled in tests/services/test_database_outage.py;
here the pieces: readiness per dependency against real dead addresses, and the mapping of a real
database connection failure."""

import json
import logging

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import override_settings

from accounts.api import views as account_views
from astral.api.errors import exception_handler
from astral.exceptions import database_unavailable
from astral.request_id import RequestIdFilter
from tests.conftest import bearer_client
from tests.faults import broker_down
from tests.test_settings_and_resilience import REDIS_DOWN

pytestmark = pytest.mark.django_db


def test_healthz_asks_no_dependency(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_reports_every_dependency(client):
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"database": "ok", "cache": "ok", "broker": "ok"})


def test_readyz_cache_down_is_degraded_not_unready(client):
    with override_settings(CACHES=REDIS_DOWN, DJANGO_REDIS_IGNORE_EXCEPTIONS=True):
        response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"database": "ok", "cache": "down", "broker": "ok"})


def test_readyz_broker_down_is_degraded_not_unready(client):
    with broker_down():
        response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"database": "ok", "cache": "ok", "broker": "down"})


def _real_connection_failure() -> OperationalError:
    """A real failure of this engine to connect (a dead port / an unopenable file), not a mock."""
    settings = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings["NAME"] = "/nonexistent-folder/astral.sqlite3"
    else:
        settings.update(HOST="127.0.0.1", PORT="1")
    dead = type(connections["default"])(settings, alias="default")  # a separate, unregistered wrapper
    with pytest.raises(OperationalError) as failure:
        dead.ensure_connection()
    return failure.value


def test_a_lost_database_is_a_503_with_the_error_body():
    unavailable = database_unavailable(_real_connection_failure())
    assert (unavailable.code, unavailable.retry_after) == ("SERVICE_UNAVAILABLE", 5)
    response = exception_handler(_real_connection_failure(), {})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.data["details"] == {"code": "SERVICE_UNAVAILABLE", "retry_after": 5}
    assert database_unavailable(ValueError("not a database failure")) is None


def test_every_answer_carries_a_request_id(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32 and int(generated, 16) >= 0
    assert client.get("/healthz")["X-Request-ID"] != generated
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a:01.x_y")["X-Request-ID"] == "lb-7f3a:01.x_y"
    for insane in ("has spaces", "x" * 129, "semi;colon", "<script>"):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=insane)["X-Request-ID"] != insane
    assert client.get("/api/v1/nowhere", HTTP_X_REQUEST_ID="abc-1")["X-Request-ID"] == "abc-1"  # errors too


def test_log_lines_and_the_500_body_carry_it(athlete, monkeypatch):
    def explode(user):
        logging.getLogger("astral.probe").warning("about to fail")
        raise RuntimeError("secret internals")

    class Collect(logging.Handler):  # like the console handler: the filter runs when a line is written
        def __init__(self):
            super().__init__()
            self.addFilter(RequestIdFilter())
            self.ids: dict[str, str] = {}

        def emit(self, record):
            self.ids[record.name] = record.request_id

    collect = Collect()
    monkeypatch.setattr(account_views, "profile_payload", explode)
    for name in ("astral.probe", "django.request"):
        logging.getLogger(name).addHandler(collect)
    try:
        response = bearer_client(athlete).get("/api/v1/auth/me", HTTP_X_REQUEST_ID="trace-500")
    finally:
        for name in ("astral.probe", "django.request"):
            logging.getLogger(name).removeHandler(collect)
    assert response.status_code == 500
    assert json.loads(response.content)["details"] == {"code": "INTERNAL_ERROR", "request_id": "trace-500"}
    assert response["X-Request-ID"] == "trace-500"
    # Our lines and Django's own "Internal Server Error: …" line (logged after the middleware).
    assert collect.ids == {"astral.probe": "trace-500", "django.request": "trace-500"}
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "outside a request", None, None)
    assert RequestIdFilter().filter(outside) and outside.request_id == "-"
