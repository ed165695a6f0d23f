"""Pricing of labour lines and service packages (DESIGN.md §4), and which operations apply to a vehicle."""

from decimal import Decimal

import pytest

from parts.models import Part
from repair_orders import pricing, selectors
from repair_orders.models import LabourOperation

from .conftest import make_operation, make_package, make_part

pytestmark = pytest.mark.django_db


def test_labour_line_is_hours_times_the_sites_rate_rounded_half_up(site):
    site.labour_rate = Decimal("285.00")
    operation = make_operation(hours="0.3")
    assert pricing.labour_line_price(operation=operation, site=site) == Decimal("85.50")
    # 0.33 h × 285 = 94.05; 0.017 h × 285 = 4.845 → 4.85 (half-up, not banker's)
    assert pricing.labour_line_price(operation=operation, site=site, hours=Decimal("0.33")) == Decimal("94.05")
    assert pricing.labour_line_price(operation=operation, site=site, hours=Decimal("0.017")) == Decimal("4.85")


def test_a_fixed_price_overrides_hours_and_rate(site):
    operation = make_operation(hours="2.0", fixed_price=Decimal("199.00"))
    assert pricing.labour_line_price(operation=operation, site=site) == Decimal("199.00")
    assert pricing.labour_line_price(operation=operation, site=site, hours=5) == Decimal("199.00")
    assert pricing.labour_line(operation=operation, site=site).is_fixed_price


def test_package_price_sums_labour_and_parts_with_vat_inside(site, oil_service):
    price = pricing.package_price(package=oil_service, site=site)  # site: 300/h, prices include 13% VAT
    assert [line.amount for line in price.labour_lines] == [Decimal("150.00"), Decimal("90.00")]
    assert [(line.code, line.quantity, line.amount) for line in price.part_lines] == [
        ("OIL-5W30", Decimal("4.50"), Decimal("396.00")), ("F-OIL", Decimal("1.00"), Decimal("48.00"))]
    assert (price.labour_total, price.parts_total, price.subtotal, price.total) == (
        Decimal("240.00"), Decimal("444.00"), Decimal("684.00"), Decimal("684.00"))
    # 684 / 1.13 = 605.31; VAT 78.69
    assert price.amounts == pricing.Amounts(net=Decimal("605.31"), vat=Decimal("78.69"), gross=Decimal("684.00"))
    assert price.vat == Decimal("78.69") and not price.is_fixed_price and price.saving == 0


def test_a_fixed_package_price_is_the_total(site, oil_service):
    oil_service.fixed_price = Decimal("599.00")
    price = pricing.package_price(package=oil_service, site=site)
    assert (price.subtotal, price.total, price.saving) == (Decimal("684.00"), Decimal("599.00"), Decimal("85.00"))
    assert price.amounts.gross == Decimal("599.00") and price.amounts.net + price.amounts.vat == Decimal("599.00")


def test_vat_on_top_when_the_site_prices_without_vat(site, oil_service):
    site.prices_include_vat = False
    price = pricing.package_price(package=oil_service, site=site)
    assert price.amounts == pricing.Amounts(net=Decimal("684.00"), vat=Decimal("88.92"), gross=Decimal("772.92"))


def test_exempt_parts_carry_no_vat(site):
    exempt = make_part(site, "X-1", sale_price="113.00", vat_class=Part.VatClass.EXEMPT)
    package = make_package(site, operations=[make_operation(hours="1")], parts=[(exempt, "1")])
    price = pricing.package_price(package=package, site=site)
    # labour 300 incl. VAT → 265.49 + 34.51; the exempt part 113 has none
    assert price.amounts == pricing.Amounts(net=Decimal("378.49"), vat=Decimal("34.51"), gross=Decimal("413.00"))
    package.fixed_price = Decimal("206.50")  # half the lines' 413: the exempt share is half of 113
    price = pricing.package_price(package=package, site=site)
    # exempt 56.50; taxable 150.00 → 132.74 + 17.26
    assert price.amounts == pricing.Amounts(net=Decimal("189.24"), vat=Decimal("17.26"), gross=Decimal("206.50"))


def test_package_price_uses_the_vehicles_variant_of_an_operation(site):
    generic = make_operation("JX010", name="更换前刹车片", hours="1.0")
    make_operation("JX010", name="更换前刹车片(帕萨特)", hours="1.2", make="大众", model="帕萨特")
    package = make_package(site, operations=[generic])
    assert pricing.package_price(package=package, site=site).labour_total == Decimal("300.00")
    passat = pricing.package_price(package=package, site=site, make="大众", model="帕萨特")
    assert passat.labour_total == Decimal("360.00") and passat.labour_lines[0].name.endswith("(帕萨特)")


def test_pricing_a_package_list_runs_a_constant_number_of_queries(site, django_assert_num_queries):
    for n in range(5):
        part = make_part(site, f"P{n}")
        make_package(site, f"PK{n}", operations=[make_operation(f"OP{n}")], parts=[(part, "2")])
    # 1 packages, 2 their operations with the operation, 3 their parts with the part
    with django_assert_num_queries(3):
        prices = [pricing.package_price(package=p, site=site) for p in selectors.package_list(site=site)]
    assert len(prices) == 5 and all(p.total == Decimal("246.00") for p in prices)


def test_package_detail_is_scoped_to_the_site(site, other_site, django_assert_num_queries):
    from django.http import Http404

    package = make_package(site)
    with pytest.raises(Http404):
        selectors.package_detail(site=other_site, pk=package.pk)
    with django_assert_num_queries(3):
        pricing.package_price(package=selectors.package_detail(site=site, pk=package.pk), site=site)
    fresh = type(package).objects.get(pk=package.pk)
    with django_assert_num_queries(2):  # not prefetched: the package_price fetches its two kinds of lines
        pricing.package_price(package=fresh, site=site)


def test_operations_for_vehicle_prefer_the_most_specific_variant(django_assert_num_queries):
    make_operation("BY001", name="换机油 通用")
    make_operation("BY001", name="换机油 大众", make="大众")
    make_operation("BY001", name="换机油 朗逸", make="大众", model="朗逸")
    make_operation("BY002", name="换空滤", hours="0.3")
    make_operation("BY003", name="奔驰专用", make="奔驰")
    make_operation("BY004", name="停用", active=False)
    with django_assert_num_queries(1):
        names = lambda **v: [o.name for o in selectors.operations_for_vehicle(**v)]  # noqa: E731
        assert names(make="大众", model="朗逸") == ["换机油 朗逸", "换空滤"]
    assert names(make="大众", model="帕萨特") == ["换机油 大众", "换空滤"]
    assert names(make="丰田", model="凯美瑞") == ["换机油 通用", "换空滤"]
    assert names(make="奔驰", model="C级") == ["换机油 通用", "换空滤", "奔驰专用"]
    assert names() == ["换机油 通用", "换空滤"]
    assert names(make="大众", model="朗逸", q="空滤") == ["换空滤"]
    assert [o.code for o in selectors.operations_for_vehicle(make="大众", active_only=False)] == [
        "BY001", "BY002", "BY004"]
    assert LabourOperation.objects.count() == 6
