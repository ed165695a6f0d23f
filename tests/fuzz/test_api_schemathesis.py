"""Schemathesis over the whole OpenAPI schema (/api/schema/), in process through Django's WSGI handler, as a
manager of a site that has objects in every state: no server error, every documented response matches its
schema, and schema-invalid input is refused with a 4xx. Derandomized, so a failure replays the same way."""

import json
import traceback

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance
from werkzeug.test import Client as WerkzeugClient

from . import dataset

pytestmark = pytest.mark.django_db

CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    "seed": 20261101,
    "generation": {"mode": "all", "max-examples": 15, "deterministic": True, "database": "none"},
    # The coverage phase enumerates every boundary of every field: minutes per run; fuzzing is enough here.
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "suppress-health-check": ["all"],
})
CHECKS = [not_a_server_error, response_schema_conformance, negative_data_rejection]


@pytest.fixture
def server_errors():
    """Tracebacks of the exceptions the handler turned into 500 pages, to show what broke."""
    caught = []

    def record(sender, request=None, **kwargs):
        if len(caught) < 3:  # the first ones say it; hypothesis may replay a failure many times
            caught.append(f"{request.method} {request.get_full_path()}\n{traceback.format_exc()}")

    signals.got_request_exception.connect(record)
    yield caught
    signals.got_request_exception.disconnect(record)


@pytest.fixture
def wsgi_app():
    # As Django's test client does: a request must not close the connection holding the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(manager):
    return Token.objects.create(user=manager).key


@pytest.fixture
def api_schema(site, manager, wsgi_app, token):
    ids = dataset.build(site, manager)
    # through the same handler, not Django's test client: that one reconnects close_old_connections
    raw = json.loads(WerkzeugClient(wsgi_app).get("/api/schema/?format=json", headers={
        "Authorization": f"Token {token}", "Host": "localhost"}).get_data())
    _pin_path_ids(raw, ids)
    schema = schemathesis.openapi.from_dict(raw, config=CONFIG)
    schema.app = wsgi_app
    return schema


DRF_FORMAT = ("query", "format")


def _pin_path_ids(raw: dict, ids: dict[str, list[int]]) -> None:
    """Path ids drawn from the dataset's objects (and one missing id), so operations reach real rows.
    DRF's own `?format=` override (documented for the PDFs) is left out: an empty one means "no override";
    so are the form encodings DRF also parses: the API's contract is JSON (a garbled multipart PATCH reads
    as "change nothing")."""
    for path, operations in raw["paths"].items():
        resource = path.removeprefix("/api/v1/").split("/")[0]
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            for encoding in ("multipart/form-data", "application/x-www-form-urlencoded"):
                content.pop(encoding, None)
            operation["parameters"] = [p for p in operation.get("parameters", []) if (p["in"], p["name"]) != DRF_FORMAT]
            for parameter in operation["parameters"]:
                if parameter["in"] == "path":
                    kind = "jobs" if parameter["name"] == "job_id" else resource
                    parameter["schema"] = {"type": "integer", "enum": [*ids.get(kind, []), dataset.MISSING_ID]}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_never_fails_on_any_input(case, token, server_errors):
    response = case.call(headers={"Authorization": f"Token {token}"})
    if response.status_code >= 500:
        pytest.fail(f"{case.method} {case.formatted_path} → {response.status_code}\n" + "\n".join(server_errors))
    case.validate_response(response, checks=CHECKS)
