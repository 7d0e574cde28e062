"""Builds the demo club: the people and club rows in one transaction, then activities and wellness
athlete chunk by athlete chunk (one transaction each, bulk inserts, bounded memory).

Deterministic for a seed: every random choice comes from `random.Random(seed)` or from per-athlete
RNGs seeded from it, never from the global RNG. Only public ids and the instant of `now` vary.
"""

import functools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analytics.models import Activity, DailyWellness
from demo import club, conversations, plans
from demo.constants import DEMO_PASSWORD, STAFF_USERNAMES
from demo.people import AthleteSpec, draw_athletes, make_usernames_unique
from demo.training import AthleteTraining
from demo.wellness import AthleteWellness

BATCH_SIZE = 5000  # rows per INSERT
ATHLETE_CHUNK = 25  # athletes per transaction


@dataclass
class DemoSummary:
    athletes: int
    activities: int
    wellness: int
    plan_instances: int
    race_goals: int
    integrations: int
    seconds: float
    comments: int = 0


@functools.cache
def demo_password_hash() -> str:
    """Hashed once per process: the hasher is deliberately slow and every demo account shares it."""
    return make_password(DEMO_PASSWORD)


def _claim_usernames(specs: list[AthleteSpec]) -> None:
    """Unique `first.last` usernames, also against accounts already in the database."""
    taken = set(STAFF_USERNAMES)
    while True:
        make_usernames_unique(specs, set(taken))
        existing = set(User.objects.filter(username__in=[s.username for s in specs]).values_list("username", flat=True))
        if not existing:
            return
        taken |= existing
        for spec in specs:  # start again from the base names so suffixes stay compact
            spec.username = spec.username.rstrip("0123456789")


class _BulkWriter:
    """Buffers rows per model and inserts them BATCH_SIZE at a time."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.buffers: dict[type, list] = {Activity: [], DailyWellness: []}
        self.counts: dict[type, int] = {Activity: 0, DailyWellness: 0}

    def add(self, rows) -> None:
        for row in rows:
            buffer = self.buffers[type(row)]
            buffer.append(row)
            if len(buffer) >= self.batch_size:
                self.flush(type(row))

    def flush(self, model: type | None = None) -> None:
        for kind in [model] if model else list(self.buffers):
            rows = self.buffers[kind]
            if rows:
                kind.objects.bulk_create(rows, batch_size=self.batch_size)
                self.counts[kind] += len(rows)
                self.buffers[kind] = []


def build_demo(
    *,
    athletes: int = 60,
    days: int = 365,
    seed: int = 1,
    now: datetime | None = None,
    on_athlete_done: Callable[[], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoSummary:
    """Create the demo organization with `athletes` athletes and `days` local days of data ending
    today (in each athlete's zone). Raises club.DemoConflictError when a staff username is taken."""
    started = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)
    specs = draw_athletes(rng, count=athletes, seed=seed, window_days=days)

    def local_today(spec: AthleteSpec) -> date:
        return now.astimezone(ZoneInfo(spec.timezone)).date()

    with transaction.atomic():
        _claim_usernames(specs)
        password_hash = demo_password_hash()
        staff = club.create_staff(password_hash=password_hash)
        organization = club.create_organization(staff=staff)
        users = club.create_athletes(rng, specs, password_hash=password_hash, now=now, days=days)
        groups = club.assign_labels_and_groups(rng, specs)
        club.create_memberships(rng, specs, users=users, organization=organization, staff=staff, groups=groups)
        integrations = club.create_integrations(rng, specs, users=users, now=now, days=days)
        templates = plans.create_plan_templates(organization=organization, coach=staff.coach)
        assignments = plans.schedule_plans(rng, specs, local_today)
        instances = plans.create_plan_instances(assignments, plans=templates, users=users, coach=staff.coach)
        goals = plans.create_race_goals(rng, specs, assignments, users=users, local_today=local_today)

    plan_of = {assignment.spec.index: assignment for assignment in assignments}
    writer = _BulkWriter(batch_size)
    for start in range(0, len(specs), ATHLETE_CHUNK):
        with transaction.atomic():
            for spec in specs[start : start + ATHLETE_CHUNK]:
                user_id = users[spec.index].pk
                training = AthleteTraining(spec, user_id=user_id, now=now, days=days, plan=plan_of.get(spec.index))
                writer.add(training.activities())
                wellness = AthleteWellness(spec, user_id=user_id, first_day=training.first_day, today=training.today)
                writer.add(wellness.rows(training.loads))
                if on_athlete_done:
                    on_athlete_done()
            writer.flush()
    with transaction.atomic():
        comments = conversations.create_threads(rng, [users[spec.index] for spec in specs], staff, now)

    return DemoSummary(
        athletes=len(specs),
        activities=writer.counts[Activity],
        wellness=writer.counts[DailyWellness],
        plan_instances=instances,
        race_goals=goals,
        integrations=integrations,
        comments=comments,
        seconds=time.monotonic() - started,
    )
