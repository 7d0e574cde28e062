"""Coaching by consent in a real Chromium: the coach invites from the Athletes page, the athlete
logs in, lands on the invitation, accepts, and only then appears in the coach's roster."""

import re

import pytest
from playwright.sync_api import expect

from organizations.models import Invitation, Membership
from tests.factories import TEST_PASSWORD, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_invite_accept_and_the_roster_follows(transactional_db, browser, live_server, desktop):
    org = OrganizationFactory(name="Harbour Runners")
    coach = CoachFactory(username="kim", display_name="Coach Kim")
    MembershipFactory(user=coach, organization=org, role="admin")
    # Nina has verified her address, so an invitation to it waits for her after login.
    UserFactory(username="nina", display_name="Nina Noor", email="nina@example.com", verified_email="nina@example.com")

    page = desktop.login("kim", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/athletes/$"))
    page.get_by_label("Email to invite").fill("nina@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Invite").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to nina@example.com.")
    expect(page.locator("table.invitations")).to_contain_text("nina@example.com")
    expect(page.locator("#roster")).not_to_contain_text("Nina Noor")
    desktop.shot("athletes-invited")

    assert Invitation.objects.get().invitee is None  # bound to the address until answered
    page.get_by_role("button", name=re.compile("Log out")).click()
    page = desktop.login("nina", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/invitations/$"))
    expect(page.locator("section.invitation")).to_contain_text("Coach Kim invited you to join as an athlete")
    desktop.shot("invitations")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state("load")
    expect(page.locator(".messages")).to_contain_text("You joined Harbour Runners")
    assert Membership.objects.filter(organization=org, user__username="nina", active=True).exists()
    assert Invitation.objects.get().invitee.username == "nina"

    page.get_by_role("button", name=re.compile("Log out")).click()
    page = desktop.login("kim", TEST_PASSWORD)
    expect(page.locator("#roster")).to_contain_text("Nina Noor")
    expect(page.locator("table.invitations")).to_have_count(0)
