"""`manage.py rotate_installation_id`: give this database a new installation id.

Run it on a copy restored from a backup that runs beside the original (both on one Redis):
the copy keeps the original's id, so they would read each other's cached answers."""

from django.core.management.base import BaseCommand

from astral.installation import installation_id, installation_id_rotate


class Command(BaseCommand):
    help = "Issue a new installation id (the namespace of this database's keys in the shared cache)."

    def handle(self, *args, verbosity=1, **options):
        previous = installation_id()
        new_id = installation_id_rotate()
        if verbosity:
            self.stdout.write(
                f"Installation id {previous} → {new_id}. Restart the web processes and Celery workers "
                "so that they use it (each reads it once)."
            )
