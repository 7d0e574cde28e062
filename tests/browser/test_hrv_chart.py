"""The HRV chart on the athlete profile in a real Chromium: the coach opens an athlete with three
weeks of rMSSD and sees the daily values, the 7-day mean and the 60-day normal range drawn as a
filled band, with the HRV_BELOW_BASELINE flag beside it. No JavaScript error on the page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from playwright.sync_api import expect

from accounts.models import User
from analytics.models import DailyWellness
from tests.browser.test_coach_pages import assert_chart_drawn
from tests.factories import TEST_PASSWORD, CoachFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.browser

DATASETS = """(selector) => {
  const chart = window.Chart.getChart(document.querySelector(selector));
  return chart.data.datasets.map((d) => ({label: d.label, fill: d.fill ?? null, last: d.data[d.data.length - 1]}));
}"""


def test_the_profile_draws_the_hrv_band(transactional_db, desktop):
    organization = OrganizationFactory()
    coach = CoachFactory(username="hana")
    MembershipFactory(user=coach, organization=organization, role="coach")
    athlete = UserFactory(display_name="Ida Varga", timezone="")
    MembershipFactory(user=athlete, organization=organization)
    today = datetime.now(UTC).date()
    # 7 mornings each at 50, 80 and 35 ms: today's band is 36.7–73.5 ms, the 7-day mean 35 ms.
    DailyWellness.objects.bulk_create(
        DailyWellness(user=athlete, date=today - timedelta(days=n), hrv=(50.0, 80.0, 35.0)[2 - n // 7])
        for n in range(21)
    )
    User.objects.filter(pk=athlete.pk).update(data_version=F("data_version") + 1)  # bulk_create sends no signal

    page = desktop.login("hana", TEST_PASSWORD)
    desktop.visit(f"/athletes/{athlete.public_id}/")
    expect(page.locator("#hrv h2")).to_have_text("HRV and its normal range")
    page.locator("#chart-hrv").scroll_into_view_if_needed()
    assert_chart_drawn(page, "#chart-hrv")
    assert page.evaluate(DATASETS, "#chart-hrv") == [
        {"label": "Normal range (low)", "fill": None, "last": 36.7},
        {"label": "Normal range (high)", "fill": "-1", "last": 73.5},  # filled down to the low edge
        {"label": "rMSSD", "fill": None, "last": 35},
        {"label": "7-day mean", "fill": None, "last": 35},
    ]
    expect(page.locator("#attention")).to_contain_text("HRV_BELOW_BASELINE")
    expect(page.locator("#attention")).to_contain_text("below the normal range 36.7–73.5 ms")
    page.locator("#hrv summary").click()
    expect(page.locator("#hrv table")).to_contain_text("36.7–73.5")
    desktop.shot("profile-hrv")
    desktop.assert_clean()
