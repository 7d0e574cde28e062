"""The planned-vs-done calendar in a real Chromium: a coach opens it from the athlete's profile,
sees the month's workouts coloured by compliance, and moves between months; the athlete sees
their own. No page may log a JavaScript error (the `desktop`/`phone` fixtures check)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.analytics.test_calendar_api import run, workout
from tests.factories import (
    TEST_PASSWORD,
    CoachFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
MONDAY = date(2026, 11, 2)

# The cell colours of static/css/astral.css, as the browser computes them.
GREEN, YELLOW, RED, GREY = "rgb(220, 252, 231)", "rgb(254, 249, 195)", "rgb(254, 226, 226)", "rgb(243, 244, 246)"


@pytest.fixture
def club(transactional_db):
    org = OrganizationFactory()
    coach = CoachFactory(username="cal-coach")
    MembershipFactory(user=coach, organization=org, role="coach")
    athlete = UserFactory(username="cal-athlete", display_name="Alex Rivera", timezone="Europe/Berlin")
    MembershipFactory(user=athlete, organization=org)
    plan = TrainingPlanFactory(organization=org, name="10K Builder", total_weeks=1)
    workout(plan, 1, 1, "easy", duration=3600)  # 3000 s → 0.83 green
    workout(plan, 1, 2, "tempo", duration=3600)  # 2000 s → 0.56 yellow
    workout(plan, 1, 3, "long", duration=7200)  # missed → red
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=MONDAY)
    run(athlete, MONDAY, 7, 3000)
    run(athlete, MONDAY + timedelta(days=1), 7, 2000)
    run(athlete, MONDAY + timedelta(days=4), 7, 1500)  # Friday: unplanned → grey
    return {"coach": coach, "athlete": athlete}


def background(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("(node) => getComputedStyle(node).backgroundColor")


def test_coach_opens_the_calendar_from_the_profile(desktop, club):
    desktop.login("cal-coach", TEST_PASSWORD)
    page = desktop.visit(f"/athletes/{club['athlete'].public_id}/")
    page.locator("#calendar-link").click()
    page.wait_for_load_state("load")
    expect(page.locator("#calendar")).to_be_visible()
    page = desktop.visit(f"/athletes/{club['athlete'].public_id}/calendar/?month=2026-11")
    expect(page.get_by_role("heading", name="Alex Rivera: November 2026")).to_be_visible()
    day = 'td[data-date="{}"] .cal-item.{}'
    assert background(page, day.format("2026-11-02", "planned")) == GREEN
    assert background(page, day.format("2026-11-02", "done")) == GREEN
    assert background(page, day.format("2026-11-03", "planned")) == YELLOW
    assert background(page, day.format("2026-11-04", "planned")) == RED
    assert background(page, day.format("2026-11-06", "done")) == GREY
    expect(page.locator('td[data-date="2026-11-03"] .planned')).to_contain_text("partial · 56 %")
    desktop.shot("calendar-november")

    page.locator('a[rel="next"]').click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Alex Rivera: December 2026")).to_be_visible()
    page.locator('a[rel="prev"]').click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Alex Rivera: November 2026")).to_be_visible()
    desktop.assert_clean()


def test_the_athlete_sees_their_own_on_a_phone(phone, club):
    phone.login("cal-athlete", TEST_PASSWORD)
    page = phone.visit(f"/athletes/{club['athlete'].public_id}/calendar/?month=2026-11")
    expect(page.locator("#calendar")).to_be_visible()
    assert background(page, 'td[data-date="2026-11-03"] .cal-item.planned') == YELLOW
    phone.shot("calendar-phone")
