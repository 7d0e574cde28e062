"""Which sports count as running — for the metrics, the compliance matcher, the insights and every
query that filters runs (`analytics.models` re-exports it beside the `Sport` choices)."""

RUN_SPORTS = frozenset({"run", "trail_run", "treadmill"})
