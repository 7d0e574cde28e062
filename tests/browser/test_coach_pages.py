"""A coach's path through the web UI in a real Chromium: log in, search the roster, open a
profile and see its charts, switch the dashboard tabs, drill into a group, the empty state, and
the pages at phone width. No page may log a JavaScript error (checked on every page by the
`desktop`/`phone` fixtures)."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import User
from organizations.models import Group, MemberRole, Membership
from tests.factories import TEST_PASSWORD, CoachFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.browser

PROFILE_CHARTS = ("#chart-distance", "#chart-load", "#chart-rhr", "#chart-fitness")

# A chart counts as drawn when its canvas has a size and Chart.js owns it.
CHART_STATE = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas) return {found: false};
  const box = canvas.getBoundingClientRect();
  return {found: true, width: box.width, height: box.height,
          chart: Boolean(window.Chart && window.Chart.getChart(canvas))};
}"""

OVERFLOW = "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"


def assert_chart_drawn(page, selector: str):
    page.wait_for_function(
        "(s) => { const c = document.querySelector(s); return c && window.Chart && window.Chart.getChart(c); }",
        arg=selector,
    )
    state = page.evaluate(CHART_STATE, selector)
    assert state["found"], f"{selector} is not on {page.url}"
    assert state["width"] > 0, f"{selector} has no width: {state}"
    assert state["height"] > 0, f"{selector} has no height: {state}"
    assert state["chart"], f"{selector} has no Chart.js chart: {state}"


def assert_no_horizontal_overflow(page):
    size = page.evaluate(OVERFLOW)
    assert size["scroll"] <= size["inner"] + 1, f"{page.url} scrolls sideways: {size}"


def mark_page(page):
    """A flag that only survives if the page is never reloaded."""
    page.evaluate("() => { window.__marker = 1; }")


def assert_same_page(page):
    assert page.evaluate("() => window.__marker") == 1, f"{page.url} was reloaded"


def demo_athlete_with_unique_name():
    memberships = Membership.objects.filter(role=MemberRole.ATHLETE, active=True).select_related("user")
    names = [m.user.display_name for m in memberships]
    user = next(m.user for m in memberships if names.count(m.user.display_name) == 1)
    return user, len(names)


