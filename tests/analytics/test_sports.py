"""The one list of running sports names only sports the models know."""

from analytics.metrics import compliance, insight_texts
from analytics.metrics.sports import RUN_SPORTS
from analytics.models import Sport


def test_running_sports_are_sports_and_shared():
    assert set(Sport.values) >= RUN_SPORTS == {"run", "trail_run", "treadmill"}
    assert compliance.RUN_SPORTS is RUN_SPORTS
    assert insight_texts.RUN_SPORTS is RUN_SPORTS
