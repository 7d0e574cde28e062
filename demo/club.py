"""The demo club's rows: staff accounts, athlete users, memberships, labels, groups, integrations."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import Integration, Provider, Role, User
from demo.constants import (
    ADMIN_USERNAME,
    COACH_USERNAME,
    DEMO_EMAIL_DOMAIN,
    DEMO_ORG_NAME,
    GROUPS,
    LABELS,
    SECOND_COACH_USERNAME,
)
from demo.names import city_of
from demo.people import AthleteSpec
from organizations.models import Group, GroupMembership, Label, MemberRole, Membership, Organization
from organizations.services import memberships_grant, organization_create

FOCUS_LABELS = {"5k": "5k-focus", "10k": "5k-focus", "half": "half-marathon", "marathon": "marathon", "trail": "trail"}
SQUADS_FROM, SQUAD_SIZE = 1000, 200
# Primary device → providers connected besides it (with the chance of each).
EXTRA_PROVIDERS = {"garmin": {"strava": 0.5}, "strava": {"garmin": 0.3}, "apple_health": {"strava": 0.4}, "manual": {}}


class DemoConflictError(Exception):
    """A non-demo account already uses one of the demo's fixed usernames."""


@dataclass
class Staff:
    coach: User
    coach2: User
    admin: User


def _group_chances(spec: AthleteSpec) -> dict[str, float]:
    return {
        "Marathon Block A": 0.85 if spec.focus == "marathon" else 0.3 if spec.focus == "half" else 0.0,
        "5K Speed": 0.8 if spec.focus in ("5k", "10k") and spec.level != "beginner" else 0.0,
        "Trail Squad": 0.9 if spec.focus == "trail" else 0.3 if spec.trail_share else 0.0,
        "Beginners": 0.85 if spec.level == "beginner" else 0.0,
        "Masters 40+": 0.8 if spec.masters else 0.0,
    }


# How well an athlete fits a group that would otherwise stay empty (higher fits better).
GROUP_FIT = {
    "Marathon Block A": lambda spec: spec.weekly_km,
    "5K Speed": lambda spec: spec.vdot,
    "Trail Squad": lambda spec: spec.trail_share,
    "Beginners": lambda spec: -spec.vdot,
    "Masters 40+": lambda spec: -spec.max_hr,  # max HR falls with age
}


def local_squads(specs: list[AthleteSpec]) -> dict[str, str]:
    """A club of SQUADS_FROM athletes or more also trains in local squads of about SQUAD_SIZE,
    formed per time zone (so a 20,000-athlete club has ~100 groups). Each athlete joins the squad
    of their zone by turn; the squads are returned as name → description."""
    if len(specs) < SQUADS_FROM:
        return {}
    by_zone: dict[str, list[AthleteSpec]] = {}
    for spec in specs:
        by_zone.setdefault(spec.timezone, []).append(spec)
    squads = {}
    for zone, members in sorted(by_zone.items()):
        city, count = city_of(zone), max(1, round(len(members) / SQUAD_SIZE))
        names = [f"{city} Squad {number}" for number in range(1, count + 1)]
        squads.update((name, f"Local training squad in {city}.") for name in names)
        for position, spec in enumerate(members):
            spec.groups.append(names[position % count])
    return squads


def assign_labels_and_groups(rng: random.Random, specs: list[AthleteSpec]) -> dict[str, str]:
    """Labels from each athlete's focus and situation; groups by focus, level and age, and local
    squads in a big club. At least one athlete stays in no group, and no group is left empty when
    there are enough athletes. Returns every group's name → description."""
    for spec in specs:
        if rng.random() < 0.8:
            spec.labels.append(FOCUS_LABELS[spec.focus])
        situation = (("masters", spec.masters), ("injury-watch", spec.injury_watch), ("new", spec.is_new))
        spec.labels += [name for name, applies in situation if applies]
        spec.groups = [name for name, chance in _group_chances(spec).items() if rng.random() < chance]
    loner = next((spec for spec in specs if not spec.groups), specs[-1] if specs else None)
    if loner:
        loner.groups = []
    candidates = [spec for spec in specs if spec is not loner]
    for name in GROUPS:
        if candidates and not any(name in spec.groups for spec in specs):
            best = max(candidates, key=lambda spec: (_group_chances(spec)[name], GROUP_FIT[name](spec)))
            best.groups.append(name)
    squads = local_squads([spec for spec in specs if spec is not loner])
    return {**GROUPS, **squads}


