from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): the top of the stack, it may use every app."""

    name = "demo"
    verbose_name = "Demo data"
