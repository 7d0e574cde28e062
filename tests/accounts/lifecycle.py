"""Shared steps of the account-lifecycle tests: send through the real SMTP fixture, read the link."""

from urllib.parse import parse_qs, urlsplit

from tests.smtp import link_in


def token_of(link: str) -> str:
    [token] = parse_qs(urlsplit(link).query)["token"]
    return token


def post_and_deliver(client, path, body, capture, **extra):
    """POST, then run the on-commit callbacks (the mail task, eager in these tests)."""
    with capture(execute=True):
        return client.post(path, body, format="json", **extra)


def mailed_token(mailbox, count: int = 1) -> tuple[str, str]:
    """(link, token) of the `count`-th delivered mail."""
    message = mailbox.wait_for(count)[count - 1]
    link = link_in(message)
    return link, token_of(link)
