"""Error pages in the user's language, rendered without touching the database (500 must not fail)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def bad_request(request, exception=None):
    """Mostly a body over DATA_UPLOAD_MAX_MEMORY_SIZE (a huge photo or import): say so, not just "400"."""
    too_big = isinstance(exception, RequestDataTooBig)
    return render(request, "errors/400.html", {"too_big": too_big,
                                               "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
                  status=413 if too_big else 400)
