"""Production: PostgreSQL, Redis, no default secret; passes `manage.py check --deploy`."""

from .base import *  # noqa: F403
from .base import CACHES, add_postgres_options, env

SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before use: after a PostgreSQL restart no request fails on a dead one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
add_postgres_options(DATABASES["default"])
REDIS_URL = env("REDIS_URL")
CACHES = {"default": {"BACKEND": "servicedesk.core.cache_redis.ReusedClientRedisCache", "LOCATION": REDIS_URL},
          "pages": CACHES["pages"]}
# Sessions read from Redis, written through to the database (a Redis restart signs nobody out): one query less
# on every page. The same 12 h: the cache entry expires with the session; logout deletes both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
