"""One Astral installation, driven from a separate process: `python -m tests.services.installation_probe
ACTION…` with DATABASE_URL naming that installation's database and REDIS_URL the shared cache.

Actions, run in order: `setup` (migrate; a coach, an athlete, their organization and a 5 km run),
`rotate` (`manage.py rotate_installation_id`), `log:<metres>` (the athlete logs a run through the
API), `ask` (the coach reads the athlete profile through the API; prints one JSON line)."""

import json
import os
import sys
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "astral.settings")


def setup() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

    coach, athlete = CoachFactory(username="coach"), UserFactory(username="runner", timezone="UTC")
    organization = OrganizationFactory()
    MembershipFactory(user=coach, organization=organization, role="coach")
    MembershipFactory(user=athlete, organization=organization)
    ActivityFactory(user=athlete, distance=5000, duration=1500)


def client_of(username: str):
    from accounts.models import User
    from tests.conftest import bearer_client

    return bearer_client(User.objects.get(username=username))


def log(metres: int) -> None:
    start = (datetime.now(UTC) - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {"start_time": start, "sport": "run", "distance": metres, "duration": metres * 3 // 10}
    response = client_of("runner").post("/api/v1/activities", body, format="json")
    assert response.status_code == 201, response.content


def ask() -> dict:
    from accounts.models import User
    from analytics.models import Activity
    from astral.installation import installation_id

    athlete = User.objects.get(username="runner")
    response = client_of("coach").get("/api/v1/analytics/athlete_profile", {"user_id": athlete.public_id})
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    return {
        "installation_id": installation_id(),
        "athlete_pk": athlete.pk,
        "athlete_public_id": athlete.public_id,
        "data_version": athlete.data_version,
        "x_cache": response["X-Cache"],
        "user_id": data["user_id"],
        "recent_activities": [(row["activity_id"], row["distance"]) for row in data["recent_activities"]],
        "own_activity_ids": sorted(Activity.objects.filter(user=athlete).values_list("public_id", flat=True)),
    }


def main(actions: list[str]) -> None:
    import django

    django.setup()
    for action in actions:
        if action == "setup":
            setup()
        elif action == "rotate":
            from django.core.management import call_command

            call_command("rotate_installation_id", verbosity=0)
        elif action.startswith("log:"):
            log(int(action.removeprefix("log:")))
        elif action == "ask":
            print(json.dumps(ask()))
        else:
            raise SystemExit(f"unknown action {action!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
