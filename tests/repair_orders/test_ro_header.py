"""The RO page's header and timeline: the earlier RO a comeback returns to (a link), the way to the settlement
page for those who invoice once the car is ready, and a label in words for every event kind a service writes."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from repair_orders.models import RepairOrder
from repair_orders.views.common import EVENT_LABELS
from repair_orders.workflow import ROState

from .helpers import open_ro
from .test_walk_in_comeback import delivered

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("repair_orders", "workshop", "billing", "followups", "appointments", "parts")


def _page(client, repair_order) -> str:
    response = client.get(reverse("repair_orders:detail", args=[repair_order.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_comeback_links_the_ro_it_returns_to(advisor_client, site, advisor):
    earlier = delivered(site, advisor, days_ago=5)
    comeback = open_ro(site, advisor, vehicle=earlier.vehicle, ro_type=RepairOrder.Type.COMEBACK,
                       comeback_of=earlier)
    html = _page(advisor_client, comeback)
    assert f'href="{reverse("repair_orders:detail", args=[earlier.pk])}" id="ro-comeback-of">{earlier.number}<' in html
    assert 'id="ro-comeback-of"' not in _page(advisor_client, earlier)


@pytest.mark.parametrize("state, shown", [(ROState.IN_PROGRESS, False), (ROState.QUALITY_CHECK, False),
                                          (ROState.READY, True), (ROState.INVOICED, True),
                                          (ROState.DELIVERED, False)])
def test_the_settlement_link_shows_to_the_cashier_once_the_car_is_ready(client, site, advisor, cashier, state,
                                                                         shown):
    repair_order = open_ro(site, advisor)
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=state)
    client.force_login(cashier)
    settlement = f'href="{reverse("billing:settlement", args=[repair_order.pk])}"'
    assert (settlement in _page(client, repair_order)) is shown


def test_no_settlement_link_without_the_right_to_invoice(advisor_client, site, advisor):
    repair_order = open_ro(site, advisor)
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=ROState.READY)
    assert 'id="ro-settlement"' not in _page(advisor_client, repair_order)  # an advisor does not invoice


def _event_kinds(path: Path) -> set[str]:
    """The kinds of RO events a module writes: ro_event(ro, "kind", ...) and move_ro(..., kind="kind"), with
    both arms of a conditional."""
    kinds = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id == "ro_event" and len(node.args) > 1:
            expression = node.args[1]
        elif node.func.id == "move_ro":
            expression = next((kw.value for kw in node.keywords if kw.arg == "kind"), None)
        else:
            continue
        kinds |= {leaf.value for leaf in ast.walk(expression or ast.Constant(None))
                  if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str)}
    return kinds


def test_every_event_kind_the_services_write_has_a_label():
    written = set().union(*(_event_kinds(path) for app in APPS for path in (ROOT / app).rglob("*.py")
                            if "migrations" not in path.parts))
    assert {"opened", "dispatched", "qc_passed", "delivered"} <= written  # the scan finds them
    assert written - EVENT_LABELS.keys() == set()
