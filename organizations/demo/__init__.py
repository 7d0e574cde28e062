"""Demo data for Astral: a running club with coaches, athletes, plans, a year of runs and wellness.

Entry points: `build_demo`, `demo_exists`, `demo_reset` (used by `manage.py seed_demo`).
"""

from organizations.demo.builder import DemoSummary, build_demo
from organizations.demo.club import DemoConflictError
from organizations.demo.constants import DEMO_ORG_NAME, DEMO_PASSWORD, STAFF_USERNAMES
from organizations.demo.reset import demo_exists, demo_reset

__all__ = [
    "DEMO_ORG_NAME",
    "DEMO_PASSWORD",
    "STAFF_USERNAMES",
    "DemoConflictError",
    "DemoSummary",
    "build_demo",
    "demo_exists",
    "demo_reset",
]
