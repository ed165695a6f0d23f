"""`make run`: the web server and a Celery worker with embedded beat, stopped together by one Ctrl-C."""

import os
import signal
import subprocess  # nosec B404 # starts our own worker and server
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the web server and a Celery worker with beat on the embedded (file-system) broker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        for folder in ("celery/queue", "celery/processed", "cache"):
            (settings.VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                      "servicedesk.settings.dev")}
        worker = [sys.executable, "-m", "celery", "-A", "servicedesk", "worker", "-B", "-l", "info",
                  "--concurrency", "2", "--schedule", str(settings.VAR_DIR / "celerybeat-schedule")]
        web = [sys.executable, "manage.py", "runserver", options["addr"], "--noreload"]
        # Ctrl-C reaches the whole terminal group; `kill` (SIGTERM) reaches only us: stop the children either way.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        processes = [subprocess.Popen(worker, env=env), subprocess.Popen(web, env=env)]  # nosec B603 # our argv
        self._print_banner(options["addr"])
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in processes:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in processes:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()

    def _print_banner(self, addr):
        self.stdout.write(self.style.SUCCESS(f"\nService desk: http://{addr}/   (Ctrl-C stops web and worker)"))
        self.stdout.write("Demo logins: see the table printed by seed_demo above (password demo1234).\n")
