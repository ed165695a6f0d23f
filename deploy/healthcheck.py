"""Container health checks, run by Docker inside the container (no curl in the slim image).

    python deploy/healthcheck.py web    GET /healthz on the local gunicorn (liveness only;
                                        /readyz is for the load balancer and the operator)
    python deploy/healthcheck.py beat   the "beat-heartbeat" periodic task was sent recently
                                        (django_celery_beat writes last_run_at about every 3 min)

Exit status 0 means healthy, 1 unhealthy; the reason goes to stdout (shown by `docker inspect`).
"""

import os
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent


def _host_header() -> str:
    """The first concrete ALLOWED_HOSTS entry, so Django does not answer 400 DisallowedHost."""
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and "*" not in host:
            return host
    return "localhost"


def check_web() -> str | None:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
    request = urllib.request.Request(url, headers={"Host": _host_header()})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # nosec B310 # our own http://127.0.0.1 URL
            if response.status != 200:
                return f"web: /healthz answered {response.status}"
    except Exception as error:
        return f"web: {error.__class__.__name__}: {error}"
    return None


def check_beat() -> str | None:
    sys.path.insert(0, str(APP_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.prod")
    import django

    django.setup()
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    max_age = int(os.environ.get("BEAT_HEALTH_MAX_AGE_SECONDS", "600"))
    task = PeriodicTask.objects.filter(name="beat-heartbeat").first()
    if task is None or task.last_run_at is None:
        return "beat: beat-heartbeat has not run yet"
    last_run = task.last_run_at
    if timezone.is_naive(last_run):
        last_run = timezone.make_aware(last_run)
    age = (datetime.now(UTC) - last_run).total_seconds()
    if age > max_age:
        return f"beat: beat-heartbeat last sent {int(age)} s ago (limit {max_age} s)"
    return None


def main(argv: list[str]) -> int:
    checks = {"web": check_web, "beat": check_beat}
    if len(argv) != 2 or argv[1] not in checks:
        print(f"usage: {argv[0]} {{{'|'.join(checks)}}}")
        return 2
    try:
        problem = checks[argv[1]]()
    except Exception as error:  # database down, settings missing...: unhealthy, say why
        problem = f"{argv[1]}: {error.__class__.__name__}: {error}"
    print(problem or f"{argv[1]}: ok")
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
