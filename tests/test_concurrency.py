"""Issue 11 §2: duplicates are refused by the database, not by a check-then-insert — proven with
real concurrent requests (threads, each on its own database connection) on PostgreSQL, where
two transactions really interleave. The embedded SQLite pass serializes writers, so these run in
the services pass."""

import threading
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from analytics.models import Activity, DailyWellness
from astral.api.errors import status_of
from astral.exceptions import ApplicationError
from organizations import services as organization_services
from organizations.models import Group, MemberRole, Membership
from tests.analytics.test_import_api import ACTIVITIES_DIR
from tests.conftest import bearer_client
from tests.factories import CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real interleaving needs PostgreSQL (services pass)"),
    pytest.mark.no_schema_check("threads answer outside the test's own response hook"),
]


def at_once(*calls) -> list:
    """Run the calls in threads released together; each closes its own connection. Returns each
    call's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 — the result under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def statuses(responses) -> Counter:
    return Counter(response.status_code for response in responses)


def test_two_identical_runs_logged_at_once_store_one(athlete):
    run = {"start_time": "2026-11-20T07:00:00Z", "sport": "run", "distance": 10000, "duration": 3000}
    clients = [bearer_client(athlete) for _ in range(4)]
    responses = at_once(*(lambda c=c: c.post("/api/v1/activities", run, format="json") for c in clients))
    assert statuses(responses) == Counter({201: 1, 409: 3})
    stored = Activity.objects.get(user=athlete)
    for response in responses:
        if response.status_code == 409:
            assert response.json()["details"] == {"code": "DUPLICATE_ACTIVITY", "activity_id": stored.public_id}


def test_two_identical_imports_sent_at_once_store_one(athlete):
    content = (ACTIVITIES_DIR / "garmin-fenix-5-run.fit").read_bytes()
    clients = [bearer_client(athlete) for _ in range(2)]

    def upload(client):
        file = SimpleUploadedFile("run.fit", content)
        return client.post("/api/v1/activities/import", {"file": file}, format="multipart")

    responses = at_once(*(lambda c=c: upload(c) for c in clients))
    assert statuses(responses) == Counter({201: 1, 409: 1})
    assert Activity.objects.filter(user=athlete).count() == 1


def test_the_same_group_created_twice_at_once_is_one_group():
    org = OrganizationFactory()
    admin = CoachFactory()
    MembershipFactory(user=admin, organization=org, role=MemberRole.ADMIN)
    url = f"/api/v1/organizations/{org.public_id}/groups"
    clients = [bearer_client(admin) for _ in range(3)]
    responses = at_once(*(lambda c=c: c.post(url, {"name": "Juniors"}, format="json") for c in clients))
    assert statuses(responses) == Counter({201: 1, 409: 2})
    assert {r.json()["details"]["code"] for r in responses if r.status_code == 409} == {"GROUP_EXISTS"}
    assert Group.objects.filter(organization=org).count() == 1


def test_the_same_membership_granted_twice_at_once_is_one_membership():
    org, runner = OrganizationFactory(), UserFactory()
    results = at_once(
        *(
            lambda: organization_services.membership_grant(organization=org, user=runner, role=MemberRole.ATHLETE)
            for _ in range(2)
        )
    )
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and (status_of(refused[0]), refused[0].code) == (409, "ALREADY_MEMBER")
    assert Membership.objects.filter(organization=org, user=runner).count() == 1


def test_wellness_for_one_day_written_at_once_is_one_row_with_both_measures(athlete):
    clients = [bearer_client(athlete) for _ in range(2)]
    bodies = [{"resting_heart_rate": 48}, {"hrv": 71.5}]
    responses = at_once(
        *(
            lambda c=c, b=b: c.put("/api/v1/wellness/2026-11-20", b, format="json")
            for c, b in zip(clients, bodies, strict=True)
        )
    )
    assert statuses(responses) == Counter({201: 1, 200: 1})  # one created the day, the other updated it
    row = DailyWellness.objects.get(user=athlete)
    assert (row.resting_heart_rate, row.hrv) == (48, 71.5)
