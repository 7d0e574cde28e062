from django.apps import AppConfig


class AstralConfig(AppConfig):
    """The project's plumbing as an app only so that it can own the `Installation` row."""

    name = "astral"
    verbose_name = "Astral installation"
