"""Writes for analytics, one module per concern."""
