"""Catalogue rows for the repair-order tests: operations, parts and packages built directly."""

from decimal import Decimal

import pytest

from parts.models import Part
from repair_orders.models import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart


def make_operation(code="BY001", *, name="更换机油机滤", hours="0.5", category="maintenance", **extra):
    return LabourOperation.objects.create(code=code, name=name, hours=Decimal(hours), category=category, **extra)


def make_part(site, number="P-001", *, name="机油滤清器", sale_price="48.00", **extra):
    return Part.objects.create(site=site, number=number, name=name, sale_price=Decimal(sale_price), **extra)


def make_package(site, code="PK5000", *, operations=(), parts=(), **extra):
    package = ServicePackage.objects.create(site=site, code=code, name=extra.pop("name", "5000公里保养"), **extra)
    for operation in operations:
        ServicePackageOperation.objects.create(package=package, operation=operation)
    for part, quantity in parts:
        ServicePackagePart.objects.create(package=package, part=part, quantity=Decimal(quantity))
    return package


@pytest.fixture
def oil_service(site):
    """An oil-change package: two operations, oil by the litre, a filter, and an exempt part."""
    oil_change = make_operation("BY001", name="更换机油机滤", hours="0.5")
    inspection = make_operation("BY010", name="常规检查", hours="0.3")
    oil = make_part(site, "OIL-5W30", name="机油 5W-30", sale_price="88.00", unit=Part.Unit.LITRE)
    filter_ = make_part(site, "F-OIL", name="机油滤清器", sale_price="48.00")
    return make_package(site, operations=[oil_change, inspection], parts=[(oil, "4.5"), (filter_, "1")])
