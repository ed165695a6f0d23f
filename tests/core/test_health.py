from datetime import timedelta

import pytest
from django.utils import timezone

from servicedesk.core.models import Heartbeat
from servicedesk.core.tasks import beat_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_needs_nothing(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_names_a_missing_beat(client):
    response = client.get("/readyz")
    assert response.status_code == 503 and "beat: no heartbeat yet" in response.json()["problems"]


def test_readyz_ok_after_the_heartbeat_task(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        beat_heartbeat.delay()
    assert len(callbacks) == 1  # enqueued after commit, not before
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["beat_age_seconds"] < 5


def test_readyz_fails_on_a_stale_beat(client):
    Heartbeat.objects.create(name="beat", last_seen=timezone.now() - timedelta(hours=1))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["problems"][0].startswith("beat: last heartbeat")


def test_readyz_names_a_broken_cache(client, monkeypatch):
    from servicedesk.core import views

    beat_heartbeat()
    monkeypatch.setattr(views.cache, "get", lambda *args, **kwargs: None)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["problems"] == ["cache: value not kept"]
