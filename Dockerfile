# syntax=docker/dockerfile:1
# Production image: gunicorn serving servicedesk.wsgi on :8000. The same image runs the
# Celery worker, Celery beat and the one-shot `migrate` (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=servicedesk.settings.prod \
    MEDIA_ROOT=/app/var/media \
    PORT=8000

# WeasyPrint (PDF) needs Pango/HarfBuzz; fonts-noto-cjk so Chinese text in PDFs is not tofu.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk \
        libharfbuzz-subset0 \
        libharfbuzz0b \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (own layer, cached until pyproject.toml/requirements.lock change).
# `[tool.setuptools] packages = []`: installing "." installs only the pinned dependencies.
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock . \
    && rm -rf build *.egg-info

COPY . .

# Static files are collected at build time (WhiteNoise serves them, with hashed names).
# The values below exist only for this RUN: prod settings refuse to load without them,
# and nothing connects to the database or Redis here. They are not kept in the image.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app

# Unprivileged user; the code stays root-owned and read-only, only media is writable.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var/media
USER app:app

EXPOSE 8000
VOLUME ["/app/var/media"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py", "web"]

CMD ["gunicorn", "servicedesk.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "120", \
     "--access-logfile", "-"]
