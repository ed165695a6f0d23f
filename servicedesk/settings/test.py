"""The suite: SQLite and eager Celery with no servers; PostgreSQL/Redis when their URLs are set."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Eager unless an integration test starts a real worker (it overrides this for itself).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "pages": CACHES["pages"]}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 3
LANGUAGE_CODE = "zh-hans"

# Static files straight from the app folders; nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
