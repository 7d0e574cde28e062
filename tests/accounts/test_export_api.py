"""GET users/me/export: the exact content of the zip, streamed in bounded chunks."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest

from accounts.models import User
from analytics.models import Activity, Comment
from analytics.selectors import export
from tests.conftest import bearer_client
from tests.factories import (
    ActivityFactory,
    CoachFactory,
    DailyWellnessFactory,
    GroupFactory,
    GroupMembershipFactory,
    LabelFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    RaceGoalFactory,
    TrainingPlanFactory,
    UserFactory,
)

URL = "/api/v1/users/me/export"
pytestmark = pytest.mark.django_db


def comment_at(*, activity, author, text, at):
    comment = Comment.objects.create(activity=activity, author=author, text=text)
    Comment.objects.filter(pk=comment.pk).update(created_at=at)
    return comment


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(archive, name) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))


@pytest.fixture
def maria():
    user = UserFactory(username="maria", email="maria@example.com", display_name="María", timezone="Europe/Madrid")
    User.objects.filter(pk=user.pk).update(date_joined=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    return User.objects.get(pk=user.pk)


def test_the_zip_holds_exactly_the_users_data(maria):
    late = ActivityFactory(
        user=maria,
        start_time=datetime(2026, 3, 5, 6, 30, tzinfo=UTC),
        timezone="Europe/Madrid",
        distance=12000.5,
        duration=3600,
        avg_heart_rate=150,
        calories=800,
        training_load=95.25,
        pace_z2_time=3600,
        external_id="strava-1",
        source="strava",
    )
    early = ActivityFactory(
        user=maria, sport="ride", start_time=datetime(2026, 3, 1, 8, tzinfo=UTC), distance=0, duration=60
    )
    Activity.objects.update(created_at=datetime(2026, 3, 6, tzinfo=UTC))
    ActivityFactory(start_time=datetime(2026, 3, 2, tzinfo=UTC))  # someone else's
    DailyWellnessFactory(
        user=maria, date=date(2026, 3, 2), resting_heart_rate=48, hrv=70.5, vo2_max=None, recovery_score=80
    )
    DailyWellnessFactory(
        user=maria,
        date=date(2026, 3, 1),
        resting_heart_rate=None,
        hrv=None,
        vo2_max=55.0,
        recovery_score=None,
        sleep_hours=7.5,
    )
    race = RaceGoalFactory(
        athlete=maria, race_name="Valencia", race_date=date(2026, 12, 6), distance=42195, goal_time=10800
    )
    org = OrganizationFactory(name="Club")
    coach = CoachFactory(display_name="Coach Ana")
    plan = TrainingPlanFactory(organization=org, name="Base", total_weeks=8)
    instance = PlanInstanceFactory(athlete=maria, plan=plan, start_date=date(2026, 2, 2))
    membership = MembershipFactory(user=maria, organization=org, assigned_coach=coach)
    membership.labels.add(LabelFactory(organization=org, name="sub-3"), LabelFactory(organization=org, name="a-team"))
    GroupMembershipFactory(user=maria, group=GroupFactory(organization=org, name="Marathon"))

    # The thread on her run (her coach's answer included) and her comment on someone else's run;
    # not a comment between others. A cell that Excel would read as a formula is quoted.
    question = comment_at(activity=late, author=maria, text="=tired legs?", at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    answer = comment_at(activity=late, author=coach, text="Easy tomorrow.", at=datetime(2026, 3, 5, 10, tzinfo=UTC))
    friend_run = ActivityFactory(start_time=datetime(2026, 3, 3, tzinfo=UTC))
    cheer = comment_at(activity=friend_run, author=maria, text="Bravo!", at=datetime(2026, 3, 4, tzinfo=UTC))
    comment_at(activity=friend_run, author=coach, text="Not hers", at=datetime(2026, 3, 4, 1, tzinfo=UTC))

    response = bearer_client(maria).get(URL)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="astral-export-maria.zip"'
    archive = unzip(response)
    assert archive.namelist() == [
        "profile.json",
        "activities.csv",
        "wellness.csv",
        "comments.csv",
        "goals.json",
        "memberships.json",
    ]

    profile = json.loads(archive.read("profile.json"))
    assert profile["user_id"] == maria.public_id
    assert (profile["username"], profile["email"], profile["display_name"]) == ("maria", "maria@example.com", "María")
    assert (profile["timezone"], profile["email_verified"], profile["org_id"]) == (
        "Europe/Madrid",
        False,
        org.public_id,
    )
    assert profile["date_joined"] == "2025-01-02T03:04:05Z"

    assert csv_rows(archive, "activities.csv") == [
        list(export.ACTIVITY_COLUMNS),
        [early.public_id, "ride", "2026-03-01T08:00:00Z", "", "0.0", "60.0", "", "", "", "", "", "0.0",
         "0.0", "0.0", "0.0", "0.0", "0.0", "manual", "", "2026-03-06T00:00:00Z"],
        [late.public_id, "run", "2026-03-05T06:30:00Z", "Europe/Madrid", "12000.5", "3600.0", "", "", "150", "",
         "800", "95.25", "0.0", "3600.0", "0.0", "0.0", "0.0", "strava", "strava-1", "2026-03-06T00:00:00Z"],
    ]  # fmt: skip
    assert csv_rows(archive, "wellness.csv") == [
        ["date", "resting_heart_rate", "hrv", "vo2_max", "recovery_score", "sleep_hours"],
        ["2026-03-01", "", "", "55.0", "", "7.5"],
        ["2026-03-02", "48", "70.5", "", "80", ""],
    ]
    assert csv_rows(archive, "comments.csv") == [
        list(export.COMMENT_COLUMNS),
        [cheer.public_id, friend_run.public_id, maria.public_id, "María", "2026-03-04T00:00:00Z", "Bravo!"],
        [question.public_id, late.public_id, maria.public_id, "María", "2026-03-05T09:00:00Z", "'=tired legs?"],
        [answer.public_id, late.public_id, coach.public_id, "Coach Ana", "2026-03-05T10:00:00Z", "Easy tomorrow."],
    ]
    assert json.loads(archive.read("goals.json")) == {
        "races": [
            {"id": race.public_id, "race_name": "Valencia", "race_date": "2026-12-06", "distance": 42195.0,
             "goal_time": 10800}
        ],
        "plan_instances": [
            {"plan_instance_id": instance.public_id, "plan_id": plan.public_id, "plan_name": "Base", "total_weeks": 8,
             "start_date": "2026-02-02", "cancelled": False}
        ],
    }  # fmt: skip
    [row] = json.loads(archive.read("memberships.json"))
    assert row == {
        "org_id": org.public_id,
        "organization": "Club",
        "role": "athlete",
        "active": True,
        "joined_at": membership.joined_at.isoformat().replace("+00:00", "Z"),
        "assigned_coach": "Coach Ana",
        "labels": ["a-team", "sub-3"],
        "groups": ["Marathon"],
    }


def test_an_empty_account_exports_headers_only(athlete, athlete_client):
    archive = unzip(athlete_client.get(URL))
    assert csv_rows(archive, "activities.csv") == [list(export.ACTIVITY_COLUMNS)]
    assert csv_rows(archive, "wellness.csv") == [list(export.WELLNESS_COLUMNS)]
    assert csv_rows(archive, "comments.csv") == [list(export.COMMENT_COLUMNS)]
    assert json.loads(archive.read("goals.json")) == {"races": [], "plan_instances": []}
    assert json.loads(archive.read("memberships.json")) == []


def test_a_long_history_streams_in_many_bounded_chunks(maria, monkeypatch):
    """Rows are read in batches and the zip is handed out as it is written: with 3,000
    activities the answer is many chunks, none close to the whole archive."""
    monkeypatch.setattr(export, "EXPORT_BATCH", 100)
    Activity.objects.bulk_create(
        Activity(
            user=maria,
            start_time=datetime(2016, 1, 1, tzinfo=UTC).replace(microsecond=n),
            distance=5000 + n * 7.3,
            duration=1500 + n,
            external_id=f"import-{n:06d}-{n * 7919 % 100003}",
        )
        for n in range(3000)
    )
    response = bearer_client(maria).get(URL)
    chunks = [chunk for chunk in response.streaming_content if chunk]
    total = sum(map(len, chunks))
    assert len(chunks) >= 5
    assert max(map(len, chunks)) < total / 3
    rows = csv_rows(zipfile.ZipFile(io.BytesIO(b"".join(chunks))), "activities.csv")
    assert len(rows) == 3001
    assert rows[1][-2] == "import-000000-0" and rows[-1][-2] == f"import-002999-{2999 * 7919 % 100003}"


def test_anonymous_and_api_keys_cannot_export(api):
    response = api.get(URL)
    assert response.status_code == 401
    assert response.json()["details"]["code"] == "NOT_AUTHENTICATED"
