"""`seed_demo --reset`: remove the demo organization and the accounts the seeder made, with their data.

A user is a demo account when their email is at DEMO_EMAIL_DOMAIN (a reserved `.example` domain)
AND they belong to the demo organization or to no organization at all (the staff `admin`, or
leftovers of a demo organization deleted by hand). A demo-addressed user who has joined a real
organization is never touched.
"""

from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q

from accounts.models import User
from analytics.models import Activity, DailyWellness
from demo.constants import DEMO_EMAIL_DOMAIN, DEMO_ORG_NAME
from organizations.models import Organization

USER_CHUNK = 200


@dataclass
class ResetResult:
    users: int
    organizations: int


def demo_exists() -> bool:
    return Organization.objects.filter(name=DEMO_ORG_NAME).exists()


def demo_user_ids() -> list[int]:
    demo_orgs = Organization.objects.filter(name=DEMO_ORG_NAME)
    other_orgs = Organization.objects.exclude(name=DEMO_ORG_NAME)
    users = (
        User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")
        .filter(Q(memberships__organization__in=demo_orgs) | Q(memberships__isnull=True))
        .exclude(memberships__organization__in=other_orgs)
    )
    return sorted(set(users.values_list("pk", flat=True)))


def _delete_activities(user_ids: list[int]) -> None:
    """Activities in one DELETE per chunk instead of the collector loading every row: their
    dependents (samples, insights) go first through the ORM. Any relation that is not a plain
    cascade falls back to the collector, which handles it exactly."""
    activities = Activity.objects.filter(user_id__in=user_ids)
    for relation in Activity._meta.related_objects:
        if getattr(relation, "on_delete", None) is not models.CASCADE:
            activities.delete()
            return
        relation.related_model._base_manager.filter(**{f"{relation.field.name}__user_id__in": user_ids}).delete()
    activities._raw_delete(activities.db)


@transaction.atomic
def demo_reset() -> ResetResult:
    user_ids = demo_user_ids()
    for start in range(0, len(user_ids), USER_CHUNK):
        chunk = user_ids[start : start + USER_CHUNK]
        _delete_activities(chunk)
        DailyWellness.objects.filter(user_id__in=chunk).delete()
        User.objects.filter(pk__in=chunk).delete()  # memberships, plans, goals, tokens… by cascade
    demo_orgs = Organization.objects.filter(name=DEMO_ORG_NAME)
    organizations = demo_orgs.count()
    demo_orgs.delete()  # labels, groups, plan templates and their instances by cascade
    return ResetResult(users=len(user_ids), organizations=organizations)
