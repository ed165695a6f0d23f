"""seed_demo's catalogues: the labour-time book, parts with stock booked through the ledger, five packages;
a second run creates nothing, and the ledger check passes."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from parts.models import Part, Reservation, Shortage, StockAdjustment, StockMovement, Supplier
from repair_orders import pricing
from repair_orders.models import LabourOperation, ServicePackage
from servicedesk.accounts.models import Site

pytestmark = pytest.mark.django_db

MODELS = (LabourOperation, ServicePackage, Part, Supplier, StockMovement, Reservation, Shortage, StockAdjustment)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_builds_the_catalogues_once(db):
    call_command("seed_demo", customers=2, vehicles=2, stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", customers=2, vehicles=2, stdout=io.StringIO())
    assert _counts() == first
    call_command("check_stock_ledger", stdout=io.StringIO())  # raises CommandError on any disagreement

    assert first["LabourOperation"] >= 150 and first["Supplier"] == 8 and first["ServicePackage"] == 10
    categories = Counter(LabourOperation.objects.values_list("category", flat=True))
    assert set(categories) == set(LabourOperation.Category.values) and min(categories.values()) >= 10
    assert LabourOperation.objects.exclude(make="").count() >= 5
    sh01 = Site.objects.get(code="SH01")
    parts = Part.objects.filter(site=sh01)
    assert parts.count() >= 280 and set(parts.values_list("kind", flat=True)) == set(Part.Kind.values)
    assert parts.filter(unit=Part.Unit.LITRE, brand="壳牌").exists()
    assert parts.filter(superseded_by__isnull=False).count() == 2
    assert Reservation.objects.filter(site=sh01, status="held").exists()
    assert Shortage.objects.filter(site=sh01, status="open").exists()
    assert StockAdjustment.objects.filter(site=sh01, status="pending").count() == 1

    packages = {p.code: p for p in ServicePackage.objects.filter(site=sh01)}
    assert set(packages) == {"PK5000", "PK10000", "PK20000", "PK40000", "PKAC"}
    forty = pricing.package_price(package=packages["PK40000"], site=sh01)
    assert {line.code for line in forty.labour_lines} >= {"BY005", "BY007"}  # spark plugs and brake fluid
    assert forty.total == forty.subtotal > 0
    assert pricing.package_price(package=packages["PKAC"], site=sh01).total == 298
