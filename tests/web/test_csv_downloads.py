"""The pages' "Download CSV" links (Athletes page, athlete profile) and the web views they hit:
session login, the page's filters carried into the link, the same CSV as the API, 403/404 pages."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from analytics.models import Activity
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def csv_lines(response) -> list[str]:
    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode().splitlines()


@pytest.fixture
def club():
    org, other_org = OrganizationFactory(name="Harbour Runners"), OrganizationFactory()
    coach, other_coach = CoachFactory(display_name="Coach Kim"), CoachFactory()
    MembershipFactory(user=coach, organization=org, role="admin")
    MembershipFactory(user=other_coach, organization=other_org, role="coach")
    alex = UserFactory(username="alex.r", display_name="Alex Rivera", timezone="UTC")
    bea = UserFactory(username="bea.s", display_name="Bea Stone", timezone="UTC")
    MembershipFactory(user=alex, organization=org, assigned_coach=coach)
    MembershipFactory(user=bea, organization=org)
    group = GroupFactory(organization=org, name="Tempo Crew")
    GroupMembershipFactory(group=group, user=alex)
    run = ActivityFactory(user=alex, start_time=datetime(2026, 3, 1, 6, 30, tzinfo=UTC), distance=12000)
    Activity.objects.filter(pk=run.pk).update(
        created_at=datetime(2026, 3, 1, 9, tzinfo=UTC), updated_at=datetime(2026, 3, 1, 9, tzinfo=UTC)
    )
    return {"org": org, "coach": coach, "other_coach": other_coach, "alex": alex, "bea": bea, "group": group}


def logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)  # a GET download needs no CSRF token
    client.force_login(user)
    return client


class TestAthletesPage:
    def test_the_link_carries_the_current_filters_and_sort_not_the_page(self, club):
        html = logged_in(club["coach"]).get("/athletes/", {"unassigned": "1", "sort": "load", "page": "1"})
        assert 'id="roster-csv" href="/athletes/export.csv?unassigned=1&amp;sort=load"' in html.content.decode()

    def test_the_htmx_table_refresh_updates_the_link(self, club):
        response = logged_in(club["coach"]).get("/athletes/", {"search": "bea"}, HTTP_HX_REQUEST="true")
        assert 'href="/athletes/export.csv?search=bea"' in response.content.decode()

    def test_the_download_is_the_roster_as_filtered(self, club):
        client = logged_in(club["coach"])
        every = csv_lines(client.get("/athletes/export.csv"))
        assert every[0].startswith("user_id,username,display_name,")
        assert [line.split(",")[1] for line in every[1:]] == ["alex.r", "bea.s"]
        grouped = csv_lines(client.get("/athletes/export.csv", {"group_id": club["group"].public_id}))
        assert [line.split(",")[1] for line in grouped[1:]] == ["alex.r"]
        unassigned = csv_lines(client.get("/athletes/export.csv", {"unassigned": "1"}))
        assert [line.split(",")[1] for line in unassigned[1:]] == ["bea.s"]
        response = client.get("/athletes/export.csv")
        assert response["Content-Disposition"] == f'attachment; filename="athletes-{club["org"].public_id}.csv"'

    def test_sorted_as_the_page(self, club):
        ActivityFactory(user=club["alex"], start_time=datetime.now(UTC) - timedelta(seconds=30), distance=8000)
        client = logged_in(club["coach"])
        client.get("/athletes/")  # builds the snapshots: Alex has run 8 km this week, Bea 0
        ascending = csv_lines(client.get("/athletes/export.csv", {"sort": "weekly_distance", "dir": "asc"}))
        assert [line.split(",")[1] for line in ascending[1:]] == ["bea.s", "alex.r"]
        descending = csv_lines(client.get("/athletes/export.csv", {"sort": "weekly_distance"}))
        assert [line.split(",")[1] for line in descending[1:]] == ["alex.r", "bea.s"]

    def test_login_required(self, club):
        response = Client().get("/athletes/export.csv")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_another_organization_is_403_and_a_bad_filter_400(self, club):
        other = logged_in(club["other_coach"]).get("/athletes/export.csv", {"org_id": club["org"].public_id})
        assert other.status_code == 403
        athlete = logged_in(club["alex"]).get("/athletes/export.csv", {"org_id": club["org"].public_id})
        assert athlete.status_code == 403
        bad = logged_in(club["coach"]).get(
            "/athletes/export.csv", {"group_id": club["group"].public_id, "unassigned": "1"}
        )
        assert bad.status_code == 400
        assert "cannot be combined" in bad.content.decode()

    def test_only_get(self, club):
        client = Client()
        client.force_login(club["coach"])
        assert client.post("/athletes/export.csv").status_code == 405


class TestProfileDownloads:
    def test_the_profile_links_both_downloads(self, club):
        alex = club["alex"]
        for viewer in (club["coach"], alex):
            html = logged_in(viewer).get(f"/athletes/{alex.public_id}/").content.decode()
            assert f'id="activities-csv" href="/athletes/{alex.public_id}/activities.csv"' in html
            assert f'id="wellness-csv" href="/athletes/{alex.public_id}/wellness.csv"' in html

    def test_activities_for_the_coach_and_the_athlete(self, club):
        alex = club["alex"]
        for viewer in (club["coach"], alex):
            rows = csv_lines(logged_in(viewer).get(f"/athletes/{alex.public_id}/activities.csv"))
            assert len(rows) == 2
            assert rows[1].split(",")[1:8] == [
                alex.public_id,
                "run",
                "2026-03-01T06:30:00Z",
                "2026-03-01T06:30:00+00:00",
                "2026-03-01",
                "UTC",
                "12000.0",
            ]

    def test_wellness_covers_the_last_400_days(self, club):
        alex, today = club["alex"], datetime.now(UTC).date()
        DailyWellnessFactory(user=alex, date=today - timedelta(days=399), resting_heart_rate=50)
        DailyWellnessFactory(user=alex, date=today - timedelta(days=400), resting_heart_rate=60)
        response = logged_in(club["coach"]).get(f"/athletes/{alex.public_id}/wellness.csv")
        rows = csv_lines(response)
        assert rows[0] == "date,resting_heart_rate,hrv,hrv_sdnn,vo2_max,recovery_score,sleep_hours"
        assert [row.split(",")[:2] for row in rows[1:]] == [[(today - timedelta(days=399)).isoformat(), "50"]]

    @pytest.mark.parametrize("path", ["activities.csv", "wellness.csv"])
    def test_wrong_coach_403_unknown_404_anonymous_to_login(self, club, path):
        alex = club["alex"]
        assert logged_in(club["other_coach"]).get(f"/athletes/{alex.public_id}/{path}").status_code == 403
        assert logged_in(club["bea"]).get(f"/athletes/{alex.public_id}/{path}").status_code == 403
        assert logged_in(club["coach"]).get(f"/athletes/usr_0000000000000000/{path}").status_code == 404
        anonymous = Client().get(f"/athletes/{alex.public_id}/{path}")
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")

    def test_a_bad_range_is_the_400_page(self, club):
        response = logged_in(club["coach"]).get(
            f"/athletes/{club['alex'].public_id}/wellness.csv", {"from": "2026-03-02", "to": "2026-03-01"}
        )
        assert response.status_code == 400
        assert "to must not be before from" in response.content.decode()
