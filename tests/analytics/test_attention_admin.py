"""The admin lists attention flags read-only: no add, no change, no delete, constant queries."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.models import AttentionFlag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 3, 10, 12, tzinfo=UTC)


def flag(name: str, closed: bool = False) -> AttentionFlag:
    return AttentionFlag.objects.create(
        user=UserFactory(display_name=name),
        code="NO_RECENT_RUN",
        severity="warning",
        severity_rank=1,
        message="No run logged yet",
        since=SINCE,
        closed_at=SINCE if closed else None,
    )


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_list_shows_athlete_code_severity_and_state(admin_client):
    flag("Ada Open")
    flag("Cid Closed", closed=True)
    changelist = reverse("admin:analytics_attentionflag_changelist")
    html = admin_client.get(changelist, {"state": "open"}).content.decode()
    assert "Ada Open" in html and "NO_RECENT_RUN" in html and "Cid Closed" not in html
    assert "Cid Closed" in admin_client.get(changelist, {"state": "closed"}).content.decode()


def test_nothing_can_be_added_changed_or_deleted(admin_client):
    row = flag("Ada Open")
    change = reverse("admin:analytics_attentionflag_change", args=[row.pk])
    assert admin_client.get(reverse("admin:analytics_attentionflag_add")).status_code == 403
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"message": "edited"}).status_code == 403
    assert admin_client.post(reverse("admin:analytics_attentionflag_delete", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.message == "No run logged yet"


def test_the_list_is_not_n_plus_one(admin_client):
    changelist = reverse("admin:analytics_attentionflag_changelist")
    flag("First")
    admin_client.get(changelist)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(changelist).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(20):
        flag(f"Runner {n}")
    assert count() == one
