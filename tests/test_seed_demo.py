"""`manage.py seed_demo`: the demo club it builds, its data's plausibility, reset and determinism."""

import random
from collections import Counter
from datetime import timedelta
from io import StringIO
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from analytics.metrics.load import activity_training_load
from analytics.metrics.vdot import race_time_for_vdot, training_paces
from analytics.metrics.zones import PACE_ZONE_SPORTS, activity_zone_seconds, pace_zone_bounds
from analytics.models import RUN_SPORTS, Activity, DailyWellness
from astral.api.errors import status_of
from astral.exceptions import ApplicationError
from demo.club import assign_labels_and_groups
from demo.constants import DEMO_EMAIL_DOMAIN, GROUPS
from demo.people import draw_athletes
from organizations.models import (
    Group,
    GroupMembership,
    Invitation,
    InvitationStatus,
    Label,
    MemberRole,
    Membership,
    Organization,
)
from organizations.services import memberships_grant
from plans.models import PlanInstance, PlannedWorkout, PlanStatus, RaceGoal, TrainingPlan
from tests.factories import ActivityFactory, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ATHLETES, DAYS, SEED = 6, 21, 3
ORG_NAME = "Astral Demo Running Club"


def seed(**options):
    call_command("seed_demo", athletes=ATHLETES, days=DAYS, seed=SEED, verbosity=0, **options)


def athletes():
    return User.objects.filter(memberships__organization__name=ORG_NAME, memberships__role=MemberRole.ATHLETE)


def fingerprint():
    """What must not change between two builds with the same seed."""
    total = Activity.objects.aggregate(total=Sum("distance"))["total"]
    return {
        "usernames": sorted(athletes().values_list("username", flat=True)),
        "activities": Activity.objects.count(),
        "wellness": DailyWellness.objects.count(),
        "distance_km": round(total / 1000, 1),
        "race_goals": sorted(RaceGoal.objects.values_list("race_name", "goal_time")),
    }


def test_builds_the_club_with_its_staff():
    seed()

    organization = Organization.objects.get(name=ORG_NAME)
    coach, coach2, admin = (User.objects.get(username=name) for name in ("coach", "coach2", "admin"))
    assert authenticate(username="coach", password="astral-demo") == coach
    assert authenticate(username="coach2", password="astral-demo") == coach2
    assert authenticate(username="admin", password="astral-demo") == admin
    assert admin.is_superuser and admin.is_staff
    assert coach.role == coach2.role == Role.COACH
    assert organization.created_by == coach
    staff_roles = dict(
        Membership.objects.filter(organization=organization, user__in=[coach, coach2]).values_list(
            "user__username", "role"
        )
    )
    assert staff_roles == {"coach": MemberRole.ADMIN, "coach2": MemberRole.COACH}
    assert not Membership.objects.filter(user=admin).exists()

    memberships = Membership.objects.filter(organization=organization, role=MemberRole.ATHLETE)
    assert memberships.count() == ATHLETES
    assert all(m.active for m in memberships)
    assert {m.assigned_coach_id for m in memberships} <= {coach.pk, coach2.pk, None}
    some_athlete = athletes().first()
    assert authenticate(username=some_athlete.username, password="astral-demo") == some_athlete
    for athlete in athletes():
        assert athlete.role == Role.ATHLETE
        assert athlete.email == f"{athlete.username}@{DEMO_EMAIL_DOMAIN}"
        assert athlete.display_name == f"{athlete.first_name} {athlete.last_name}"
        ZoneInfo(athlete.timezone)  # a real IANA zone
        assert 40 <= athlete.resting_heart_rate <= 65
        assert 170 <= athlete.max_heart_rate <= 200
        assert athlete.vdot is None or 35 <= athlete.vdot <= 65
        if athlete.hr_zones:
            assert len(athlete.hr_zones) == 5 and athlete.hr_zones == sorted(athlete.hr_zones)
            assert athlete.hr_zones[-1] == athlete.max_heart_rate
        if athlete.pace_zones:
            assert len(athlete.pace_zones) == 4 and athlete.pace_zones == sorted(athlete.pace_zones, reverse=True)


