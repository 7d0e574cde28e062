"""The default (offline, deterministic) insight texts (pure; no database)."""

from datetime import date, timedelta

from analytics.insight_backends import TemplateInsightsBackend, _backend_for, insights_backend
from analytics.metrics.insight_texts import RunFacts, activity_text, group_text, weekly_text

DAY = date(2026, 11, 20)


def facts(n_back=0, *, sport="run", km=10.0, seconds=3000.0, hr=None, load=0.0, activity_id=None) -> RunFacts:
    return RunFacts(
        activity_id=activity_id or f"act_{sport}_{n_back}_{km}",
        sport=sport,
        local_date=DAY - timedelta(days=n_back),
        distance_m=km * 1000,
        duration_s=seconds,
        avg_heart_rate=hr,
        training_load=load,
    )


class TestActivityText:
    def test_run_with_every_comparison(self):
        # 10 km in 3000 s = 300 s/km = 5:00/km. Six earlier runs of 8 km in 2496 s (312 s/km = 5:12):
        # longest (10 > 8), fastest over ≥ 5 km (300 < 312), (10 − 8) / 8 = +25 %, 312 − 300 = 12 s/km.
        run = facts(hr=150, load=85.3)
        recent = [facts(n, km=8.0, seconds=8 * 312) for n in range(3, 9)]
        assert activity_text(run, recent) == (
            "Run: 10.0 km in 50:00 at 5:00/km, avg HR 150 bpm, training load 85. "
            "Longest run in 30 days. Fastest pace of any run of 5 km or more in 30 days. "
            "25 % longer than your 30-day average of 8.0 km (6 runs). "
            "Pace 12 s/km faster than your 30-day average of 5:12/km."
        )

    def test_same_input_same_text_in_any_order(self):
        recent = [facts(n, km=5.0 + n, seconds=(5.0 + n) * (290 + n)) for n in range(1, 12)]
        run = facts(km=9.3, seconds=2800)
        assert activity_text(run, recent) == activity_text(run, list(reversed(recent)))

    def test_first_run_in_30_days(self):
        # A ride in the 30 days is not a comparable activity for a run.
        text = activity_text(facts(km=5.0, seconds=1650), [facts(2, sport="ride", km=40.0)])
        assert text == "Run: 5.0 km in 27:30 at 5:30/km. First run in 30 days."

    def test_shorter_run_singular_and_level_pace(self):
        # 8 km in 2400 s (5:00/km) after one run of 10 km in 3000 s (5:00/km):
        # (8 − 10) / 10 = −20 % → "20 % shorter"; 300 − 300 = 0 → level; not longest, not fastest.
        text = activity_text(facts(km=8.0, seconds=2400), [facts(2, km=10.0, seconds=3000)])
        assert text == (
            "Run: 8.0 km in 40:00 at 5:00/km. 20 % shorter than your 30-day average of 10.0 km (1 run). "
            "Pace level with your 30-day average of 5:00/km."
        )

    def test_about_as_long_and_slower(self):
        # 10.04 km vs 10.0: +0.4 % rounds to 0 → "About as long as"; 3100 / 10.04 = 308.8 s/km → 309
        # vs 300 → 9 s/km slower.
        text = activity_text(facts(km=10.04, seconds=3100), [facts(1, km=10.0, seconds=3000)])
        assert "About as long as your 30-day average of 10.0 km (1 run)." in text
        assert "Pace 9 s/km slower than your 30-day average of 5:00/km." in text
        assert "Longest run in 30 days." in text  # 10.04 > 10.0

    def test_gap_of_a_week_or_more_is_mentioned(self):
        last_week = [facts(7, km=6.0, seconds=1800)]
        assert "First run in 7 days." in activity_text(facts(), last_week)
        six_days = [facts(6, km=6.0, seconds=1800)]
        assert "First run in" not in activity_text(facts(), six_days)

    def test_trail_and_treadmill_runs_are_runs(self):
        # 12 km trail run in 4200 s = 350 s/km = 5:50; a treadmill run of 6 km in 1800 s 4 days earlier:
        # (12 − 6) / 6 = +100 %; 350 − 300 = 50 s/km slower; 1800/6 = 300 < 350 so not fastest.
        text = activity_text(
            facts(sport="trail_run", km=12.0, seconds=4200), [facts(4, sport="treadmill", km=6.0, seconds=1800)]
        )
        assert text == (
            "Trail run: 12.0 km in 1:10:00 at 5:50/km. Longest run in 30 days. "
            "100 % longer than your 30-day average of 6.0 km (1 run). "
            "Pace 50 s/km slower than your 30-day average of 5:00/km."
        )

    def test_fastest_needs_another_run_of_5_km(self):
        # 6 km at 4:30 is faster than the 4 km run at 5:00, but that one is under 5 km.
        text = activity_text(facts(km=6.0, seconds=1620), [facts(1, km=4.0, seconds=1200)])
        assert "Fastest" not in text
        assert "Pace 30 s/km faster than your 30-day average of 5:00/km." in text

    def test_recent_outside_the_window_or_itself_is_ignored(self):
        run = facts(km=5.0, seconds=1500, activity_id="act_me")
        recent = [
            facts(31, km=20.0),  # more than 30 days before
            facts(-1, km=20.0),  # after it
            facts(0, km=20.0, activity_id="act_me"),  # itself
            facts(29, km=4.0, seconds=1300),  # the only comparable one: 1300 / 4 = 325 s/km
        ]
        # gap 29 days; 5 > 4 longest; (5 − 4) / 4 = +25 %; 325 − 300 = 25 s/km faster
        assert activity_text(run, recent) == (
            "Run: 5.0 km in 25:00 at 5:00/km. First run in 29 days. Longest run in 30 days. "
            "25 % longer than your 30-day average of 4.0 km (1 run). "
            "Pace 25 s/km faster than your 30-day average of 5:25/km."
        )

    def test_ride_compared_with_rides_only(self):
        # 40 km in 5400 s = 26.7 km/h; one ride of 30 km 9 days before (a longer run is ignored):
        # (40 − 30) / 30 = +33.3 % → 33.
        ride = facts(sport="ride", km=40.0, seconds=5400, load=60.0)
        recent = [facts(9, sport="ride", km=30.0, seconds=3600), facts(1, km=50.0, seconds=18000)]
        assert activity_text(ride, recent) == (
            "Ride: 40.0 km in 1:30:00 at 26.7 km/h, training load 60. First ride in 9 days. "
            "Longest ride in 30 days. 33 % longer than your 30-day average of 30.0 km (1 ride)."
        )

    def test_first_swim(self):
        swim = facts(sport="swim", km=1.5, seconds=1930, hr=130)
        assert activity_text(swim, [facts(1)]) == "Swim: 1.5 km in 32:10, avg HR 130 bpm. First swim in 30 days."

    def test_activity_without_distance_compares_durations(self):
        # 3600 s vs the mean of 1800 and 2700 = 2250 s = 37.5 min → "38 min";
        # (3600 − 2250) / 2250 = +60 %; 3600 > 2700 → longest.
        other = facts(sport="other", km=0.0, seconds=3600, load=30.0)
        recent = [facts(2, sport="other", km=0.0, seconds=1800), facts(3, sport="other", km=0.0, seconds=2700)]
        assert activity_text(other, recent) == (
            "Other activity: 1:00:00, training load 30. Longest other activity in 30 days. "
            "60 % longer than your 30-day average of 38 min (2 other activities)."
        )


