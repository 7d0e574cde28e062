"""`manage.py seed_demo [--athletes 60] [--days 365] [--seed 1] [--reset] [--quiet] [--if-empty]`.

Thin: parses arguments, shows progress, prints the summary. The work is in `demo`.
"""

import argparse
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.builder import build_demo
from demo.club import DemoConflictError
from demo.constants import ADMIN_USERNAME, COACH_USERNAME, DEMO_ORG_NAME, DEMO_PASSWORD, SECOND_COACH_USERNAME
from demo.reset import demo_exists, demo_reset

STAFF_LOGINS = (
    (COACH_USERNAME, "coach, organization admin"),
    (SECOND_COACH_USERNAME, "coach"),
    (ADMIN_USERNAME, "superuser (Django admin)"),
)


def _bounded_int(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


class Command(BaseCommand):
    help = f'Create "{DEMO_ORG_NAME}": coaches, athletes, groups, plans and a year of runs and wellness.'

    def add_arguments(self, parser):
        parser.add_argument("--athletes", type=_bounded_int(1, 100_000), default=60, help="number of athletes")
        parser.add_argument("--days", type=_bounded_int(1, 3650), default=365, help="days of history, ending today")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same club (names, runs, counts)")
        parser.add_argument("--reset", action="store_true", help="delete the demo club and its accounts first")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already has users (make run)"
        )

    def handle(self, *args, athletes, days, seed, reset, quiet, if_empty, verbosity, **options):
        if if_empty and get_user_model().objects.exists():
            if verbosity:
                self.stdout.write("The database already has users: demo data not seeded.")
            return
        if reset:
            removed = demo_reset()
            if verbosity:
                self.stdout.write(
                    f"Removed {removed.organizations} demo organization(s) and {removed.users} demo account(s)."
                )
        elif demo_exists():
            if verbosity:
                self.stdout.write(f'"{DEMO_ORG_NAME}" already exists: nothing to do (use --reset to rebuild it).')
            return

        progress = None
        if not quiet and verbosity:
            # tqdm redraws with "\r": it needs the raw stream, not Django's line-ending OutputWrapper.
            stream = getattr(self.stderr, "_out", sys.stderr)
            progress = tqdm(total=athletes, desc="Seeding athletes", unit="athlete", file=stream)
        try:
            summary = build_demo(
                athletes=athletes, days=days, seed=seed, on_athlete_done=progress.update if progress else None
            )
        except DemoConflictError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if progress:
                progress.close()

        if verbosity:
            self.stdout.write(self.style.SUCCESS(f'Created "{DEMO_ORG_NAME}" in {summary.seconds:.1f} s:'))
            self.stdout.write(
                f"  {summary.athletes} athletes, {summary.activities} activities, {summary.wellness} wellness rows,"
                f" {summary.plan_instances} plan instances, {summary.race_goals} race goals,"
                f" {summary.integrations} integrations, {summary.comments} comments"
            )
            self.stdout.write(f"  Logins (password {DEMO_PASSWORD!r} for every demo account, athletes included):")
            for username, what in STAFF_LOGINS:
                self.stdout.write(f"    {username:<8} {what}")
