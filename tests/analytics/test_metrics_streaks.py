"""Running streaks over plain dates (pure; no database)."""

from datetime import date, timedelta

from analytics.metrics.streaks import current_streak, longest_streak

TODAY = date(2026, 11, 21)


def back(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


class TestCurrentStreak:
    def test_ends_today(self):
        # today, −1, −2 active; −3 missing → 3
        assert current_streak(back(0, 1, 2, 4, 5), TODAY) == 3

    def test_today_without_a_run_counts_to_yesterday(self):
        # −1, −2, −3 active, today not yet → 3
        assert current_streak(back(1, 2, 3, 5), TODAY) == 3

    def test_broken_when_neither_today_nor_yesterday(self):
        assert current_streak(back(2, 3, 4), TODAY) == 0
        assert current_streak(set(), TODAY) == 0

    def test_only_today(self):
        assert current_streak(back(0), TODAY) == 1

    def test_future_days_do_not_extend_it(self):
        assert current_streak(back(-1, 1), TODAY) == 1

    def test_across_a_year_boundary(self):
        days = {date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)}
        assert current_streak(days, date(2027, 1, 1)) == 3


class TestLongestStreak:
    def test_longest_with_dates(self):
        # −10 … −8 (3 days), −5 … −2 (4 days), today (1)
        days = back(10, 9, 8, 5, 4, 3, 2, 0)
        assert longest_streak(days, TODAY - timedelta(days=30), TODAY) == {
            "length": 4,
            "start": date(2026, 11, 16),
            "end": date(2026, 11, 19),
        }

    def test_ties_go_to_the_earliest(self):
        # −9 … −7 and −3 … −1: both 3 days → the first one
        days = back(9, 8, 7, 3, 2, 1)
        assert longest_streak(days, TODAY - timedelta(days=30), TODAY) == {
            "length": 3,
            "start": date(2026, 11, 12),
            "end": date(2026, 11, 14),
        }

    def test_cut_at_the_window_edges(self):
        # Active −12 … −5 (8 days), window [−10, −6] → only 5 of them count.
        days = {TODAY - timedelta(days=n) for n in range(5, 13)}
        first, last = TODAY - timedelta(days=10), TODAY - timedelta(days=6)
        assert longest_streak(days, first, last) == {"length": 5, "start": first, "end": last}

    def test_single_day_window(self):
        assert longest_streak(back(0), TODAY, TODAY) == {"length": 1, "start": TODAY, "end": TODAY}

    def test_none_in_window(self):
        empty = {"length": 0, "start": None, "end": None}
        assert longest_streak(back(40), TODAY - timedelta(days=30), TODAY) == empty
        assert longest_streak(set(), TODAY - timedelta(days=30), TODAY) == empty
        assert longest_streak(back(0), TODAY, TODAY - timedelta(days=1)) == empty  # empty window
