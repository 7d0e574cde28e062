"""`manage.py strava_webhook subscribe|list|delete`: this installation's subscription to Strava's
webhook events (one per Strava application). Subscribe once the site is reachable from the
internet: Strava checks `{ASTRAL_PUBLIC_URL}/api/v1/integrations/strava/webhook` with a GET
carrying STRAVA_WEBHOOK_VERIFY_TOKEN before it accepts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analytics.strava import client
from analytics.strava.oauth import WEBHOOK_PATH, strava_configured


class Command(BaseCommand):
    help = "Subscribe this installation to Strava's webhook events, list the subscription, or delete it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["subscribe", "list", "delete"])

    def handle(self, *args, action: str, **options):
        if not strava_configured():
            raise CommandError("Set STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET (your Strava API application) first.")
        try:
            getattr(self, f"_{action}")()
        except client.StravaError as failure:
            raise CommandError(f"Strava refused: {failure}") from None

    def _subscribe(self):
        if not settings.STRAVA_WEBHOOK_VERIFY_TOKEN:
            raise CommandError("Set STRAVA_WEBHOOK_VERIFY_TOKEN (a random string of your own) first.")
        callback = f"{settings.PUBLIC_URL}{WEBHOOK_PATH}"
        created = client.push_subscription_create(callback, settings.STRAVA_WEBHOOK_VERIFY_TOKEN)
        self.stdout.write(self.style.SUCCESS(f"Subscribed: subscription {created['id']}, events go to {callback}"))

    def _list(self):
        subscriptions = client.push_subscriptions()
        for subscription in subscriptions:
            self.stdout.write(
                f"{subscription['id']}  {subscription['callback_url']}  since {subscription['created_at']}"
            )
        if not subscriptions:
            self.stdout.write("No subscription: Strava sends this application no events.")

    def _delete(self):
        subscriptions = client.push_subscriptions()
        for subscription in subscriptions:
            client.push_subscription_delete(subscription["id"])
            self.stdout.write(f"Deleted subscription {subscription['id']} ({subscription['callback_url']}).")
        if not subscriptions:
            self.stdout.write("No subscription to delete.")