def test_log_in_search_the_roster_and_open_a_profile(demo, desktop):
    athlete, roster_size = demo_athlete_with_unique_name()
    page = desktop.login("coach")
    expect(page).to_have_url(re.compile(r"/athletes/$"))
    rows = page.locator("#roster tbody tr")
    expect(rows).to_have_count(roster_size)
    desktop.shot("athletes-desktop")

    mark_page(page)
    page.get_by_label("Search athletes").fill(athlete.display_name)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(athlete.display_name)
    expect(page).to_have_url(re.compile(r"[?&]search="))
    assert_same_page(page)
    desktop.assert_clean()

    page.get_by_role("link", name=athlete.display_name).click()
    expect(page).to_have_url(re.compile(rf"/athletes/{athlete.public_id}/$"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text(athlete.display_name)
    for selector in PROFILE_CHARTS:
        assert_chart_drawn(page, selector)
    heat_map = page.locator("#streaks .heat")
    expect(heat_map).to_be_visible()
    assert heat_map.locator("span").count() == 84
    desktop.shot("profile-desktop")
    desktop.assert_clean()


def test_dashboard_tabs_switch_without_a_reload(demo, desktop):
    page = desktop.login("coach")
    desktop.visit("/analytics/")
    expect(page.locator("#overview #member-matrix")).to_be_visible()
    desktop.shot("dashboard-overview")
    mark_page(page)
    tabs = page.get_by_role("navigation", name="Dashboard tabs")

    tabs.get_by_role("link", name="Groups").click()
    expect(page).to_have_url(re.compile(r"\?tab=groups"))
    expect(page.locator("#tab-panel #groups")).to_be_visible()
    expect(page.locator("#tab-panel #overview")).to_have_count(0)
    expect(tabs.locator("a.active")).to_have_text("Groups")
    assert_chart_drawn(page, "#chart-groups")
    expect(page.locator("#group-table a")).to_have_count(Group.objects.count())
    assert_same_page(page)
    desktop.shot("dashboard-groups")

    tabs.get_by_role("link", name="Plans").click()
    expect(page).to_have_url(re.compile(r"\?tab=plans"))
    expect(page.locator("#tab-panel #plans")).to_be_visible()
    expect(page.locator("#tab-panel #groups")).to_have_count(0)
    expect(page.locator("#plan-athletes")).to_be_visible()
    assert_same_page(page)
    desktop.shot("dashboard-plans")

    tabs.get_by_role("link", name="Overview").click()
    expect(page).to_have_url(re.compile(r"\?tab=overview"))
    expect(page.locator("#tab-panel #member-matrix")).to_be_visible()
    expect(page.locator("#tab-panel #plans")).to_have_count(0)
    assert_same_page(page)
    desktop.assert_clean()


def test_pick_a_period_then_drill_into_a_group(demo, desktop):
    page = desktop.login("coach")
    desktop.visit("/analytics/?tab=groups")
    assert_chart_drawn(page, "#chart-groups")
    mark_page(page)
    panel = page.locator("#tab-panel")
    panel.get_by_role("link", name="14 days").click()
    expect(page).to_have_url(re.compile(r"period=14"))
    expect(panel.locator("a.active")).to_have_text("14 days")
    # A custom range after a period click: the range replaces the period (no conflict notice).
    last = date.today() - timedelta(days=3)
    first = last - timedelta(days=9)
    panel.get_by_label("From").fill(first.isoformat())
    panel.get_by_label("To").fill(last.isoformat())
    panel.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"from={first}&to={last}"))
    expect(panel.locator("h2").first).to_contain_text(f"{first} – {last}")
    expect(panel.get_by_role("alert")).to_have_count(0)
    assert_chart_drawn(page, "#chart-groups")
    assert_same_page(page)

    link = page.locator("#group-table a").first
    name = link.inner_text()
    group = Group.objects.get(name=name)
    link.click()
    expect(page).to_have_url(re.compile(rf"/analytics/groups/{group.public_id}/\?from={first}&to={last}$"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{first} – {last}")
    assert_chart_drawn(page, "#chart-group-daily")
    members = page.locator("#group-members tr")
    expect(members).to_have_count(group.group_memberships.count() + 1)  # the header row, then one per member
    desktop.shot("group-detail")
    desktop.assert_clean()


def test_an_organization_without_groups_gets_the_empty_state(desktop):
    organization = OrganizationFactory(name="Lonely Harriers")
    coach = CoachFactory(username="solo", display_name="Solo Coach")
    MembershipFactory(user=coach, organization=organization, role=MemberRole.ADMIN)
    page = desktop.login("solo", TEST_PASSWORD)
    desktop.visit("/analytics/")
    empty = page.locator("#no-groups")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("No groups yet")
    expect(empty.get_by_role("link", name="API docs")).to_be_visible()
    expect(empty.get_by_role("link", name="Django admin")).to_have_count(0)  # not a staff account
    desktop.shot("dashboard-empty")
    mark_page(page)
    page.get_by_role("navigation", name="Dashboard tabs").get_by_role("link", name="Groups").click()
    expect(page).to_have_url(re.compile(r"\?tab=groups"))
    expect(page.locator("#tab-panel #no-groups")).to_be_visible()
    assert_same_page(page)
    desktop.assert_clean()


def test_pages_fit_a_phone(demo, phone):
    page = phone.login("coach")
    expect(page).to_have_url(re.compile(r"/athletes/$"))
    sidebar = page.get_by_role("navigation", name="Main")
    for name in ("Athletes", "Analytics", "API docs"):
        expect(sidebar.get_by_role("link", name=name)).to_be_visible()
    assert_no_horizontal_overflow(page)
    phone.shot("athletes-phone")

    page.locator("#roster tbody tr a").first.click()
    expect(page).to_have_url(re.compile(r"/athletes/[^/]+/$"))
    page.wait_for_load_state("load")
    for selector in PROFILE_CHARTS:
        assert_chart_drawn(page, selector)
    expect(sidebar.get_by_role("link", name="Athletes")).to_be_visible()
    assert_no_horizontal_overflow(page)
    phone.shot("profile-phone")

    for tab in ("overview", "groups", "plans"):
        phone.visit(f"/analytics/?tab={tab}")
        assert_no_horizontal_overflow(page)
        phone.shot(f"dashboard-{tab}-phone")
    phone.assert_clean()


def test_charts_follow_the_viewers_units(demo, desktop):
    User.objects.filter(username="coach").update(unit_system="imperial")
    page = desktop.login("coach")
    label = "(s) => window.Chart.getChart(document.querySelector(s)).data.datasets[0].label"
    desktop.visit("/analytics/?tab=groups")
    assert_chart_drawn(page, "#chart-groups")
    assert page.evaluate(label, "#chart-groups") == "Distance (mi)"
    expect(page.locator("#group-table")).to_contain_text(" mi")
    page.locator("#group-table a").first.click()
    page.wait_for_load_state("load")
    assert_chart_drawn(page, "#chart-group-daily")
    assert page.evaluate(label, "#chart-group-daily") == "Distance (mi)"
    page.locator("#group-members a").first.click()
    page.wait_for_load_state("load")
    assert_chart_drawn(page, "#chart-distance")
    assert page.evaluate(label, "#chart-distance") == "Distance (mi)"
    desktop.assert_clean()
