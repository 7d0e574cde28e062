"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live
server. Every page a test visits is watched for console errors and uncaught exceptions.

Without /usr/bin/chromium the tests skip, except in CI (CI=true), where that is a failure.
Set ASTRAL_SCREENSHOTS=/some/dir to save a full-page screenshot of each page the tests look at.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "astral-demo"
SCREENSHOTS = os.environ.get("ASTRAL_SCREENSHOTS", "")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (`make chromium`) to run the browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, and Django's ORM (seeding,
    # the flush between tests) refuses to run under one unless told otherwise. Only while the
    # browser lives: the rest of the suite keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo(transactional_db):
    """The demo club at a small size: coaches `coach`/`coach2`, five groups, plans, a month of runs."""
    call_command("seed_demo", "--athletes", "8", "--days", "30", "--seed", "1", verbosity=0)


class Browse:
    """A page plus what went wrong on it: console errors and uncaught exceptions, with the URL."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.name = name
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc} ({page.url})"))

    def _on_console(self, message):
        if message.type == "error":
            source = message.location.get("url") or self.page.url
            self.errors.append(f"console: {message.text} ({source}, on {self.page.url})")

    def visit(self, path: str):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        self.assert_clean()
        return self.page

    def login(self, username: str, password: str = DEMO_PASSWORD):
        self.visit("/accounts/login/")
        self.shot(f"login-{self.name}")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state("load")
        self.assert_clean()
        return self.page

    def assert_clean(self):
        assert not self.errors, "JavaScript errors:\n" + "\n".join(self.errors)

    def shot(self, name: str):
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _browse(browser, live_server, name: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    browse = Browse(context.new_page(), live_server.url, name)
    yield browse
    context.close()
    browse.assert_clean()


@pytest.fixture
def desktop(browser, live_server):
    yield from _browse(browser, live_server, "desktop", DESKTOP)


@pytest.fixture
def phone(browser, live_server):
    yield from _browse(browser, live_server, "phone", PHONE)
