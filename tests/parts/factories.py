"""Parts test data: suppliers and catalogue parts (stock is booked through the services, never set)."""

from decimal import Decimal

import factory

from parts.models import Part, Supplier
from parts.services import stock_receive
from servicedesk.accounts.roles import PARTS_CLERK
from tests.factories import SiteFactory, make_staff


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"供应商{n}")
    lead_days = 2


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    site = factory.SubFactory(SiteFactory)
    number = factory.Sequence(lambda n: f"P{n:06d}")
    name = factory.Sequence(lambda n: f"配件{n}")
    brand = "博世"
    unit = Part.Unit.PIECE
    sale_price = Decimal("100.00")
    cost = Decimal("60.00")


def make_clerk(site, username: str = "clerk"):
    return make_staff(role=PARTS_CLERK, sites=[site], username=username, display_name="赵库管")


def stocked_part(site, actor, quantity="5", **fields) -> Part:
    """A part with `quantity` received through the ledger."""
    part = PartFactory(site=site, **fields)
    if Decimal(quantity):
        stock_receive(part=part, quantity=quantity, actor=actor)
    return part
