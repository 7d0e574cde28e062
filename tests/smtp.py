"""A real SMTP server for the tests (aiosmtpd on a free local port) and how to read what it got.

`smtp_server` (a fixture in tests/conftest.py) starts one per test; mail goes to it either from
the test process (eager Celery, the embedded pass) or from a real worker process started with
`smtp_env(server)` (the services pass).
"""

import email
import email.policy
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+")


@dataclass
class Inbox:
    """The handler aiosmtpd calls for every delivered message; keeps them parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox

    settle: Callable[[], None] = lambda: None  # the `tasks` fixture's, once mail tasks run

    def delivered(self) -> list[EmailMessage]:
        """Every message delivered once all queued tasks ran — for "nothing was sent"."""
        self.settle()
        return list(self.inbox.messages)

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list[EmailMessage]:
        """The delivered messages, once there are at least `count` (bounded wait)."""
        deadline = time.monotonic() + timeout
        while len(self.inbox.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.inbox.messages) >= count, f"{len(self.inbox.messages)} of {count} mails arrived"
        return list(self.inbox.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp_server() -> tuple[Controller, SmtpServer]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, SmtpServer("127.0.0.1", port, inbox)


def smtp_mailers(host: str, port: int) -> dict:
    """settings.MAILERS sending over SMTP to host:port (what EMAIL_HOST/EMAIL_PORT configure)."""
    backend = "django.core.mail.backends.smtp.EmailBackend"
    return {"default": {"BACKEND": backend, "OPTIONS": {"host": host, "port": port, "timeout": 5}}}


def smtp_env(server: SmtpServer) -> dict[str, str]:
    """Environment for a separate process (a Celery worker) that sends to `server`."""
    return {"EMAIL_HOST": server.host, "EMAIL_PORT": str(server.port), "EMAIL_USE_TLS": "false"}


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message: EmailMessage) -> str:
    """The one link a mail carries."""
    links = LINK.findall(body_of(message))
    assert len(links) == 1, links
    return links[0]
