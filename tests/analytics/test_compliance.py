"""Plan compliance matching (pure)."""

from datetime import date

from analytics.metrics.compliance import compliance, planned_date

MON = date(2026, 11, 2)


def test_planned_date():
    assert planned_date(MON, 1, 1) == MON
    assert planned_date(MON, 1, 7) == date(2026, 11, 8)
    assert planned_date(MON, 6, 1) == date(2026, 12, 7)  # 35 days later is week 6


def test_matches_same_day_and_family_and_ignores_rest_and_future():
    planned = [
        (date(2026, 11, 2), "easy"),
        (date(2026, 11, 3), "interval"),
        (date(2026, 11, 4), "rest"),
        (date(2026, 11, 5), "cross"),
        (date(2026, 11, 6), "tempo"),
        (date(2026, 11, 9), "long"),  # after today
    ]
    done = [
        (date(2026, 11, 2), "trail_run"),  # easy ✓
        (date(2026, 11, 3), "ride"),  # interval ✗ (wrong family)
        (date(2026, 11, 4), "run"),  # rest: not planned work
        (date(2026, 11, 5), "swim"),  # cross ✓
        (date(2026, 11, 7), "run"),  # tempo was on the 6th ✗
    ]
    assert compliance(planned=planned, done=done, today=date(2026, 11, 8)) == (2, 4, 0.5)


def test_one_activity_completes_one_workout():
    planned = [(MON, "easy"), (MON, "interval")]
    assert compliance(planned=planned, done=[(MON, "run")], today=MON) == (1, 2, 0.5)
    assert compliance(planned=planned, done=[(MON, "run"), (MON, "treadmill")], today=MON) == (2, 2, 1.0)


def test_nothing_due_yet():
    assert compliance(planned=[(date(2026, 12, 1), "easy")], done=[], today=MON) == (0, 0, None)
