"""Repair orders for the tests: opened, walked around and estimated through the services."""

from io import BytesIO

import pytest
from PIL import Image, ImageDraw

from parts.services import stock_receive
from repair_orders.models import LabourOperation
from repair_orders.services import (
    job_add_from_operation,
    part_line_add,
    repair_order_open,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from tests.factories import VehicleFactory

from .conftest import make_operation, make_part


def signature_png(*, blank: bool = False) -> bytes:
    """What signature_pad posts: a transparent PNG with (or without) a stroke."""
    picture = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(picture).line([(20, 60), (120, 30), (260, 70)], fill=(0, 0, 0, 255), width=3)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def open_ro(site, advisor, **extra):
    vehicle = extra.pop("vehicle", None) or VehicleFactory(owner__site=site, mileage=10000)
    return repair_order_open(site=site, customer=vehicle.owner, vehicle=vehicle, advisor=advisor, actor=advisor,
                             **extra)


def estimated_ro(site, advisor, *, operations=("BY001",)):
    """An RO with its mileage recorded and one job per operation code, ready to submit."""
    repair_order = open_ro(site, advisor)
    repair_order = repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 12000},
                                                  version=repair_order.version, actor=advisor)
    for code in operations:
        operation = LabourOperation.objects.filter(code=code).first() or make_operation(code)
        job_add_from_operation(repair_order=repair_order, operation=operation, actor=advisor)
    repair_order.refresh_from_db()
    return repair_order


def submitted_with_part(site, advisor, *, in_stock, quantity):
    """An estimate awaiting approval: one job needing `quantity` of a part the store has `in_stock` of."""
    repair_order = estimated_ro(site, advisor)
    job = repair_order.jobs.get()
    part = make_part(site)
    stock_receive(part=part, quantity=in_stock, actor=advisor)
    part_line_add(job_line=job, part=part, quantity=quantity, actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    return repair_order, job, part


@pytest.fixture(name="repair_order")
def repair_order_fixture(site, advisor):
    return open_ro(site, advisor)
