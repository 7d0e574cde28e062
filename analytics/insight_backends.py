"""The insights backend, chosen by settings.INSIGHTS_BACKEND (a dotted path to a class).

The default, `TemplateInsightsBackend`, is deterministic and offline: it fills the texts of
`analytics.metrics.insight_texts` with the athlete's numbers. Another backend (an LLM, say) implements
the same three methods and is configured without touching the callers.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from analytics.metrics import insight_texts as texts


class InsightsBackend:
    def activity_summary(self, activity: texts.RunFacts, recent: list[texts.RunFacts]) -> str:
        raise NotImplementedError

    def weekly_summary(self, **facts) -> str:
        raise NotImplementedError

    def group_summary(self, **facts) -> str:
        raise NotImplementedError


class TemplateInsightsBackend(InsightsBackend):
    def activity_summary(self, activity, recent):
        return texts.activity_text(activity, recent)

    def weekly_summary(self, **facts):
        return texts.weekly_text(**facts)

    def group_summary(self, **facts):
        return texts.group_text(**facts)


# The module was analytics/insights.py until issue 10; a setting naming the old path still works.
LEGACY_PATHS = {"analytics.insights.TemplateInsightsBackend": "analytics.insight_backends.TemplateInsightsBackend"}


@cache
def _backend_for(path: str) -> InsightsBackend:
    return import_string(LEGACY_PATHS.get(path, path))()


def insights_backend() -> InsightsBackend:
    return _backend_for(settings.INSIGHTS_BACKEND)
