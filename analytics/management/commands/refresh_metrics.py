"""`manage.py refresh_metrics [--user usr_…] [--org org_…]`: rebuild metrics snapshots now,
in batches, with a progress bar. Without options: every active athlete."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import Role, User
from analytics.services.snapshots import athlete_snapshots_refresh
from analytics.tasks import BATCH_SIZE, active_athlete_id_batches
from organizations.models import MemberRole, Organization


class Command(BaseCommand):
    help = "Rebuild athletes' metrics snapshots and insights."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="one athlete's user id (usr_…)")
        parser.add_argument("--org", help="every active athlete of an organization (org_…)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, user=None, org=None, quiet=False, verbosity=1, **options):
        athletes = User.objects.filter(is_active=True)
        if user:
            athletes = athletes.filter(public_id=user)
            if not athletes.exists():
                raise CommandError(f"No active user {user}.")
        elif org:
            organization = Organization.objects.filter(public_id=org).first()
            if organization is None:
                raise CommandError(f"No organization {org}.")
            athletes = athletes.filter(
                memberships__organization=organization, memberships__active=True, memberships__role=MemberRole.ATHLETE
            )
        else:
            athletes = athletes.filter(role=Role.ATHLETE)
        total = athletes.count()
        started = time.monotonic()
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(
            total=total, desc="Refreshing metrics", unit="athlete", file=stream, disable=quiet or not verbosity
        ) as bar:
            for ids in active_athlete_id_batches(BATCH_SIZE, athletes):
                athlete_snapshots_refresh(users=User.objects.filter(pk__in=ids))
                bar.update(len(ids))
        if verbosity:
            self.stdout.write(f"Refreshed {total} athlete(s) in {time.monotonic() - started:.1f} s.")
