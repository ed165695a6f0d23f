"""Settings shared by every environment; everything site-specific comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "import_export",
    "django_celery_beat",
    "servicedesk.core",
    "servicedesk.accounts",
    "customers",
    "parts",
    "repair_orders",
    "appointments",
    "workshop",
    "billing",
    "followups",
    "reports",
    "servicedesk.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "servicedesk.core.middleware_input.DropNulFromQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "servicedesk.accounts.middleware.CurrentSiteMiddleware",
    "servicedesk.core.errors.ApplicationErrorMiddleware",
    # axes last, as its docs ask, so it sees the outcome of authentication
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicedesk.urls"
WSGI_APPLICATION = "servicedesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicedesk.accounts.context_processors.shell",
            ],
        },
    },
]


def add_postgres_options(database: dict) -> None:
    """Settings sent with every PostgreSQL connection; prod.py rebuilds DATABASES and calls this again."""
    if not database["ENGINE"].endswith(("postgresql", "postgis")):
        return
    options = database.setdefault("OPTIONS", {})
    # SSD storage: the default random_page_cost = 4 assumes spinning disks and makes the planner skip the
    # trigram indexes (bench/README.md). Put first, so `?options=-c random_page_cost=...` in DATABASE_URL wins.
    options["options"] = " ".join(filter(None, ["-c random_page_cost=1.1", options.get("options", "")]))


DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A worker and the web server share the file: wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
add_postgres_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "servicedesk.core.cache_redis.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    # File-based so the web process and the embedded worker see the same entries (import progress).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Rendered RO pages (repair_orders/page_cache.py) in each process's memory: their keys carry a fingerprint of
# the rows they show, so no process can serve another's stale copy; ~50 KB each.
RO_PAGE_CACHE = env.bool("RO_PAGE_CACHE", default=True)  # off: every RO page rendered (bench compares both)
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ro-pages",
                   "OPTIONS": {"MAX_ENTRIES": 300}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "servicedesk.accounts.access.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock out after repeated failures, keyed on the username and the address together.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sessions last one shift (12 h) and end when the browser closes: front-desk PCs and workshop tablets are
# shared, and a colleague must not inherit yesterday's sign-in. The server forgets the session after 12 h
# even if the browser stays open. Both can be changed per installation.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_HOURS", default=12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# htmx reads the CSRF token from the page (base.html hx-headers), never from the cookie.
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script, no eval.
# Inline style attributes remain in ~35 template places and in Chart.js/htmx/Redoc, so style-src keeps
# 'unsafe-inline' (styles cannot run code). Images may be data:/blob: (signature pad, photo previews).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["servicedesk.core.api.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "servicedesk.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Service desk API",
    "DESCRIPTION": "After-sales service desk: customers, vehicles and (later) the repair order.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice fields of the same name in several models need names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "RepairOrderStateEnum": "repair_orders.workflow.ROState",
        "JobLineStateEnum": "repair_orders.workflow.JobState",
        "DamageMarkKindEnum": "repair_orders.models.order.DamageMark.Kind",
        "SignatureKindEnum": "repair_orders.models.order.Signature.Kind",
        "AnswerChannelEnum": "repair_orders.models.additional.AnswerChannel",
        "ChannelEnum": "appointments.models.Channel",  # the name it had before AnswerChannel came
        "JobPauseReasonEnum": "repair_orders.models.jobs.JobLine.PauseReason",
        "InvoiceKindEnum": "billing.models.invoices.Invoice.Kind",  # the invoice and its list summary
    },
}

# Celery: JSON only, late acks, nothing lost when a worker dies mid-task.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery"
    # A message queued before the worker first starts (seed_demo) needs the folders already.
    for _folder in ("queue", "processed", "control"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),  # kombu's default is ./control
        "store_processed": False,
    }
HEARTBEAT_INTERVAL_SECONDS = env.int("HEARTBEAT_INTERVAL_SECONDS", default=60)
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {"task": "servicedesk.core.tasks.beat_heartbeat", "schedule": HEARTBEAT_INTERVAL_SECONDS},
    "message-sweep": {"task": "customers.messaging.tasks.message_sweep", "schedule": 5 * 60},
}

# Outbound messages (docs/messaging.md). One backend for every channel unless a channel names its own.
MESSAGING_BACKEND = env("MESSAGING_BACKEND", default="customers.messaging.backends.ConsoleBackend")
MESSAGING_CHANNEL_BACKENDS = {
    "sms": env("MESSAGING_SMS_BACKEND", default=""),
    "wechat": env("MESSAGING_WECHAT_BACKEND", default=""),
    "email": env("MESSAGING_EMAIL_BACKEND", default=""),
}
MESSAGING_WEBHOOK_URL = env("MESSAGING_WEBHOOK_URL", default="")
MESSAGING_WEBHOOK_TOKEN = env("MESSAGING_WEBHOOK_TOKEN", default="")
MESSAGING_WEBHOOK_TIMEOUT_SECONDS = 10
MESSAGING_LANGUAGE = env("MESSAGING_LANGUAGE", default=LANGUAGE_CODE)  # of the texts customers receive
MESSAGING_MAX_ATTEMPTS = env.int("MESSAGING_MAX_ATTEMPTS", default=5)
MESSAGING_RETRY_BACKOFF_SECONDS = 30  # then 60, 120, ... capped below the broker's visibility timeout (1 h)
MESSAGING_RETRY_BACKOFF_MAX_SECONDS = 30 * 60
MESSAGING_SEND_SOFT_TIME_LIMIT = 30  # the webhook's own timeout is 10 s
MESSAGING_SEND_TIME_LIMIT = 45
MESSAGING_SWEEP_AFTER_SECONDS = 60
MESSAGING_SWEEP_BATCH = 500
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="service@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Product defaults a site may override on its own record.
DEFAULT_VAT_RATE = "0.13"
PHONE_DEFAULT_REGION = "CN"

from django.contrib.messages import constants as _message_constants  # noqa: E402

MESSAGE_TAGS = {_message_constants.ERROR: "danger"}

# Booking (appointments/): the address customers' links point at, and the scans of DESIGN.md §3 rule 6.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://localhost:8000")
APPOINTMENT_SELF_BOOKINGS_PER_HOUR = env.int("APPOINTMENT_SELF_BOOKINGS_PER_HOUR", default=5)
CELERY_BEAT_SCHEDULE.update({
    "appointment-confirmations": {"task": "appointments.tasks.send_confirmations", "schedule": 5 * 60},
    "appointment-calls": {"task": "appointments.tasks.create_confirmation_calls", "schedule": 5 * 60},
    "appointment-no-shows": {"task": "appointments.tasks.mark_no_shows", "schedule": 15 * 60},
})

# Workshop (workshop/): clocks left running after closing time are stopped and flagged (DESIGN.md §3 rule 6).
CELERY_BEAT_SCHEDULE.update({
    "workshop-forgotten-clocks": {"task": "workshop.tasks.close_forgotten_entries", "schedule": 30 * 60},
})

# Follow-ups (followups/): scans of "due and not yet done" (DESIGN.md §3 rule 6, §5); each is safe to repeat.
CELERY_BEAT_SCHEDULE.update({
    "followups-due-callbacks": {"task": "followups.tasks.create_due_callbacks", "schedule": 5 * 60},
    "followups-escalate-overdue": {"task": "followups.tasks.escalate_overdue", "schedule": 15 * 60},
    "followups-monthly-contacts": {"task": "followups.tasks.create_monthly_contacts", "schedule": 60 * 60},
    "followups-maintenance-reminders": {"task": "followups.tasks.send_maintenance_reminders",
                                        "schedule": 60 * 60},
    "followups-first-service-reminders": {"task": "followups.tasks.send_first_service_reminders",
                                          "schedule": 60 * 60},
    "followups-reminder-calls": {"task": "followups.tasks.create_reminder_calls", "schedule": 30 * 60},
    "followups-converted-reminders": {"task": "followups.tasks.mark_converted_reminders", "schedule": 30 * 60},
    "followups-lost-vehicles": {"task": "followups.tasks.mark_lost_vehicles", "schedule": 60 * 60},
    "followups-won-back": {"task": "followups.tasks.mark_won_back", "schedule": 60 * 60},
})

# Reports (reports/): the monthly pack, due on the 3rd at 08:00 site time; the scan creates each month's row once.
CELERY_BEAT_SCHEDULE.update({
    "reports-monthly-pack": {"task": "reports.tasks.monthly_reports_due", "schedule": 15 * 60},
})
