"""Liveness and readiness for the load balancer and the operator."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import Heartbeat


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure means "not ready"; the message names it
        return f"database: {error.__class__.__name__}"
    return None


def _check_cache() -> str | None:
    try:
        cache.set("readyz", "1", 10)
        if cache.get("readyz") != "1":
            return "cache: value not kept"
    except Exception as error:
        return f"cache: {error.__class__.__name__}"
    return None


def _check_broker() -> str | None:
    from servicedesk.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return f"broker: {error.__class__.__name__}"
    return None


@never_cache
def readyz(request):
    """503 naming the failing part when the database, cache, broker or beat is not well."""
    problems = [p for p in (_check_database(), _check_cache(), _check_broker()) if p]
    beat_age = None
    if not any(p.startswith("database") for p in problems):
        beat = Heartbeat.objects.filter(name="beat").first()
        if beat is None:
            problems.append("beat: no heartbeat yet")
        else:
            beat_age = int((timezone.now() - beat.last_seen).total_seconds())
            if beat_age > settings.HEARTBEAT_MAX_AGE_SECONDS:
                problems.append(f"beat: last heartbeat {beat_age} s ago")
    body = {"status": "fail" if problems else "ok", "problems": problems, "beat_age_seconds": beat_age}
    return JsonResponse(body, status=503 if problems else 200)
