"""The Celery app. Tasks subclass `core.tasks.BaseTask` (late acks, time limits, enqueue on commit)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.dev")

app = Celery("servicedesk", task_cls="servicedesk.core.tasks:BaseTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