class TestWeeklyText:
    def week(self, **overrides):
        """The docstring example's week, a whole one (Sunday), changed by `overrides`."""
        values = {
            "week_start": date(2026, 11, 16),
            "days_into_week": 7,
            "week_distance_km": 62.4,
            "week_runs": 5,
            "week_load": 420.0,
            "same_days_avg_distance_km": 55.7,
            "same_days_avg_load": 395.0,
            "longest_run_km": 21.1,
        }
        return weekly_text(**{**values, **overrides})

    def no_runs(self, **overrides):
        return self.week(week_distance_km=0.0, week_runs=0, longest_run_km=None, **overrides)

    def test_the_docstring_example(self):
        # (62.4 − 55.7) / 55.7 = +12.03 % → 12
        assert self.week() == (
            "62.4 km over 5 runs this week, 12 % above your 4-week average of 55.7 km; "
            "load 420 vs 395 on average. Longest run 21.1 km."
        )

    def test_below_and_single_run(self):
        # (10 − 40) / 40 = −75 %; one run: no "Longest run"; load 62.5 → 63 (half up), 180.4 → 180
        text = self.week(
            week_distance_km=10.0,
            week_runs=1,
            week_load=62.5,
            same_days_avg_distance_km=40.0,
            same_days_avg_load=180.4,
            longest_run_km=10.0,
        )
        assert text == (
            "10.0 km over 1 run this week, 75 % below your 4-week average of 40.0 km; load 63 vs 180 on average."
        )

    def test_in_line(self):
        # (40.1 − 40) / 40 = +0.25 % → 0
        text = self.week(week_distance_km=40.1, week_runs=4, same_days_avg_distance_km=40.0)
        assert text.startswith("40.1 km over 4 runs this week, in line with your 4-week average of 40.0 km;")

    def test_zero_week(self):
        text = self.no_runs(week_load=0.0, same_days_avg_distance_km=41.0, same_days_avg_load=300.0)
        assert text == "No runs yet this week; your 4-week average is 41.0 km."

    def test_zero_week_with_other_sports(self):
        text = self.no_runs(week_load=75.0, same_days_avg_distance_km=0.0, same_days_avg_load=120.0)
        assert text == (
            "No runs yet this week, and none in the previous 4 weeks. Training load so far 75 (4-week average 120)."
        )

    def test_no_history(self):
        text = self.week(
            week_distance_km=12.0,
            week_runs=2,
            week_load=80.0,
            same_days_avg_distance_km=0.0,
            same_days_avg_load=0.0,
            longest_run_km=7.0,
        )
        assert text == (
            "12.0 km over 2 runs this week, with no runs in the previous 4 weeks; load 80. Longest run 7.0 km."
        )

    def test_on_a_tuesday_the_same_days_are_compared(self):
        # Monday–Tuesday: 12.0 km against 10.9 km on average over Monday–Tuesday of the 4 weeks
        # before: (12.0 − 10.9) / 10.9 = +10.09 % → 10.
        text = self.week(
            days_into_week=2,
            week_distance_km=12.0,
            week_runs=2,
            week_load=120.0,
            same_days_avg_distance_km=10.9,
            same_days_avg_load=110.0,
            longest_run_km=8.0,
        )
        assert text == (
            "12.0 km over 2 runs this week, 10 % above your 4-week average for Monday–Tuesday of 10.9 km; "
            "load 120 vs 110 on average. Longest run 8.0 km."
        )

    def test_monday_without_runs_and_no_history_on_those_days(self):
        text = self.no_runs(days_into_week=1, week_load=40.0, same_days_avg_distance_km=6.5, same_days_avg_load=30.0)
        assert text == (
            "No runs yet this week; your 4-week average for Monday is 6.5 km. "
            "Training load so far 40 (4-week average for Monday 30)."
        )
        text = self.no_runs(days_into_week=3, week_load=0.0, same_days_avg_distance_km=0.0, same_days_avg_load=0.0)
        assert text == "No runs yet this week, and none on Monday–Wednesday in the previous 4 weeks."


