"""The installation id: created with the database, read once per process, rotated on demand."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from astral.models import Installation

INSTALLATION_ID = re.compile(r"^ins_[0-9a-f]{16}$")


@pytest.mark.django_db
def test_the_migrations_create_the_installation_row():
    from astral.installation import installation_id

    row = Installation.objects.get()
    assert INSTALLATION_ID.match(row.installation_id)
    assert installation_id() == row.installation_id


@pytest.mark.django_db
def test_the_id_is_read_once_per_process(installation_switch):
    installation_switch.installation_id_forget()
    with CaptureQueriesContext(connection) as first:
        value = installation_switch.installation_id()
    with CaptureQueriesContext(connection) as later:
        assert installation_switch.installation_id() == value
    assert len(first) == 1
    assert len(later) == 0


@pytest.mark.django_db
def test_a_missing_row_is_created_on_first_use(installation_switch):
    Installation.objects.all().delete()  # what a flushed test database looks like
    installation_switch.installation_id_forget()
    value = installation_switch.installation_id()
    assert INSTALLATION_ID.match(value)
    assert Installation.objects.get().installation_id == value


@pytest.mark.django_db
def test_rotate_installation_id_issues_a_new_id_and_uses_it(installation_switch):
    before = installation_switch.installation_id()
    out = StringIO()
    call_command("rotate_installation_id", stdout=out)
    after = Installation.objects.get().installation_id
    assert after != before
    assert INSTALLATION_ID.match(after)
    assert installation_switch.installation_id() == after
    assert installation_switch.installation_key("probe") == f"{after}:probe"
    assert f"{before} → {after}" in out.getvalue()
    assert Installation.objects.count() == 1
