"""The triage queue in a real Chromium: a coach opens "Needs attention" from the sidebar, sees the
flagged athlete, marks the flag seen and is left with the empty state; a second coach of the same
club still sees it. No page may log a JavaScript error (the `desktop` fixture checks)."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def club(transactional_db):
    org = OrganizationFactory(name="Harbour Harriers")
    for username in ("triage-coach", "triage-coach2"):
        MembershipFactory(user=CoachFactory(username=username), organization=org, role="coach")
    ada = UserFactory(username="triage-ada", display_name="Ada Lovelace", timezone="UTC")
    last_run = datetime.now(UTC) - timedelta(days=9)
    ActivityFactory(user=ada, start_time=last_run)  # before joining: joining builds her snapshot
    MembershipFactory(user=ada, organization=org)
    return {"ada": ada, "message": f"No run in the last 9 days (last run {last_run.date().isoformat()})"}


def test_a_coach_marks_a_flag_seen_and_another_coach_still_sees_it(desktop, club):
    desktop.login("triage-coach", TEST_PASSWORD)
    page = desktop.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Needs attention").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    row = page.locator("table.attention-queue tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(club["message"])
    expect(row.locator(".flag-warning")).to_have_text("warning")
    expect(row.get_by_role("link", name="Ada Lovelace")).to_have_attribute(
        "href", f"/athletes/{club['ada'].public_id}/"
    )
    desktop.shot("attention-queue")

    row.get_by_role("button", name="Mark seen").click()
    page.wait_for_load_state("load")
    expect(page.locator("#attention-empty")).to_contain_text("Nothing needs your attention")
    expect(page.get_by_role("status")).to_contain_text("Marked seen: Ada Lovelace")
    desktop.shot("attention-queue-empty")
    desktop.assert_clean()

    page.get_by_role("button", name="Log out triage-coach").click()
    page.wait_for_load_state("load")
    desktop.login("triage-coach2", TEST_PASSWORD)
    page = desktop.visit("/attention/")
    expect(page.locator("table.attention-queue tbody tr")).to_contain_text(club["message"])
