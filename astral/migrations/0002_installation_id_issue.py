"""Create the installation row with the database: its random id namespaces the shared cache."""

import secrets

from django.db import migrations


def installation_issue(apps, schema_editor):
    Installation = apps.get_model("astral", "Installation")
    # Same shape as astral.ids.new_public_id("ins"); a migration keeps its own copy of the rule.
    Installation.objects.get_or_create(pk=1, defaults={"installation_id": f"ins_{secrets.token_hex(8)}"})


class Migration(migrations.Migration):
    dependencies = [("astral", "0001_installation")]

    operations = [migrations.RunPython(installation_issue, migrations.RunPython.noop)]
