"""The athlete's month calendar page (/athletes/<user_id>/calendar/): the selector of
GET analytics/calendar drawn as a month, coloured by compliance."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.analytics.test_calendar_api import run, workout
from tests.factories import (
    CoachFactory,
    GroupFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanInstanceFactory,
    TrainingPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 2)  # a Monday, in the past for every run of this suite


@pytest.fixture
def club():
    org = OrganizationFactory()
    coach = CoachFactory()
    MembershipFactory(user=coach, organization=org, role="coach")
    athlete = UserFactory(display_name="Alex Rivera", timezone="America/New_York")
    MembershipFactory(user=athlete, organization=org)
    plan = TrainingPlanFactory(organization=org, total_weeks=1)
    workout(plan, 1, 1, "easy", duration=3600)  # 2 Nov: 3000 s → 0.83, green
    workout(plan, 1, 2, "tempo", duration=3600)  # 3 Nov: 2000 s → 0.56, yellow (partial)
    workout(plan, 1, 3, "long", duration=7200)  # 4 Nov: nothing → missed, red
    PlanInstanceFactory(plan=plan, athlete=athlete, start_date=NOVEMBER)
    run(athlete, NOVEMBER, 7, 3000)
    run(athlete, NOVEMBER + timedelta(days=1), 7, 2000)
    run(athlete, NOVEMBER + timedelta(days=5), 23, 1800, minute=30)  # Sat 7 Nov 23:30 local: unplanned
    return {"org": org, "coach": coach, "athlete": athlete}


def page(client, athlete, **params):
    return client.get(f"/athletes/{athlete.public_id}/calendar/", params)


def cell(html: str, day: str) -> str:
    match = re.search(rf'<td class="day[^"]*" data-date="{day}">(.*?)</td>', html, re.S)
    assert match, day
    return match.group(1)


def test_coach_sees_the_month_coloured(client, club):
    client.force_login(club["coach"])
    response = page(client, club["athlete"], month="2026-11")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alex Rivera: November 2026" in html
    # The grid runs Monday 26 October … Sunday 6 December: six weeks.
    assert html.count('<td class="day') == 42
    assert 'data-date="2026-10-26"' in html and 'data-date="2026-12-06"' in html
    assert 'class="cal-item planned c-green" data-status="completed"' in cell(html, "2026-11-02")
    assert "completed · 83 %" in cell(html, "2026-11-02")
    assert 'class="cal-item done c-green" data-status="completed"' in cell(html, "2026-11-02")
    assert 'class="cal-item planned c-yellow" data-status="partial"' in cell(html, "2026-11-03")
    assert 'class="cal-item planned c-red" data-status="missed"' in cell(html, "2026-11-04")
    assert 'class="cal-item done c-grey" data-status="unplanned"' in cell(html, "2026-11-07")
    assert "cal-item" not in cell(html, "2026-11-08")  # 04:30Z on the 8th is the 7th in New York
    assert 'href="?month=2026-10"' in html and 'href="?month=2026-12"' in html


def test_the_profile_links_to_the_calendar(client, club):
    client.force_login(club["coach"])
    html = client.get(f"/athletes/{club['athlete'].public_id}/").content.decode()
    assert f'href="/athletes/{club["athlete"].public_id}/calendar/"' in html


def test_the_athlete_sees_their_own(client, club):
    client.force_login(club["athlete"])
    response = page(client, club["athlete"], month="2026-11")
    assert response.status_code == 200
    assert "c-yellow" in response.content.decode()


def test_a_bad_month_shows_a_notice_and_this_month(client, club):
    client.force_login(club["coach"])
    for bad in ("2026-13", "november", "2026-11-01", "0000-01", "1899-12", "9999-01"):
        html = page(client, club["athlete"], month=bad).content.decode()
        assert f"Month: &#x27;{bad}&#x27; is not a month (YYYY-MM). Showing the default instead." in html


def test_the_extreme_months_render(client, club):
    client.force_login(club["coach"])
    for month in ("1900-01", "9998-12"):
        response = page(client, club["athlete"], month=month)
        assert response.status_code == 200
        assert "is not a month" not in response.content.decode()


def test_outsiders_get_the_refusal_page(client, club):
    other_org = OrganizationFactory()
    outsider = CoachFactory()
    MembershipFactory(user=outsider, organization=other_org, role="coach")
    client.force_login(outsider)
    assert page(client, club["athlete"]).status_code == 403
    client.force_login(UserFactory())
    assert page(client, club["athlete"]).status_code == 403
    client.logout()
    response = page(client, club["athlete"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(club["coach"])
    assert client.get("/athletes/usr_0000000000000000/calendar/").status_code == 404


def test_queries_do_not_grow_with_activities_or_plans(client, club):
    client.force_login(club["coach"])
    page(client, club["athlete"], month="2026-11")

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert page(client, club["athlete"], month="2026-11").status_code == 200
        return len(queries.captured_queries)

    before = measure()
    for index in range(6):
        plan = TrainingPlanFactory(organization=club["org"], total_weeks=4)
        for week in (1, 2, 3, 4):
            workout(plan, week, 1 + index, "easy", duration=3600)
        PlanInstanceFactory(plan=plan, athlete=club["athlete"], start_date=NOVEMBER)
    for n in range(60):
        run(club["athlete"], NOVEMBER + timedelta(days=n % 28), 5 + n % 3, 3000 + n, minute=10)
    assert measure() == before


def test_hostile_input_on_the_page(client, club):
    client.force_login(club["coach"])
    athlete = club["athlete"].public_id
    for url in (f"/athletes/{athlete}/calendar/?month=2026-11%00", "/athletes/%00/calendar/"):
        response = client.get(url)
        assert response.status_code == 400
        assert b"characters that are not allowed" in response.content
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/athletes/usr_zz/calendar/").status_code == 404
    assert not any("_zz" in query["sql"] for query in queries)


def test_the_plans_tab_links_each_athletes_numbers_to_their_calendar(client, club):
    plan = TrainingPlanFactory(organization=club["org"], total_weeks=4)
    workout(plan, 1, 1, "easy", duration=3600)
    PlanInstanceFactory(plan=plan, athlete=club["athlete"], start_date=date.today() - timedelta(days=3))
    GroupFactory(organization=club["org"], name="Tempo Crew")  # the dashboard needs a group
    client.force_login(club["coach"])
    html = client.get("/analytics/", {"tab": "plans"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/athletes/{club["athlete"].public_id}/calendar/"' in html
