"""Astral settings: one module, every difference between environments comes from a variable.

With nothing set you get the embedded default (SQLite file, local-memory cache, eager Celery),
so `make run` works anywhere. Production and CI set DATABASE_URL, REDIS_URL and
CELERY_BROKER_URL (see README.md for the full table).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A well-known fallback key would let anyone forge sessions, CSRF tokens and reset links.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false (the default) Astral needs a long random "
            "secret key, e.g. DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "For local development set DJANGO_DEBUG=true instead (make run does)."
        )
    # Local development only (DEBUG on); production sets DJANGO_SECRET_KEY.
    SECRET_KEY = "django-insecure-local-development-key-change-me"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "astral",
    "accounts",
    "organizations",
    "plans",
    "analytics",
    "demo",
]

MIDDLEWARE = [
    "astral.request_id.RequestIdMiddleware",  # first: every log line and answer carries the id
    "astral.replicas.ReplicaReadsMiddleware",  # before any read: a safe request may read a replica
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path or the query (sessions, auth, views): see its docstring.
    "astral.api.hostile_input.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A domain exception no page view handled becomes a page in the site layout (astral.web_errors).
    "astral.web_errors.ApplicationErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "astral.urls"
WSGI_APPLICATION = "astral.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a seed or a worker writes. A transaction takes the write
    # lock when it begins (IMMEDIATE), and a writer waits up to 20 s for it: two requests that both
    # rebuild snapshots then queue, where a read that turned into a write was "database is locked"
    # at once (SQLITE_BUSY), answered 503.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", transaction_mode="IMMEDIATE", timeout=20
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite builds the covering index on Activity.start_time without its INCLUDE columns (a
    # PostgreSQL feature for organization-wide windows); the embedded default needs no more.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# PostgreSQL streaming replicas (comma-separated URLs; unset = none): safe requests read from one
# that has replayed every acknowledged write, else from the primary (astral/replicas.py).
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS", "")):
    _replica = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)  # a dead host is skipped fast
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_index}"] = _replica
if len(DATABASES) > 1:
    if "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL (streaming replicas).")
    DATABASE_ROUTERS = ["astral.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "astral"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A cache outage degrades to "always recompute", never to an error.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "astral"}}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
# Queues by kind of work, so each can get its own workers: `metrics` (snapshot refreshes, group
# insights, recomputes: CPU and SQL), `imports` (archives: long, I/O), `mail` (SMTP: slow,
# retried), `strava` (Strava backfills and webhook events: HTTP to Strava, waits out its rate
# limits), `celery` (the rest). A worker started without -Q consumes them all (docs/scaling.md).
CELERY_TASK_QUEUES = (Queue("celery"), Queue("metrics"), Queue("imports"), Queue("mail"), Queue("strava"))
CELERY_TASK_ROUTES = {
    "analytics.tasks.run_import": {"queue": "imports"},
    "analytics.tasks.strava_*": {"queue": "strava"},
    "analytics.tasks.*": {"queue": "metrics"},
    "astral.mail.send": {"queue": "mail"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Bound the time a web request can spend on an unreachable broker (the write still succeeds).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A task is acknowledged only after it ran (ACKS_LATE), so a worker killed mid-task leaves it
# unacknowledged: RabbitMQ hands it to another worker as soon as the dead one's connection closes;
# on a Redis broker it comes back once `visibility_timeout` has passed (swept every
# `unacked_restore_interval` s). Every task is idempotent, so the rare double run costs nothing.
# A prefork child killed under a living worker (OOM) is requeued too (REJECT_ON_WORKER_LOST).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
_visibility_timeout = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 1,
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": max(1, min(10, _visibility_timeout // 3)),
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE = {
    "refresh-all-metrics-hourly": {
        "task": "analytics.tasks.refresh_all_metrics",
        "schedule": crontab(minute=7),
    },
    "resume-import-jobs": {
        "task": "analytics.tasks.resume_import_jobs",
        "schedule": crontab(minute="*/10"),
    },
    "strava-catch-up-hourly": {
        "task": "analytics.tasks.strava_catch_up",
        "schedule": crontab(minute=37),
    },
    "attention-digests-hourly": {  # after the snapshot refresh at :07, so the flags are today's
        "task": "analytics.digest_tasks.send_attention_digests",
        "schedule": crontab(minute=17),
    },
}

# --- Email ------------------------------------------------------------------------------------
# Read from the environment under Django's classic names (EMAIL_HOST, EMAIL_PORT, ...) and given
# to Django 6.1's MAILERS. With EMAIL_HOST set mail goes out over SMTP; without it (the embedded
# default) it is printed to the console log. Mail is always sent after commit by a Celery task.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
                "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Astral <no-reply@astral.localhost>")
# The address people reach this installation at: the links in mails start with it.
PUBLIC_URL = os.environ.get("ASTRAL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Strava -----------------------------------------------------------------------------------
# A Strava API application (https://www.strava.com/settings/api): without a client id the Connect
# button explains that this server has none. Both bases are configurable (the tests' double).
STRAVA_CLIENT_ID = os.environ.get("STRAVA_CLIENT_ID", "")
STRAVA_CLIENT_SECRET = os.environ.get("STRAVA_CLIENT_SECRET", "")
STRAVA_WEBHOOK_VERIFY_TOKEN = os.environ.get("STRAVA_WEBHOOK_VERIFY_TOKEN", "")
STRAVA_OAUTH_BASE = os.environ.get("STRAVA_OAUTH_BASE", "https://www.strava.com/oauth").rstrip("/")
STRAVA_API_BASE = os.environ.get("STRAVA_API_BASE", "https://www.strava.com/api/v3").rstrip("/")
STRAVA_HTTP_TIMEOUT = float(os.environ.get("STRAVA_HTTP_TIMEOUT", "10"))
# Provider tokens are stored encrypted (Fernet) with this key (`python -c "from cryptography.fernet
# import Fernet; print(Fernet.generate_key().decode())"`); unset, a key derived from SECRET_KEY.
INTEGRATION_TOKEN_KEY = os.environ.get("INTEGRATION_TOKEN_KEY", "")
CELERY_IMPORTS = ("astral.mail",)

# --- Auth -------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCESS_TOKEN_TTL = timedelta(days=int(os.environ.get("ACCESS_TOKEN_TTL_DAYS", "30")))
LOGIN_FAILURE_LIMIT = 5  # the 6th failed attempt within the window is refused with 429
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
# How many reverse proxies in front of the app append to X-Forwarded-For (astral.client_ip); 0 = none,
# the header is ignored (a client could forge it).
_trusted_proxies = os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "").strip() or "0"
if not _trusted_proxies.isdigit():
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more).")
TRUSTED_PROXY_COUNT = int(_trusted_proxies)
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing

# --- Security (production values come from DJANGO_DEBUG=false and HTTPS behind a proxy) -------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG and env_bool("DJANGO_HTTPS"))
SESSION_COOKIE_SECURE = env_bool("DJANGO_HTTPS", default=False)
CSRF_COOKIE_SECURE = env_bool("DJANGO_HTTPS", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_HTTPS") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_IMPORT_FILE_BYTES = 25 * 1024 * 1024
# An archive of device files (Garmin Connect's or Strava's bulk export) is imported as a job; its
# upload waits in MEDIA_ROOT, which every web process and worker must share (a volume, or a
# storage backend in STORAGES).
MAX_IMPORT_ARCHIVE_BYTES = int(os.environ.get("MAX_IMPORT_ARCHIVE_BYTES", str(1024 * 1024 * 1024)))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))

# --- REST framework and the OpenAPI schema ----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.BearerTokenAuthentication",
        "organizations.api.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "astral.api.hostile_input.StrictJSONParser",
        "astral.api.hostile_input.StrictMultiPartParser",
        "astral.api.hostile_input.StrictFormParser",
    ],
    "EXCEPTION_HANDLER": "astral.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Astral API",
    "DESCRIPTION": "Coaching analytics for runners. All responses use the envelope "
    '`{"status": "ok", "data": ...}`; errors use `{"error", "details": {"code", "field"}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "astral.api.openapi.strip_trailing_slashes",
        "astral.api.openapi.document_server_errors",
        "astral.api.openapi.document_control_characters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "accounts.models.Role",
        "MemberRoleEnum": "organizations.models.MemberRole",
        "InvitationStatusEnum": "organizations.models.InvitationStatus",
    },
}

# --- Product settings -------------------------------------------------------------------------
INSIGHTS_BACKEND = os.environ.get("INSIGHTS_BACKEND", "analytics.insight_backends.TemplateInsightsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "astral.request_id.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
CSRF_FAILURE_VIEW = "astral.views.csrf_failure"
