"""Group insights: the numbers of the current ISO week, per group, in a bounded number of queries."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Insight
from analytics.services.group_insight_refresh import group_insights_refresh, group_week_facts
from analytics.tasks import refresh_all_metrics
from tests.factories import (
    ActivityFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 19, 12, tzinfo=UTC)  # Thursday; the ISO week began Monday 2026-11-16


def member(group, name, **membership):
    user = UserFactory(display_name=name)
    MembershipFactory(user=user, organization=group.organization, **membership)
    GroupMembershipFactory(group=group, user=user)
    return user


def test_week_facts_by_hand():
    group = GroupFactory(name="Marathon Block A")
    alex, sam, kim = member(group, "Alex"), member(group, "Sam"), member(group, "Kim")
    rider = member(group, "Rider")
    gone = member(group, "Gone", active=False)
    ActivityFactory(user=alex, start_time=datetime(2026, 11, 16, 7, tzinfo=UTC), distance=20000)
    ActivityFactory(user=alex, start_time=datetime(2026, 11, 18, 7, tzinfo=UTC), distance=12400)
    ActivityFactory(user=sam, start_time=datetime(2026, 11, 17, 7, tzinfo=UTC), distance=10000)
    ActivityFactory(user=sam, sport="ride", start_time=datetime(2026, 11, 17, 9, tzinfo=UTC), distance=50000)
    ActivityFactory(user=rider, sport="ride", start_time=datetime(2026, 11, 18, 9, tzinfo=UTC), distance=40000)
    # Last week: Tuesday is among the same days (Monday–Thursday); Sunday is not.
    ActivityFactory(user=kim, start_time=datetime(2026, 11, 10, 7, tzinfo=UTC), distance=30000)
    ActivityFactory(user=kim, start_time=datetime(2026, 11, 15, 23, tzinfo=UTC), distance=25000)
    ActivityFactory(user=gone, start_time=datetime(2026, 11, 17, 7, tzinfo=UTC), distance=99000)

    facts = group_week_facts([group], NOW)[group.pk]

    assert facts == {
        "group_name": "Marathon Block A",
        "week_distance_km": 42.4,  # 20 + 12.4 + 10; rides and the inactive member do not count
        "previous_week_distance_km": 30.0,  # Monday–Thursday of last week: Kim's Tuesday only
        "active_members": 3,  # Alex, Sam and the rider: any activity makes a member active
        "members": 4,
        "top_member_name": "Alex",
        "top_member_km": 32.4,
        "days_into_week": 4,
    }


def test_refresh_stores_one_text_per_group_and_replaces_it():
    org = OrganizationFactory()
    first, second = GroupFactory(organization=org, name="5K Speed"), GroupFactory(organization=org, name="Trail")
    runner = member(first, "Alex")
    ActivityFactory(user=runner, start_time=datetime(2026, 11, 17, 7, tzinfo=UTC), distance=8000)

    group_insights_refresh(groups=[first, second], now=NOW)
    group_insights_refresh(groups=[first, second], now=NOW)

    texts = dict(Insight.objects.filter(kind="group").values_list("group__name", "text"))
    assert len(texts) == 2
    assert "5K Speed" in texts["5K Speed"]
    assert "8.0 km" in texts["5K Speed"]
    assert "Alex" in texts["5K Speed"]


def test_query_count_does_not_grow_with_groups():
    def count(groups):
        with CaptureQueriesContext(connection) as ctx:
            group_insights_refresh(groups=groups, now=NOW)
        return len(ctx.captured_queries)

    org = OrganizationFactory()

    def make(n):
        groups = []
        for _ in range(n):
            group = GroupFactory(organization=org)
            ActivityFactory(user=member(group, "X"), start_time=datetime(2026, 11, 17, tzinfo=UTC))
            groups.append(group)
        return groups

    assert count(make(1)) == count(make(20))


@pytest.mark.django_db(transaction=True)  # the services pass's worker reads the rows on its own connection
def test_hourly_job_covers_athletes_and_groups(tasks):
    group = GroupFactory()
    athlete = member(group, "Alex")
    refresh_all_metrics()
    tasks.settle()
    assert Insight.objects.filter(kind="group", group=group).exists()
    assert Insight.objects.filter(kind="weekly_summary", user=athlete).exists()
