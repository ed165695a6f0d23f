"""gunicorn on loopback for the benchmarks that go over real HTTP (the suite's throughput group, bench/load):
workers = 2 × cores + 1, dev settings with DEBUG off (cached templates, no query log), persistent database
connections, against the DATABASE_URL / REDIS_URL of the environment."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

from .common import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def default_workers() -> int:
    return 2 * os.cpu_count() + 1


def start_gunicorn(port: int, workers: int, *, log=None, env: dict | None = None) -> subprocess.Popen:
    """`log`: an open file for gunicorn's output (errors and their tracebacks); the console when None. `env`:
    settings for this server on top of the environment's."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicedesk.settings.dev", "DEBUG": "False",
           "CONN_MAX_AGE": "60", **(env or {})}
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "servicedesk.wsgi:application",
                               "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                              cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log)
    for _n in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