def test_a_big_club_also_trains_in_local_squads_of_about_200_per_time_zone():
    specs = draw_athletes(random.Random(3), count=2400, seed=3, window_days=30)
    groups = assign_labels_and_groups(random.Random(3), specs)

    zones = Counter(spec.timezone for spec in specs)
    squads = {name: text for name, text in groups.items() if " Squad " in name and name != "Trail Squad"}
    # One squad per ~200 athletes of a zone, at least one per zone (round(n / 200), minimum 1).
    assert len(squads) == sum(max(1, round(count / 200)) for count in zones.values())
    assert squads["London Squad 1"] == "Local training squad in London."
    members = Counter(name for spec in specs for name in spec.groups if name in squads)
    assert sum(members.values()) == len(specs) - 1  # everyone but the athlete kept in no group
    london = [count for name, count in members.items() if name.startswith("London Squad")]
    assert max(london) - min(london) <= 1  # the zone's athletes are dealt out by turn
    assert set(groups) >= set(GROUPS)


def test_a_small_club_has_no_local_squads():
    specs = draw_athletes(random.Random(3), count=999, seed=3, window_days=30)
    assert set(assign_labels_and_groups(random.Random(3), specs)) == set(GROUPS)


def test_groups_labels_and_integrations():
    seed()
    organization = Organization.objects.get(name=ORG_NAME)

    groups = Group.objects.filter(organization=organization)
    assert groups.count() == 5
    assert all(group.members.exists() for group in groups)
    grouped = set(GroupMembership.objects.filter(group__organization=organization).values_list("user_id", flat=True))
    assert athletes().exclude(pk__in=grouped).exists(), "at least one athlete is in no group"
    assert {"5k-focus", "marathon", "injury-watch", "masters", "new"} <= set(
        Label.objects.filter(organization=organization).values_list("name", flat=True)
    )
    assert Membership.labels.through.objects.filter(membership__organization=organization).exists()
    for athlete in athletes().prefetch_related("integrations"):
        for integration in athlete.integrations.all():
            if integration.connected:
                assert integration.status == "connected" and integration.connected_at <= timezone.now()
            else:
                assert integration.status == "disconnected" and integration.connected_at is None


def test_plans_and_race_goals():
    seed()
    today = timezone.now().date()
    plans = TrainingPlan.objects.filter(organization__name=ORG_NAME)
    assert 3 <= plans.count() <= 4
    for plan in plans:
        weeks = set(PlannedWorkout.objects.filter(plan=plan).values_list("week", flat=True))
        assert weeks == set(range(1, plan.total_weeks + 1))
        for workout in plan.workouts.all():
            assert 1 <= workout.day <= 7 and workout.duration > 0
            assert workout.distance is None or workout.distance > 0
    instances = PlanInstance.objects.filter(athlete__in=athletes()).select_related("plan")
    assert instances.exists()
    assert sum(instance.cancelled for instance in instances) <= 1
    assert {PlanStatus.ACTIVE, PlanStatus.COMPLETED, PlanStatus.CANCELLED} & {i.status(today) for i in instances}
    assert all(instance.start_date.weekday() == 0 for instance in instances), "plans start on a Monday"

    goals = RaceGoal.objects.filter(athlete__in=athletes()).select_related("athlete")
    assert goals.exists()
    for goal in goals:
        assert goal.race_date > today
        assert goal.distance in (5000, 10000, 21097.5, 42195)
        if goal.athlete.vdot:  # a goal a little faster than today's equivalent time
            assert race_time_for_vdot(goal.athlete.vdot + 2.1, goal.distance) <= goal.goal_time
            assert goal.goal_time <= race_time_for_vdot(goal.athlete.vdot, goal.distance)


