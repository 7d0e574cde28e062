"""The people of the comment and notification tests: one club, its staff, an athlete and a run."""

from datetime import UTC, datetime

from tests.conftest import bearer_client
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

# 07:00 in Berlin on Monday 30 November 2026 (CET, UTC+1): the run's local date is 2026-11-30.
RUN_START = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def comments_url(activity_id: str) -> str:
    return f"/api/v1/activities/{activity_id}/comments"


def harbour_club(**athlete_fields) -> dict:
    """Alex Rivera (athlete, Berlin) in the Harbour club, coached by Sam Coach (assigned) with
    Casey Second and the admin Robin Admin as the club's other staff; Jo Outsider coaches another
    club. Alex's run: 10 km in 50:00 at 07:00 Berlin time on 2026-11-30."""
    org, other_org = OrganizationFactory(name="Harbour"), OrganizationFactory(name="Elsewhere")
    sam = CoachFactory(display_name="Sam Coach")
    casey = CoachFactory(display_name="Casey Second")
    robin = CoachFactory(display_name="Robin Admin")
    jo = CoachFactory(display_name="Jo Outsider")
    MembershipFactory(user=sam, organization=org, role="coach")
    MembershipFactory(user=casey, organization=org, role="coach")
    MembershipFactory(user=robin, organization=org, role="admin")
    MembershipFactory(user=jo, organization=other_org, role="coach")
    alex = UserFactory(display_name="Alex Rivera", timezone="Europe/Berlin", **athlete_fields)
    membership = MembershipFactory(user=alex, organization=org, assigned_coach=sam)
    run = ActivityFactory(user=alex, start_time=RUN_START, timezone="Europe/Berlin", distance=10000, duration=3000)
    return {
        "org": org,
        "membership": membership,
        "alex": alex,
        "sam": sam,
        "casey": casey,
        "robin": robin,
        "jo": jo,
        "run": run,
    }


def post(user, activity, text: str):
    """`user` comments on `activity` through the API."""
    return bearer_client(user).post(comments_url(activity.public_id), {"text": text}, format="json")
