"""The athlete profile page (/athletes/<user_id>/)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.models import Activity, ImportJob
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(client):
    org = OrganizationFactory()
    coach = CoachFactory(display_name="Coach Kim")
    MembershipFactory(user=coach, organization=org, role="coach")
    athlete = UserFactory(display_name="Alex Rivera", timezone="UTC", vdot=50)
    MembershipFactory(user=athlete, organization=org, assigned_coach=coach)
    today = datetime.now(UTC).date()
    plan = TrainingPlanFactory(organization=org, name="Marathon Block A", total_weeks=16)
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=today - timedelta(days=35))
    RaceGoalFactory(athlete=athlete, race_name="Boston Marathon", race_date=today + timedelta(days=60), goal_time=11100)
    ActivityFactory(user=athlete, start_time=datetime.now(UTC) - timedelta(hours=3), distance=21100, duration=6300)
    DailyWellnessFactory(user=athlete, date=today, resting_heart_rate=47)
    client.force_login(coach)
    return {"org": org, "coach": coach, "athlete": athlete}


def page(client, athlete):
    return client.get(f"/athletes/{athlete.public_id}/")


def test_profile_content(client, club):
    response = page(client, club["athlete"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alex Rivera" in html
    assert "Coach: Coach Kim" in html
    assert "Marathon Block A" in html
    assert "week 6 of 16" in html  # 35 days after the start is week 6
    assert 'aria-valuenow="6"' in html
    assert "Boston Marathon" in html
    assert "60 days to go" in html
    assert "goal 3:05:00" in html
    assert 'id="integration-strava" data-status="disconnected"' in html  # integrations listed, not connected
    assert "Data quality: 50/100" in html  # VDOT 20 + pace zones from the VDOT 20 + time zone 10
    assert "Set your pace zones" not in html  # the VDOT gives zones
    assert "Set your heart-rate zones" in html
    for chart in ("chart-distance", "chart-load", "chart-rhr", "chart-fitness"):
        assert f'id="{chart}"' in html
    assert 'id="chart-data"' in html  # the series for the charts, as JSON
    assert "<details><summary>Table</summary>" in html  # text fallback of every chart
    assert "21.1 km" in html  # recent activity
    assert 'class="heat"' in html
    assert "1 run, 21.1 km" in html  # today's square of the streak calendar
    assert "Insights" in html


def test_units_follow_the_viewer(client, club):
    club["coach"].unit_system = "imperial"
    club["coach"].save(update_fields=["unit_system"])
    html = page(client, club["athlete"]).content.decode()
    assert '<td class="num">13.1 mi</td>' in html  # 21.1 km in the recent-activities table
    assert '<td class="num">21.1 km</td>' not in html
    assert "4:59/km" not in html.split('id="recent"')[1]  # paces per mile there too


def test_permissions(client, club):
    athlete = club["athlete"]
    client.logout()
    assert page(client, athlete).status_code == 302
    client.force_login(athlete)
    assert page(client, athlete).status_code == 200  # athletes see themselves
    client.force_login(UserFactory())
    assert page(client, athlete).status_code == 403
    other_coach = CoachFactory()
    MembershipFactory(user=other_coach, organization=OrganizationFactory(), role="coach")
    client.force_login(other_coach)
    assert page(client, athlete).status_code == 403
    assert client.get("/athletes/usr_missing/").status_code == 404


def test_query_count_does_not_grow_with_activities(client, club):
    athlete = club["athlete"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert page(client, athlete).status_code == 200
        return len(ctx.captured_queries)

    page(client, athlete)
    few = count()
    Activity.objects.bulk_create(
        [
            Activity(
                user=athlete,
                start_time=datetime.now(UTC) - timedelta(days=1 + i % 80, hours=i % 5),
                distance=5000,
                duration=1500,
            )
            for i in range(200)
        ]
    )
    page(client, athlete)  # the snapshot is rebuilt once after the data changed
    assert count() == few


def test_rides_show_speed_not_pace(client, club):
    ActivityFactory(
        user=club["athlete"],
        sport="ride",
        start_time=datetime.now(UTC) - timedelta(hours=1),
        distance=30000,
        duration=3600,
    )
    html = client.get(f"/athletes/{club['athlete'].public_id}/").content.decode()
    assert "30.0 km/h" in html  # 30 km in one hour
    assert "2:00/km" not in html


def test_the_athlete_sees_their_imports_and_their_coach_does_not(client, club):
    athlete = club["athlete"]
    ImportJob.objects.create(
        user=athlete,
        file_name="garmin-export.zip",
        status="done",
        counts={"imported": 41, "duplicate": 3, "invalid": 1, "wellness_days": 0},
    )
    ImportJob.objects.create(user=athlete, file_name="export.zip", kind="apple_health", status="running", progress=0.42)

    client.force_login(athlete)
    html = page(client, athlete).content.decode()
    assert 'id="imports"' in html
    assert "<strong>garmin-export.zip</strong>: done · 41 imported, 3 already here, 1 not readable" in html
    assert "<strong>export.zip</strong>: running (42 %) · 0 imported" in html
    assert html.index("export.zip</strong>: running") < html.index("garmin-export.zip")  # newest first

    client.force_login(club["coach"])
    assert 'id="imports"' not in page(client, athlete).content.decode()


def test_imports_cost_the_same_queries_for_one_or_many(client, club):
    athlete = club["athlete"]
    client.force_login(athlete)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert page(client, athlete).status_code == 200
        return len(ctx.captured_queries)

    ImportJob.objects.create(user=athlete, file_name="one.zip")
    page(client, athlete)
    one = count()
    ImportJob.objects.bulk_create([ImportJob(user=athlete, file_name=f"{i}.zip") for i in range(30)])
    assert count() == one