def test_activities_are_plausible():
    before = timezone.now()
    seed()
    now = timezone.now()

    checked_paces = 0
    for athlete in athletes():
        activities = list(Activity.objects.filter(user=athlete))
        assert activities, f"{athlete.username} has no activity"
        local_today = now.astimezone(ZoneInfo(athlete.timezone)).date()
        paces = training_paces(athlete.vdot) if athlete.vdot else None
        for activity in activities:
            assert timezone.is_aware(activity.start_time)
            assert before - timedelta(days=DAYS) <= activity.start_time <= now
            local_date = activity.start_time.astimezone(ZoneInfo(athlete.timezone)).date()
            assert local_today - timedelta(days=DAYS - 1) <= local_date <= local_today
            assert activity.timezone == athlete.timezone
            assert activity.distance > 0 and activity.duration > 0
            assert activity.elapsed_time >= activity.duration
            assert activity.training_load > 0
            assert activity.calories > 0 and activity.elevation_gain >= 0
            assert activity.training_load == activity_training_load(
                duration_s=activity.duration,
                distance_m=activity.distance,
                avg_hr=activity.avg_heart_rate,
                resting_hr=athlete.resting_heart_rate,
                max_hr=athlete.max_heart_rate,
                vdot=athlete.vdot,
                sex=athlete.sex,
            )
            if activity.avg_heart_rate is not None:
                assert athlete.resting_heart_rate < activity.avg_heart_rate < activity.max_heart_rate
                assert activity.max_heart_rate <= athlete.max_heart_rate
            zones = [getattr(activity, f"pace_z{zone}_time") for zone in range(1, 6)]
            # Exactly what the app computes from the profile (none without VDOT or own zones).
            bounds = pace_zone_bounds(vdot=athlete.vdot, pace_zones=athlete.pace_zones)
            assert zones == activity_zone_seconds(
                sport=activity.sport, duration_s=activity.duration, distance_m=activity.distance, bounds=bounds
            )
            if activity.sport in PACE_ZONE_SPORTS and bounds:
                assert sum(zones) == activity.duration
                assert sorted(zones)[:4] == [0, 0, 0, 0]
            if activity.sport in RUN_SPORTS:
                if paces:
                    pace = activity.duration / (activity.distance / 1000)
                    assert paces["R"] <= pace <= paces["E"][1] * 1.15, (athlete.username, activity.sport, pace)
                    checked_paces += 1
            elif activity.sport not in PACE_ZONE_SPORTS:
                assert sum(zones) == 0
    assert checked_paces > 20
    assert Activity.objects.filter(sport="run").count() > Activity.objects.exclude(sport="run").count()
    assert Activity.objects.exclude(source="manual").exclude(external_id="").exists()


def test_wellness_rows_are_in_range():
    seed()
    now = timezone.now()
    for athlete in athletes():
        rows = list(DailyWellness.objects.filter(user=athlete))
        assert len(rows) >= DAYS // 2, f"{athlete.username} has few wellness days"
        local_today = now.astimezone(ZoneInfo(athlete.timezone)).date()
        for row in rows:
            assert local_today - timedelta(days=DAYS - 1) <= row.date <= local_today
            assert 35 <= row.resting_heart_rate <= 80
            assert 20 <= row.hrv <= 130
            assert 28 <= row.vo2_max <= 80
            assert 0 <= row.recovery_score <= 100
            assert row.sleep_hours is None or 4 <= row.sleep_hours <= 10


def test_some_athletes_trend_badly():
    """One athlete each: no run for 7+ days, a load spike, and an HRV/recovery/VO2max slump."""
    seed()
    now = timezone.now()
    inactive = spiking = slumping = 0
    for athlete in athletes():
        runs = Activity.objects.filter(user=athlete, sport__in=RUN_SPORTS)
        if runs.exists() and not runs.filter(start_time__gte=now - timedelta(days=7)).exists():
            inactive += 1
        loads = Activity.objects.filter(user=athlete)
        week = loads.filter(start_time__gte=now - timedelta(days=7)).aggregate(s=Sum("training_load"))["s"] or 0
        before = loads.filter(start_time__lt=now - timedelta(days=7)).aggregate(s=Sum("training_load"))["s"] or 0
        if week > 1.5 * before / ((DAYS - 7) / 7):
            spiking += 1
        wellness = list(DailyWellness.objects.filter(user=athlete).order_by("-date")[:14])
        if len(wellness) == 14:
            this_week, last_week = wellness[:7], wellness[7:]
            hrv_drop = 1 - mean(r.hrv for r in this_week) / mean(r.hrv for r in last_week)
            recovery_drop = wellness[7].recovery_score - wellness[0].recovery_score
            vo2_drop = wellness[7].vo2_max - wellness[0].vo2_max
            if hrv_drop > 0.2 and recovery_drop >= 20 and vo2_drop >= 2.5:
                slumping += 1
    assert inactive >= 1 and spiking >= 1 and slumping >= 1


def test_second_run_without_reset_changes_nothing():
    seed()
    first = fingerprint()
    out = StringIO()
    call_command("seed_demo", athletes=ATHLETES, days=DAYS, seed=SEED, stdout=out)
    assert "already exists" in out.getvalue()
    assert fingerprint() == first
    assert Organization.objects.filter(name=ORG_NAME).count() == 1


def test_same_seed_rebuilds_the_same_club_and_another_seed_differs():
    seed()
    first = fingerprint()
    users_before = User.objects.count()

    seed(reset=True)
    assert fingerprint() == first
    assert User.objects.count() == users_before
    assert Organization.objects.filter(name=ORG_NAME).count() == 1

    call_command("seed_demo", athletes=ATHLETES, days=DAYS, seed=SEED + 1, reset=True, verbosity=0)
    other = fingerprint()
    assert other["usernames"] != first["usernames"]
    assert other["distance_km"] != first["distance_km"]


