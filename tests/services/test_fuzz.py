"""Issue 11 §1: schemathesis fuzzes every operation of /api/schema/ on the real database, as a
coach, as an athlete and with an organization's API key: no 5xx, every answer as documented
(status, content type, body), and no operation that ignores authentication. A fixed seed and a
bounded number of examples per operation keep it reproducible and short."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationConfig
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_schema_conformance,
)

from accounts.services import access_token_issue
from organizations.services import api_key_create
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1",
        reason="runs in the services pass of `make test` (the real PostgreSQL is what it is for)",
    ),
    pytest.mark.no_schema_check("schemathesis validates every answer itself"),
]

EXAMPLES_PER_OPERATION = int(os.environ.get("ASTRAL_FUZZ_EXAMPLES", "6"))
CHECKS = (not_a_server_error, response_schema_conformance, content_type_conformance, ignored_auth)
# A zip has no JSON body to check against a schema (schemathesis would decode it as text).
BINARY = ("GET /api/v1/users/me/export",)
BINARY_CHECKS = (not_a_server_error, content_type_conformance, ignored_auth)


def identities() -> dict[str, dict]:
    """A coach (admin of the club), an athlete who accepted them, and the club's API key."""
    org = OrganizationFactory(name="Fuzz Club")
    coach, athlete = CoachFactory(username="fuzz-coach"), UserFactory(username="fuzz-athlete", timezone="Asia/Tokyo")
    MembershipFactory(user=coach, organization=org, role="admin")
    MembershipFactory(user=athlete, organization=org, assigned_coach=coach)
    group = GroupFactory(organization=org, name="Fuzzers")
    GroupMembershipFactory(group=group, user=athlete)
    ActivityFactory(user=athlete)
    raw_key, _ = api_key_create(organization=org, name="fuzz", created_by=coach)
    return {
        "coach": {"Authorization": f"Bearer {access_token_issue(user=coach)[0]}"},
        "athlete": {"Authorization": f"Bearer {access_token_issue(user=athlete)[0]}"},
        "api_key": {"X-API-Key": raw_key},
    }


# Operations that end the caller's session or account run last, so that the rest reach real logic.
LAST = ("POST /api/v1/auth/password_change", "POST /api/v1/auth/logout", "DELETE /api/v1/users/me")


def ends_the_session(operation) -> int:
    return LAST.index(operation.verbose_name) + 1 if operation.verbose_name in LAST else 0


def fuzz(operation, headers: dict) -> str | None:
    """Run one operation's generated cases; the first failure's report, or None."""
    checks = CHECKS if operation.verbose_name not in BINARY else BINARY_CHECKS

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,  # the fixed seed
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.headers = case.headers or {}  # ignored_auth writes its junk credentials into it
        response = case.call_wsgi(headers=headers)
        # The credentials as explicit transport headers: ignored_auth resends without them, and with junk.
        case.validate_response(response, checks=checks, headers=headers, transport_kwargs={"headers": headers})

    try:
        run()
    except Exception as error:  # noqa: BLE001 — collected, reported together below
        return f"{operation.verbose_name}: {str(error)[:1500]}"
    return None


# Operations whose rules JSON Schema cannot state, so most generated cases are (rightly) a 400:
REJECTING = {
    "POST /api/v1/auth/verify_email/confirm": "the token is the secret of a mailed link",
    "POST /api/v1/auth/password_reset/confirm": "the token is the secret of a mailed link",
    "POST /api/v1/auth/password_change": "old_password must be the account's password",
    "DELETE /api/v1/users/me": "the password confirms the deletion",
    "POST /api/v1/auth/register": "Django's password validators: not common, not all digits, not like the username",
    "POST /api/v1/activities/import": "the file must be a readable FIT, GPX or TCX file",
    "POST /api/v1/activities": "start_time from 1990 to a day ahead of now; elapsed_time ≥ duration",
    "PUT /api/v1/wellness/{day}": "the day may not be in the future (relative to today)",
    "GET /api/v1/analytics/race_calculator": "distance and time together must give a plausible VDOT (15–100)",
    "GET /api/v1/analytics/activity_stats": "from ≤ to, and at most so many days apart",
    "GET /api/v1/analytics/health_metrics": "from ≤ to, and at most so many days apart",
    "GET /api/v1/analytics/calendar": "from ≤ to, and at most 100 days apart",
    "GET /api/v1/analytics/running_stats": "from_timestamp ≤ to_timestamp, within 365 days, at most 7 days ahead",
    "GET /api/v1/integrations/strava/callback": "state is the single-use secret Astral gave Strava for one athlete",
    "POST /api/v1/notifications/read": "one optional field: most generated bodies are extra keys, whose names carry "
    "control characters (OpenAPI 3.0 has no propertyNames to state that rule)",
}
MOSTLY = 0.5  # any other operation: at most half its generated cases answered 400
REJECTION_EXAMPLES = int(os.environ.get("ASTRAL_FUZZ_REJECTION_EXAMPLES", "15"))


def rejections(operation, headers: dict) -> tuple[int, int, dict[str, int]]:
    """(cases, 400s, count per `field:code`) of one operation's generated cases: how many never
    got past validation, i.e. how much looser the schema is than the API."""
    cases, reasons = [0], {}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=REJECTION_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call_wsgi(headers=headers)
        cases[0] += 1
        if response.status_code == 400:
            details = response.json["details"]
            reason = f"{details.get('field')}:{details['code']}"
            reasons[reason] = reasons.get(reason, 0) + 1

    run()
    return cases[0], sum(reasons.values()), reasons


@pytest.fixture
def keep_the_test_connection():
    """Calls straight into the WSGI app: as Django's test client does, keep its request signals
    from closing the test's database connection (and with it the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def all_operations() -> list:
    from astral.wsgi import application

    # Our own identities carry the credentials; schemathesis' ignored_auth probes without and
    # with junk ones (generated credential headers would only collide with ours).
    schema = schemathesis.from_wsgi(
        "/api/schema/", application, generation_config=GenerationConfig(with_security_parameters=False)
    )
    return sorted((result.ok() for result in schema.get_all_operations()), key=ends_the_session)


@pytest.mark.django_db
def test_every_operation_survives_generated_input(keep_the_test_connection):
    operations = all_operations()
    assert len(operations) >= 60
    failures = []
    for who, headers in identities().items():
        for operation in operations:
            if (failure := fuzz(operation, headers)) is not None:
                failures.append(f"[{who}] {failure}")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.django_db
def test_generated_input_mostly_passes_validation(keep_the_test_connection):
    """The schema tells the truth about validation (issue 11 §1): data generated from it reaches
    the real logic. An operation with most of its cases a 400 has a rule the schema does not state
    (a range, a format, an enum, a required field): state it, or list the operation in REJECTING."""
    coach = identities()["coach"]  # the caller who may reach the most
    loose = []
    for operation in all_operations():
        cases, rejected, reasons = rejections(operation, coach)
        if operation.verbose_name not in REJECTING and rejected > MOSTLY * cases:
            top = ", ".join(f"{reason} ×{n}" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:3])
            loose.append(f"{operation.verbose_name}: {rejected}/{cases} answered 400 ({top})")
    assert loose == [], "\n".join(loose)
