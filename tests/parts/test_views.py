"""The parts counter's screens: what they show, what they book through the services, and their query counts."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from parts import services
from parts.models import PurchaseRequest, Shortage, StockAdjustment
from servicedesk.accounts.models import Membership
from servicedesk.core.models import Notification

from .factories import PartFactory, SupplierFactory, stocked_part

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    """`client` as `user`, reading English (the zh-hans catalogue is the lead's to fill)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def row_cells(html: str, row_id: str) -> list[str]:
    """The text of each cell of the table row with this id."""
    row = html[html.index(f'id="{row_id}"'):]
    row = row[:row.index("</tr>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in row.split("</td>")[:-1]]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- catalogue

def test_catalogue_lists_stock_figures_and_finds_by_old_number(client, site, clerk):
    new = stocked_part(site, clerk, quantity="5", number="06L115562A", name="机油滤清器", sale_price=Decimal("88.00"))
    old = PartFactory(site=site, number="06L115562", name="机油滤清器(旧)")
    services.part_supersede(part=old, superseded_by=new, actor=clerk)
    services.parts_reserve(part=new, quantity="2", repair_order_ref="RO1", actor=clerk)
    client = signed_in(client, clerk)

    html = client.get(reverse("parts:part_list"), {"q": "06L-115 562"}).content.decode()
    assert row_cells(html, f"part-{new.pk}")[5:] == ["5", "2", "3", "¥88.00"]  # on hand, reserved, available, price
    assert "replaced by 06L115562A" in " ".join(row_cells(html, f"part-{old.pk}"))

    rows = client.get(reverse("parts:part_list"), {"q": "115562", "kind": "oem"}, HTTP_HX_REQUEST="true")
    assert [t.name for t in rows.templates][0] == "parts/_part_rows.html"
    assert client.get(reverse("parts:part_list"), {"kind": "accessory"}).context["page"].paginator.count == 0


@pytest.mark.parametrize("rows", [5, 30])
def test_catalogue_query_count_is_constant(client, site, clerk, django_assert_num_queries, rows):
    replacement = PartFactory(site=site, name="刹车片(新)")
    for i in range(rows):
        PartFactory(site=site, name=f"刹车片{i}", superseded_by=replacement if i % 2 else None)
    client = signed_in(client, clerk)
    client.get(reverse("parts:part_list"))  # warm the session
    # session, user, replacements of matching old numbers, count for the paginator, parts with supplier and
    # replacement (the user's permissions, roles and sites are cached: servicedesk/accounts/access.py)
    with django_assert_num_queries(5):
        response = client.get(reverse("parts:part_list"), {"q": "刹车片"})
    assert len(response.context["page"].object_list) == min(rows + 1, 25)


def test_part_page_shows_ledger_reservations_and_other_sites(client, site, other_site, manager):
    Membership.objects.create(profile=manager.profile, site=other_site)
    part = stocked_part(site, manager, quantity="4", number="5Q0698151")
    stocked_part(other_site, manager, quantity="7", number="5Q0698151")
    services.parts_reserve(part=part, quantity="1", repair_order_ref="RO20250001", actor=manager)
    services.adjustment_request(part=part, quantity="-1", reason="盘点少一件", actor=manager)
    client = signed_in(client, manager)

    response = client.get(reverse("parts:part_detail", args=[part.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="on-hand">3<' in html and 'id="available">2<' in html
    assert "RO20250001" in html and "盘点少一件" in html and "approved by 李经理" in html
    assert [row["on_hand"] for row in response.context["availability"]] == [Decimal("7")]
    assert [m.kind for m in response.context["movements"]] == ["adjustment", "receipt"]  # newest first
    assert reverse("parts:part_adjust", args=[part.pk]) in html


def test_part_page_offers_only_the_permitted_actions(client, site, clerk, technician):
    part = stocked_part(site, clerk, quantity="1")
    html = signed_in(client, technician).get(reverse("parts:part_detail", args=[part.pk])).content.decode()
    assert 'id="adjust-button"' not in html and 'id="ledger"' not in html
    assert reverse("parts:receive") not in html


# ---------------------------------------------------------------- receiving

def test_receiving_closes_a_shortage_and_tells_the_advisor(client, site, clerk, advisor):
    supplier = SupplierFactory(site=site, name="上汽大众配件")
    part = PartFactory(site=site, number="1K0615301AA", name="前刹车盘")
    other = PartFactory(site=site, number="N10624701", unit="litre")
    services.shortage_record(part=part, quantity="2", actor=advisor, repair_order_ref="RO20250007")
    client = signed_in(client, clerk)

    response = client.post(reverse("parts:receive"), {
        "supplier": supplier.pk, "delivery_note": "DN-8812",
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
        "lines-0-part_number": "1k0615301aa", "lines-0-quantity": "2", "lines-0-unit_cost": "150.00",
        "lines-1-part_number": "N10624701", "lines-1-quantity": "4.5",
        "lines-2-part_number": "", "lines-2-quantity": "",
    }, follow=True)
    said = messages_of(response)
    assert said[0] == "Delivery received: 2 lines booked."
    assert "1K0615301AA × 2 (RO20250007)" in said[1]
    part.refresh_from_db()
    other.refresh_from_db()
    assert (part.on_hand, other.on_hand) == (Decimal("2"), Decimal("4.5"))
    assert Shortage.objects.get().status == Shortage.Status.RECEIVED
    note = Notification.objects.get(recipient=advisor)
    assert "RO20250007" in note.text and note.url == reverse("parts:part_detail", args=[part.pk])


def test_receiving_shows_each_bad_line_on_its_field(client, site, clerk):
    PartFactory(site=site, number="WHT003858")
    response = signed_in(client, clerk).post(reverse("parts:receive"), {
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
        "lines-0-part_number": "WHT003858", "lines-0-quantity": "1.5",
        "lines-1-part_number": "NOPE", "lines-1-quantity": "1",
    })
    lines = response.context["lines"]
    assert "whole number" in lines.forms[0].errors["quantity"][0]
    assert lines.forms[1].errors["part_number"] == ["No part NOPE in this site's catalogue."]
    empty = signed_in(client, clerk).post(reverse("parts:receive"), {"lines-TOTAL_FORMS": "1",
                                                                      "lines-INITIAL_FORMS": "0"})
    assert "at least one line" in empty.context["lines"].non_form_errors()[0]


def test_receiving_starts_from_a_purchase_request(client, site, clerk):
    supplier = SupplierFactory(site=site)
    part = PartFactory(site=site, supplier=supplier)
    services.shortage_record(part=part, quantity="3", actor=clerk)
    [pr] = services.purchase_requests_from_shortages(site=site, actor=clerk)
    response = signed_in(client, clerk).get(reverse("parts:receive"), {"purchase_request": pr.pk})
    assert response.context["lines"].initial == [{"part_number": part.number, "quantity": Decimal("3.00")}]
    assert response.context["form"].initial["purchase_request"] == pr


# ---------------------------------------------------------------- shortages

@pytest.mark.parametrize("rows", [5, 30])
def test_shortage_list_query_count_is_constant(client, site, clerk, advisor, django_assert_num_queries, rows):
    for i in range(rows):
        services.shortage_record(part=PartFactory(site=site), quantity="1", actor=advisor if i % 2 else clerk,
                                 repair_order_ref=f"RO{i}")
    client = signed_in(client, clerk)
    client.get(reverse("parts:shortage_list"))
    # session, user, count, shortages with part, requester (and profile) and purchase request (access cached)
    with django_assert_num_queries(4):
        response = client.get(reverse("parts:shortage_list"), {"status": "open"})
    assert len(response.context["page"].object_list) == min(rows, 25)
    assert "王顾问" in response.content.decode()


def test_shortage_record_cancel_and_order(client, site, clerk):
    supplier = SupplierFactory(site=site, lead_days=3)
    part = PartFactory(site=site, number="L1K0698151", supplier=supplier)
    client = signed_in(client, clerk)
    response = client.post(reverse("parts:shortage_create"), {"part_number": "L1K0698151", "quantity": "2",
                                                               "repair_order_ref": "RO9"}, follow=True)
    assert messages_of(response) == [f"Shortage of {part} recorded."]
    first = Shortage.objects.get()

    refused = client.post(reverse("parts:shortage_cancel", args=[first.pk]), {"reason": ""}, follow=True)
    assert messages_of(refused) == ["Say why the shortage is cancelled."]
    cancelled = client.post(reverse("parts:shortage_cancel", args=[first.pk]), {"reason": "客户不修了"}, follow=True)
    assert messages_of(cancelled) == [f"Shortage of {part} cancelled."]
    first.refresh_from_db()
    assert first.status == Shortage.Status.CANCELLED

    services.shortage_record(part=part, quantity="1", actor=clerk)
    ordered = client.post(reverse("parts:purchase_requests_create"), follow=True)
    pr = PurchaseRequest.objects.get()
    assert messages_of(ordered) == [f"Purchase request {pr.number} created for the open shortages."]
    nothing = client.post(reverse("parts:purchase_requests_create"), follow=True)
    assert messages_of(nothing) == ["There are no open shortages to order."]
    assert client.get(reverse("parts:shortage_list"), {"status": "ordered"}).context["page"].paginator.count == 1


def test_advisor_reads_shortages_but_cannot_change_them(client, site, advisor):
    shortage = services.shortage_record(part=PartFactory(site=site), quantity="1", actor=advisor)
    client = signed_in(client, advisor)
    html = client.get(reverse("parts:shortage_list")).content.decode()
    assert "order-shortages" not in html and f"cancel-{shortage.pk}" not in html
    assert client.post(reverse("parts:shortage_cancel", args=[shortage.pk]), {"reason": "x"}).status_code == 403


# ---------------------------------------------------------------- adjustments and reorder

def test_clerk_asks_and_manager_approves_an_adjustment(client, site, clerk, manager):
    part = stocked_part(site, clerk, quantity="5")
    client = signed_in(client, clerk)
    no_reason = client.post(reverse("parts:part_adjust", args=[part.pk]), {"quantity": "-1", "reason": " "})
    assert "Say why" in no_reason.context["form"].errors["reason"][0]
    asked = client.post(reverse("parts:part_adjust", args=[part.pk]), {"quantity": "-1", "reason": "破损"},
                        follow=True)
    assert messages_of(asked) == ["Adjustment sent to the service manager for approval."]
    assert client.get(reverse("parts:adjustment_list")).status_code == 403

    client = signed_in(client, manager)
    pending = client.get(reverse("parts:adjustment_list"))
    [adjustment] = pending.context["page"].object_list
    assert "破损" in pending.content.decode()
    decided = client.post(reverse("parts:adjustment_decide", args=[adjustment.pk]), {"decision": "approve"},
                          follow=True)
    assert messages_of(decided) == [f"Adjustment of {part.number} approved and booked."]
    part.refresh_from_db()
    assert part.on_hand == 4
    again = client.post(reverse("parts:adjustment_decide", args=[adjustment.pk]), {"decision": "reject"},
                        HTTP_REFERER="/parts/adjustments/", follow=True)
    assert messages_of(again) == ["This adjustment was already decided."]


def test_manager_adjustment_is_booked_at_once_and_rejection_books_nothing(client, site, clerk, manager):
    part = stocked_part(site, clerk, quantity="2")
    response = signed_in(client, manager).post(reverse("parts:part_adjust", args=[part.pk]),
                                               {"quantity": "3", "reason": "盘盈"}, follow=True)
    assert messages_of(response) == [f"Stock adjusted; {part.number} now has 5 on hand."]
    pending = services.adjustment_request(part=part, quantity="-5", reason="丢失", actor=clerk)
    client.post(reverse("parts:adjustment_decide", args=[pending.pk]), {"decision": "reject"})
    pending.refresh_from_db()
    part.refresh_from_db()
    assert pending.status == StockAdjustment.Status.REJECTED and part.on_hand == 5


def test_reorder_list_suggests_a_quantity(client, site, clerk):
    low = stocked_part(site, clerk, quantity="1", number="A1", reorder_point=Decimal("4"),
                       reorder_quantity=Decimal("2"))
    stocked_part(site, clerk, quantity="9", number="A2", reorder_point=Decimal("4"), reorder_quantity=Decimal("2"))
    response = signed_in(client, clerk).get(reverse("parts:reorder_list"))
    [row] = response.context["page"].object_list
    assert row == low and row.suggested == Decimal("3")  # 1 on hand + 0 on order: 3 short of the point
