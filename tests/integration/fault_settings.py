"""Settings of the worker a fault test starts (tests/integration/faults.py): the dev settings on the test
database and the test's broker, with the recording outbox backend and, when FAULT_BEAT_SECONDS is set,
the beat entries named in FAULT_BEAT_ONLY (comma-separated; all when empty) due that often, the others
dropped (a test cannot wait five minutes for beat)."""

import os

from servicedesk.settings.dev import *  # noqa: F403
from servicedesk.settings.dev import CELERY_BEAT_SCHEDULE

MESSAGING_BACKEND = "tests.integration.fault_backend.RecordingBackend"
MESSAGING_CHANNEL_BACKENDS = {}
MESSAGING_SWEEP_AFTER_SECONDS = int(os.environ.get("FAULT_SWEEP_AFTER_SECONDS", "60"))
if os.environ.get("FAULT_BEAT_SECONDS"):
    _only = set(filter(None, os.environ.get("FAULT_BEAT_ONLY", "").split(",")))
    CELERY_BEAT_SCHEDULE = {name: {**entry, "schedule": float(os.environ["FAULT_BEAT_SECONDS"])}
                            for name, entry in CELERY_BEAT_SCHEDULE.items() if not _only or name in _only}