def create_staff(*, password_hash: str) -> Staff:
    taken = list(
        User.objects.filter(username__in=(COACH_USERNAME, SECOND_COACH_USERNAME, ADMIN_USERNAME)).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise DemoConflictError(f"Username(s) {', '.join(sorted(taken))} already exist; run with --reset.")

    def staff_user(username, first, last, **extra):
        return User(
            username=username,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            first_name=first,
            last_name=last,
            display_name=f"{first} {last}",
            password=password_hash,
            **extra,
        )

    coach, coach2, admin = User.objects.bulk_create(
        [
            staff_user(
                COACH_USERNAME,
                "Alex",
                "Morgan",
                role=Role.COACH,
                timezone="Europe/London",
                unit_system="metric",
                sex="female",
                max_heart_rate=184,
                resting_heart_rate=48,
            ),
            staff_user(
                SECOND_COACH_USERNAME,
                "Jordan",
                "Reyes",
                role=Role.COACH,
                timezone="America/New_York",
                unit_system="imperial",
                sex="male",
                max_heart_rate=181,
                resting_heart_rate=52,
            ),
            staff_user(
                # Not an athlete: role coach keeps the admin out of athlete rosters and counts.
                ADMIN_USERNAME,
                "Demo",
                "Admin",
                role=Role.COACH,
                is_staff=True,
                is_superuser=True,
                timezone="UTC",
                unit_system="metric",
            ),
        ]
    )
    return Staff(coach=coach, coach2=coach2, admin=admin)


def create_organization(*, staff: Staff) -> Organization:
    """The club as organization_create makes it (its creator, the head coach, is its admin), and the
    second coach, who has accepted the head coach's invitation."""
    organization = organization_create(creator=staff.coach, name=DEMO_ORG_NAME)
    memberships_grant(
        organization=organization,
        grants=[(staff.coach2, MemberRole.COACH, None)],
        invited_by=staff.coach,
        queue_refresh=False,
    )
    return organization


def create_athletes(
    rng: random.Random, specs: list[AthleteSpec], *, password_hash: str, now: datetime, days: int
) -> dict[int, User]:
    """One User per spec (bulk), keyed by the spec's index. Primary keys come back from the insert."""
    users = [
        User(
            username=spec.username,
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            display_name=spec.display_name,
            password=password_hash,
            role=Role.ATHLETE,
            timezone=spec.timezone,
            unit_system=spec.unit_system,
            sex=spec.sex,
            max_heart_rate=spec.max_hr,
            resting_heart_rate=spec.resting_hr,
            hr_zones=spec.hr_zones,
            pace_zones=spec.pace_zones,
            vdot=spec.profile_vdot,
            push_token=spec.push_token,
            date_joined=now - timedelta(days=spec.history_days or days + rng.randint(5, 400)),
        )
        for spec in specs
    ]
    User.objects.bulk_create(users, batch_size=1000)
    return {spec.index: user for spec, user in zip(specs, users, strict=True)}


def create_memberships(
    rng: random.Random,
    specs: list[AthleteSpec],
    *,
    users: dict[int, User],
    organization: Organization,
    staff: Staff,
    groups: dict[str, str],
) -> None:
    """Athlete memberships (coach split ~45/40, the rest unassigned), their labels and groups."""
    grants = []
    for spec in specs:
        roll = rng.random()
        coach = staff.coach if roll < 0.45 else staff.coach2 if roll < 0.85 else None
        grants.append((users[spec.index], MemberRole.ATHLETE, coach))
    # Through the one membership service, as accepted invitations from the head coach. No snapshot
    # refresh is queued: the athletes' runs are written after this transaction, and the first read
    # (or the hourly beat) builds their snapshots from the data versions bumped here.
    memberships = memberships_grant(
        organization=organization, grants=grants, invited_by=staff.coach, queue_refresh=False
    )

    labels = Label.objects.bulk_create(
        Label(organization=organization, name=name, color=color) for name, color in LABELS.items()
    )
    label_ids = {label.name: label.pk for label in labels}
    through = Membership.labels.through
    through.objects.bulk_create(
        (
            through(membership_id=membership.pk, label_id=label_ids[name])
            for spec, membership in zip(specs, memberships, strict=True)
            for name in spec.labels
        ),
        batch_size=2000,
    )

    created = Group.objects.bulk_create(
        Group(organization=organization, name=name, description=description) for name, description in groups.items()
    )
    group_ids = {group.name: group.pk for group in created}
    GroupMembership.objects.bulk_create(
        (GroupMembership(group_id=group_ids[name], user=users[spec.index]) for spec in specs for name in spec.groups),
        batch_size=2000,
    )


def create_integrations(
    rng: random.Random, specs: list[AthleteSpec], *, users: dict[int, User], now: datetime, days: int
) -> int:
    """Connected providers follow the athlete's device; manual loggers have none (or a lapsed Strava)."""
    rows = []
    for spec in specs:
        user = users[spec.index]
        connected = [] if spec.source == "manual" else [spec.source]
        connected += [p for p, chance in EXTRA_PROVIDERS[spec.source].items() if rng.random() < chance]
        for provider in connected:
            since = spec.history_days or days + rng.randint(5, 300)
            # A Strava connection has synced lately (its own draw: the club's other numbers stay).
            synced = now - timedelta(minutes=random.Random(spec.index).randrange(5, 720))
            rows.append(
                Integration(
                    user=user,
                    provider=provider,
                    connected=True,
                    status="connected",
                    connected_at=now - timedelta(days=since, minutes=rng.randrange(1440)),
                    last_sync_at=synced if provider == Provider.STRAVA else None,
                )
            )
        if not connected and rng.random() < 0.3:
            rows.append(Integration(user=user, provider=Provider.STRAVA, connected=False, status="disconnected"))
    Integration.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