class TestGroupText:
    def base(self, **overrides):
        values = {
            "group_name": "Marathon Block A",
            "week_distance_km": 412.3,
            "previous_week_distance_km": 381.8,
            "active_members": 14,
            "members": 18,
            "top_member_name": "Alex",
            "top_member_km": 62.4,
            "days_into_week": 7,
        }
        return group_text(**{**values, **overrides})

    def test_the_docstring_example(self):
        # (412.3 − 381.8) / 381.8 = +7.99 % → 8; 14 / 18 = 77.8 % → 78
        assert self.base() == (
            "Marathon Block A ran 412.3 km this week, 8 % more than last week; 14 of 18 members were active (78 %). "
            "Top: Alex, 62.4 km."
        )

    def test_less_and_singular(self):
        # (90 − 120) / 120 = −25 %; 1 of 1 member: 100 %
        text = self.base(week_distance_km=90.0, previous_week_distance_km=120.0, active_members=1, members=1)
        assert text == (
            "Marathon Block A ran 90.0 km this week, 25 % less than last week; 1 of 1 member was active (100 %). "
            "Top: Alex, 62.4 km."
        )

    def test_same_as_last_week_without_top(self):
        # (100.2 − 100) / 100 = +0.2 % → 0; 1 of 3 = 33.3 % → 33
        text = self.base(
            week_distance_km=100.2, previous_week_distance_km=100.0, active_members=1, members=3, top_member_name=None
        )
        assert (
            text == "Marathon Block A ran 100.2 km this week, the same as last week; 1 of 3 members was active (33 %)."
        )

    def test_no_last_week(self):
        text = self.base(previous_week_distance_km=0.0)
        assert text.startswith("Marathon Block A ran 412.3 km this week, up from 0 km last week; ")

    def test_no_distance(self):
        text = self.base(week_distance_km=0.0, active_members=0, top_member_name=None, top_member_km=None)
        assert (
            text
            == "Marathon Block A logged no distance this week (381.8 km last week); 0 of 18 members were active (0 %)."
        )
        text = self.base(week_distance_km=0.0, previous_week_distance_km=0.0, active_members=0)
        assert text == (
            "Marathon Block A logged no distance this week (none last week either); 0 of 18 members were active (0 %)."
        )

    def test_on_a_tuesday_last_week_means_its_monday_and_tuesday(self):
        # (90 − 100) / 100 = −10 %
        text = self.base(week_distance_km=90.0, previous_week_distance_km=100.0, days_into_week=2)
        assert text.startswith("Marathon Block A ran 90.0 km this week, 10 % less than Monday–Tuesday last week; ")
        text = self.base(previous_week_distance_km=0.0, days_into_week=1)
        assert text.startswith("Marathon Block A ran 412.3 km this week, up from 0 km on Monday last week; ")
        text = self.base(week_distance_km=0.0, active_members=0, top_member_name=None, days_into_week=4)
        assert text == (
            "Marathon Block A logged no distance this week (381.8 km on Monday–Thursday last week); "
            "0 of 18 members were active (0 %)."
        )

    def test_no_members(self):
        assert self.base(members=0, active_members=0, week_distance_km=0.0) == "Marathon Block A has no members yet."


def test_the_old_dotted_path_of_the_default_backend_still_names_it(settings):
    settings.INSIGHTS_BACKEND = "analytics.insights.TemplateInsightsBackend"
    assert isinstance(insights_backend(), TemplateInsightsBackend)
    assert _backend_for("analytics.insight_backends.TemplateInsightsBackend").__class__ is TemplateInsightsBackend