def test_reset_leaves_other_accounts_alone():
    outsider = UserFactory(username="oliver.smith")  # may clash with a demo name: the demo adapts
    ActivityFactory(user=outsider)
    real_club = MembershipFactory(user=UserFactory(email=f"moved@{DEMO_EMAIL_DOMAIN}")).organization
    seed()
    assert User.objects.filter(username="oliver.smith").count() == 1

    call_command("seed_demo", athletes=2, days=7, reset=True, verbosity=0)

    assert User.objects.filter(pk=outsider.pk).exists() and Activity.objects.filter(user=outsider).count() == 1
    assert Membership.objects.filter(organization=real_club, user__email=f"moved@{DEMO_EMAIL_DOMAIN}").exists()
    assert athletes().count() == 2


def test_refuses_when_a_real_account_holds_a_staff_username():
    UserFactory(username="coach")
    with pytest.raises(CommandError, match="coach"):
        seed()
    assert not Organization.objects.filter(name=ORG_NAME).exists()


def test_prints_a_summary_and_progress_unless_quiet():
    out, err = StringIO(), StringIO()
    call_command("seed_demo", athletes=2, days=7, seed=SEED, stdout=out, stderr=err)
    assert "2 athletes" in out.getvalue() and "activities" in out.getvalue() and "wellness rows" in out.getvalue()
    assert "coach" in out.getvalue() and "astral-demo" in out.getvalue()
    assert "Seeding athletes" in err.getvalue()

    out, err = StringIO(), StringIO()
    call_command("seed_demo", athletes=2, days=7, seed=SEED, reset=True, quiet=True, stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "2 athletes" in out.getvalue()


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database_only():
    from accounts.models import User
    from tests.factories import UserFactory

    UserFactory(username="somebody")
    call_command("seed_demo", "--athletes", "2", "--days", "3", "--if-empty", verbosity=0)
    assert list(User.objects.values_list("username", flat=True)) == ["somebody"]
    User.objects.all().delete()
    call_command("seed_demo", "--athletes", "2", "--days", "3", "--if-empty", verbosity=0)
    assert User.objects.filter(username="coach").exists()


def test_every_member_joined_by_accepting_the_head_coachs_invitation():
    seed()
    organization = Organization.objects.get(name=ORG_NAME)
    coach, coach2 = User.objects.get(username="coach"), User.objects.get(username="coach2")

    roles = Counter(Membership.objects.filter(organization=organization, active=True).values_list("role", flat=True))
    assert roles == {MemberRole.ADMIN: 1, MemberRole.COACH: 1, MemberRole.ATHLETE: ATHLETES}
    invitations = Invitation.objects.filter(organization=organization)
    # The creator (organization_create) needs none; the second coach and each athlete accepted one.
    assert invitations.count() == ATHLETES + 1
    assert not invitations.filter(invitee=coach).exists()
    for membership in Membership.objects.filter(organization=organization).exclude(user=coach).select_related("user"):
        (invitation,) = invitations.filter(invitee=membership.user)
        assert invitation.status == InvitationStatus.ACCEPTED
        assert invitation.role == membership.role
        assert invitation.invited_by == coach
        assert invitation.responded_by == membership.user
        assert invitation.email == membership.user.email
        assert invitation.expires_at - invitation.responded_at == timedelta(days=7)
    assert invitations.get(invitee=coach2).role == MemberRole.COACH
    assert len(set(invitations.values_list("token_hash", flat=True))) == ATHLETES + 1


def _grant_state(organization) -> dict:
    return {
        "members": sorted(Membership.objects.values_list("organization_id", "user_id", "role", "active")),
        "invitations": Invitation.objects.count(),
        "user_versions": sorted(User.objects.values_list("pk", "data_version")),
        "org_version": Organization.objects.values_list("data_version", flat=True).get(pk=organization.pk),
    }


def test_memberships_grant_costs_the_same_queries_for_1_and_200_members():
    coach = CoachFactory()
    small, large = OrganizationFactory(), OrganizationFactory()
    one, many = UserFactory(), UserFactory.create_batch(200)

    def grant(organization, users):
        with CaptureQueriesContext(connection) as queries:
            memberships = memberships_grant(
                organization=organization,
                grants=[(user, MemberRole.ATHLETE, coach) for user in users],
                invited_by=coach,
            )
        return memberships, len(queries)

    (membership,), one_count = grant(small, [one])
    memberships, many_count = grant(large, many)

    # lookup, INSERT memberships (in a savepoint), INSERT invitations, 2 version UPDATEs, savepoint
    assert one_count == many_count == 9
    assert [m.user_id for m in memberships] == [user.pk for user in many]
    assert all(m.pk and m.active and m.assigned_coach_id == coach.pk for m in memberships + [membership])
    accepted = Invitation.objects.filter(organization=large, status=InvitationStatus.ACCEPTED, invited_by=coach)
    assert sorted(accepted.values_list("invitee_id", flat=True)) == sorted(user.pk for user in many)
    assert set(User.objects.filter(pk__in=[u.pk for u in many]).values_list("data_version", flat=True)) == {1}
    assert Organization.objects.values_list("data_version", flat=True).get(pk=large.pk) == 1


def test_memberships_grant_brings_back_a_former_member_and_refuses_a_duplicate():
    former = MembershipFactory(active=False, role=MemberRole.ATHLETE)
    coach = CoachFactory()
    (membership,) = memberships_grant(
        organization=former.organization, grants=[(former.user, MemberRole.ATHLETE, coach)], invited_by=coach
    )
    assert membership.pk == former.pk
    row = Membership.objects.get(pk=former.pk)
    assert (row.active, row.left_at, row.assigned_coach_id) == (True, None, coach.pk)
    assert Invitation.objects.get(invitee=former.user).status == InvitationStatus.ACCEPTED

    with pytest.raises(ValueError, match="once"):
        memberships_grant(organization=former.organization, grants=[(UserFactory(), "athlete", None)] * 2)


def test_memberships_grant_refuses_a_staff_role_for_an_athlete_account_and_changes_nothing():
    organization, coach, athlete = OrganizationFactory(), CoachFactory(), UserFactory()
    before = _grant_state(organization)

    with pytest.raises(ApplicationError) as raised:
        memberships_grant(
            organization=organization,
            grants=[(coach, MemberRole.COACH, None), (athlete, MemberRole.COACH, None)],
            invited_by=coach,
        )

    assert (status_of(raised.value), raised.value.code, raised.value.field) == (400, "INVALID_ROLE", "role")
    assert _grant_state(organization) == before


def test_memberships_grant_refuses_an_active_member_and_changes_nothing():
    existing = MembershipFactory()
    organization, newcomer, coach = existing.organization, UserFactory(), CoachFactory()
    before = _grant_state(organization)

    with pytest.raises(ApplicationError) as raised:
        memberships_grant(
            organization=organization,
            grants=[(newcomer, MemberRole.ATHLETE, None), (existing.user, MemberRole.ATHLETE, None)],
            invited_by=coach,
        )

    assert (status_of(raised.value), raised.value.code, raised.value.field) == (409, "ALREADY_MEMBER", "user_id")
    assert _grant_state(organization) == before
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_few_comment_threads_with_unread_questions_for_the_coaches():
    from analytics.models import Comment, Notification
    from demo.conversations import THREADS

    seed()
    # 6 athletes with 21 days of training all ran: one thread each, THREADS in order.
    questions = [question for question, _ in THREADS]
    answered = [question for question, answer in THREADS if answer]
    by_athlete = Comment.objects.filter(author__role=Role.ATHLETE)
    assert sorted(by_athlete.values_list("text", flat=True)) == sorted(questions)
    for comment in by_athlete.select_related("activity"):
        latest = Activity.objects.filter(user=comment.author, sport="run").latest("start_time")
        assert comment.activity == latest  # on their latest run
    replies = Comment.objects.filter(author__role=Role.COACH)
    assert replies.count() == len(answered)
    head_coach = User.objects.get(username="coach")
    for reply in replies.select_related("activity__user"):  # the athlete's own coach, else the head coach
        membership = reply.activity.user.memberships.get(role=MemberRole.ATHLETE)
        assert reply.author_id == (membership.assigned_coach_id or head_coach.pk)
    # The athletes heard of every reply; the coaches' unread ones are the unanswered questions.
    unread = Notification.objects.filter(read_at=None)
    assert unread.filter(recipient__role=Role.ATHLETE).count() == len(answered)
    unanswered = set(unread.filter(recipient__role=Role.COACH).values_list("comment__text", flat=True))
    assert unanswered == {question for question, answer in THREADS if not answer}
