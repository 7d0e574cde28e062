"""Outgoing mail: sent after commit through a real SMTP server; an outage never fails the caller."""

import os
import time

import pytest
from django.db import connection, transaction

from astral.mail import mail_send_on_commit, public_link
from tests.services.worker import start_worker, stop_worker
from tests.smtp import body_of, free_port, link_in, smtp_env, smtp_mailers

pytestmark = pytest.mark.django_db


def test_mail_waits_for_the_commit_then_reaches_the_smtp_server(mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        mail_send_on_commit(to="rita@example.com", subject="Hello", body=f"Open {public_link('/x/', token='t1')}")
        assert mailbox.inbox.messages == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == "rita@example.com"
    assert message["Subject"] == "Hello"
    assert message["From"] == "Astral <no-reply@astral.localhost>"
    assert link_in(message) == "http://127.0.0.1:8000/x/?token=t1"
    assert body_of(message).startswith("Open ")


def test_a_rolled_back_transaction_sends_nothing(mailbox, django_capture_on_commit_callbacks):
    def send_then_fail():
        with transaction.atomic():
            mail_send_on_commit(to="rita@example.com", subject="Never", body="-")
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        send_then_fail()
    assert callbacks == []
    assert mailbox.delivered() == []


def test_an_unreachable_mail_server_never_fails_the_caller(tasks, settings, django_capture_on_commit_callbacks, caplog):
    settings.MAILERS = smtp_mailers("127.0.0.1", free_port())  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        mail_send_on_commit(to="rita@example.com", subject="Lost", body="-")  # must not raise
    if tasks.worker is None:  # inline (embedded pass): the failure surfaces at once, logged
        assert "Could not queue astral.mail.send" in caplog.text
        return
    # A real worker (services pass): the mail was queued, and the worker retries it with backoff.
    assert "Could not queue" not in caplog.text
    deadline = time.monotonic() + 30
    while "astral.mail.send" not in caplog.text or "retry: Retry in" not in caplog.text:
        assert time.monotonic() < deadline, caplog.text[-2000:]
        time.sleep(0.1)


def test_email_settings_come_from_the_environment_under_djangos_names():
    import subprocess
    import sys

    code = "from django.conf import settings; import json; print(json.dumps(settings.MAILERS))"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "astral.settings",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "astral",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": "true",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    mailer = json.loads(out)["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "mail.example.com",
        "port": 587,
        "username": "astral",
        "password": "s3cret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }
    env.pop("EMAIL_HOST")
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


def test_public_links_start_with_the_configured_url(settings):
    settings.PUBLIC_URL = "https://astral.example.com"
    assert public_link("/invitations/inv_1/", token="a b") == "https://astral.example.com/invitations/inv_1/?token=a+b"


@pytest.mark.skipif(os.environ.get("ASTRAL_REQUIRE_SERVICES") != "1", reason="services pass: a real worker")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_queued_mail_over_smtp(smtp_server):
    from astral.celery import app

    app.control.purge()
    db = connection.settings_dict
    worker = start_worker(
        "mail",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **smtp_env(smtp_server),
    )
    try:
        mail_send_on_commit(to="carl@example.com", subject="From the worker", body="Sent by a separate process.")
        [message] = smtp_server.wait_for(1, timeout=60)
    finally:
        output = stop_worker(worker)
    assert message["Subject"] == "From the worker", output
    assert body_of(message).strip() == "Sent by a separate process."
