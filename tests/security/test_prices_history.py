"""Who changed a price, when (issue 11, "Data"): a part's sale price and cost and a labour operation's hours and
fixed price keep a history (django-simple-history) that the manager's audit screen lists with the acting user
and old → new; stock moves write no history row; nobody but a manager opens the screen."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from parts.models import Part
from parts.services import part_update, stock_receive
from repair_orders.models import LabourOperation
from repair_orders.services.catalogue import labour_operation_update
from servicedesk.accounts.roles import ROLE_LABELS, SERVICE_MANAGER
from servicedesk.audit.selectors import TimelineFilter, decorate, timeline
from tests.factories import make_staff
from tests.repair_orders.conftest import make_operation, make_part

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def repriced(site, manager):
    """A part repriced 48.00 → 52.50 (cost 30.00 → 31.00) and an operation 0.50 h → 0.60 h at 120.00 fixed."""
    part = make_part(site, "OIL-01", sale_price="48.00", cost=Decimal("30.00"))
    part = part_update(part=part, data={"sale_price": Decimal("52.50"), "cost": Decimal("31.00")}, actor=manager)
    operation = make_operation("BY001", hours="0.5")
    operation = labour_operation_update(operation=operation, data={"hours": Decimal("0.6"),
                                                                   "fixed_price": Decimal("120.00")}, actor=manager)
    return part, operation


def _rows(site, kind, **filters):
    return decorate(timeline(site=site, flt=TimelineFilter(kinds=(kind,), **filters)))


def test_a_part_price_change_shows_who_and_old_to_new(site, manager, repriced):
    part, _ = repriced
    changed = [r for r in _rows(site, "part_price") if r["t_action"] == "changed"]
    assert len(changed) == 1
    row = changed[0]
    assert row["who"] == staff_name_of(manager) and row["t_record"] == part.pk
    assert row["t_before"] == "sale price 48.00 · cost 30.00" and row["t_after"] == "sale price 52.50 · cost 31.00"
    assert row["url"] == reverse("parts:part_detail", args=[part.pk]) and "OIL-01" in row["t_title"]


def test_a_labour_price_change_shows_on_every_sites_screen(site, other_site, manager, repriced):
    _, operation = repriced
    for shown_at in (site, other_site):  # the labour-time book is the group's
        row = next(r for r in _rows(shown_at, "labour_price") if r["t_action"] == "changed")
        assert row["who"] == staff_name_of(manager) and row["t_record"] == operation.pk and row["url"] == ""
        assert row["t_before"] == "flat-rate hours 0.50 · fixed price —"
        assert row["t_after"] == "flat-rate hours 0.60 · fixed price 120.00"


def test_other_changes_and_stock_moves_are_not_price_history(site, advisor, manager, repriced):
    part, _ = repriced
    part_update(part=part, data={"bin_location": "A-01-02"}, actor=manager)
    stock_receive(part=part, quantity=3, actor=advisor)
    assert part.history.count() == 3  # created, repriced, moved bin: the receipt wrote none
    assert [r["t_action"] for r in _rows(site, "part_price")] == ["changed", "created"]
    assert not _rows(site, "part_price", actor_id=advisor.pk)


def test_the_parts_of_another_site_stay_off_the_screen(site, other_site, manager, repriced):
    assert not _rows(other_site, "part_price")
    assert _rows(site, "part_price", record="OIL-01")


def test_an_edit_in_the_admin_is_attributed_to_its_user(client, site):
    it = User.objects.create_superuser("it", "it@example.com", "pw")
    client.force_login(it)
    operation = make_operation("BY009", hours="1.0")
    data = {"code": "BY009", "name": operation.name, "name_en": "", "category": "maintenance", "hours": "1.20",
            "skill": "general", "make": "", "model": "", "fixed_price": "", "active": "on"}
    response = client.post(reverse("admin:repair_orders_labouroperation_change", args=[operation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LabourOperation.history.first().history_user == it
    row = next(r for r in _rows(site, "labour_price") if r["t_action"] == "changed")
    assert row["t_actor"] == it.pk and "1.20" in row["t_after"]


def test_the_manager_reads_it_on_the_screen(client, site, manager, repriced):
    client.force_login(manager)
    body = client.get(reverse("audit:timeline"), {"kind": "part_price"}).content.decode()
    assert "sale price 48.00 · cost 30.00" in body and "sale price 52.50 · cost 31.00" in body
    assert staff_name_of(manager) in body and "OIL-01" in body
    body = client.get(reverse("audit:timeline")).content.decode()  # alongside every other record
    assert "flat-rate hours 0.60 · fixed price 120.00" in body


@pytest.mark.parametrize("role", sorted(set(ROLE_LABELS) - {SERVICE_MANAGER}))
def test_nobody_else_reads_the_price_history(client, site, role, repriced):
    client.force_login(make_staff(role=role, sites=[site], username=f"u_{role}"))
    assert client.get(reverse("audit:timeline"), {"kind": "part_price"}).status_code == 403


def staff_name_of(user) -> str:
    from servicedesk.accounts.names import staff_name

    return staff_name(user)


def test_part_history_keeps_no_stock_counters():
    fields = {f.name for f in Part.history.model._meta.fields}
    assert {"sale_price", "cost"} <= fields and not {"on_hand", "reserved", "updated_at"} & fields
