"""Settings for the test run: astral.settings plus a test-only secret key.

The settings refuse to load with DJANGO_DEBUG off and no DJANGO_SECRET_KEY, and tests run with
DEBUG off. pytest-django imports the settings module before any conftest.py (even a root one), so
the key is provided here, as the settings module pyproject.toml names. It is also exported to the
processes the tests start (the Celery worker of tests/services inherits os.environ).
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite-5e2c9a")
# Uploads waiting for an import job go to a folder of this run (shared with the workers it starts).
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="astral-test-media-"))

from astral.settings import *  # noqa: E402, F403
