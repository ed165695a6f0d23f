"""The embedded default of `make run`: SQLite, a file-system broker, demo data."""

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)

# Static files straight from the app folders; nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

if REDIS_URL:  # as production keeps sessions (prod.py); the benchmarks run these settings with DEBUG off
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
