"""Prices of labour lines, part lines and service packages (DESIGN.md §4 "Pricing").

A labour line costs the operation's fixed price when it has one, else its flat-rate hours × the site's
labour rate. A part line costs the part's sale price × quantity. A package costs its fixed price when
set, else the sum of its lines. Amounts are on the site's price basis: VAT-inclusive when
`site.prices_include_vat` (the default, 13%), otherwise VAT comes on top; either way each result
carries its net, VAT and gross figures. VAT-exempt parts carry no VAT.

Estimates call these; everything is computed from rows already loaded, so pricing a package whose
lines were prefetched (selectors.package_list / package_detail) runs no query at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects

from parts.models import Part
from servicedesk.core.money import add_vat, money, split_gross

from .models import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Amounts:
    """An amount split into net, VAT and gross (net + vat == gross)."""

    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class PriceLine:
    kind: str  # "labour" or "part"
    code: str  # operation code or part number
    name: str
    quantity: Decimal  # hours for labour, units for parts
    unit_price: Decimal  # the labour rate (None for a fixed-price operation) or the part's sale price
    amount: Decimal  # on the site's price basis
    taxable: bool
    operation: LabourOperation | None = None
    part: Part | None = None

    @property
    def is_fixed_price(self) -> bool:
        return self.kind == "labour" and self.unit_price is None


@dataclass(frozen=True)
class PackagePrice:
    package: ServicePackage
    labour_lines: list[PriceLine]
    part_lines: list[PriceLine]
    labour_total: Decimal
    parts_total: Decimal
    subtotal: Decimal  # the sum of the lines
    total: Decimal  # the package price when fixed, else the subtotal
    amounts: Amounts  # the total as net / VAT / gross
    vat_rate: Decimal
    prices_include_vat: bool

    @property
    def lines(self) -> list[PriceLine]:
        return [*self.labour_lines, *self.part_lines]

    @property
    def is_fixed_price(self) -> bool:
        return self.package.fixed_price is not None

    @property
    def saving(self) -> Decimal:
        """What the fixed package price saves against its lines (negative when it costs more)."""
        return self.subtotal - self.total

    @property
    def vat(self) -> Decimal:
        return self.amounts.vat


def labour_line_price(*, operation: LabourOperation, site, hours: Decimal | None = None) -> Decimal:
    """The operation's fixed price if it has one, else hours (default: its flat-rate hours) × labour rate."""
    if operation.fixed_price is not None:
        return money(operation.fixed_price)
    hours = operation.hours if hours is None else Decimal(hours)
    return money(hours * site.labour_rate)


def part_line_price(*, part: Part, quantity: Decimal) -> Decimal:
    return money(part.sale_price * Decimal(quantity))


def vat_amounts(*, amount: Decimal, site, taxable: bool = True) -> Amounts:
    """Split `amount` (on the site's price basis) into net, VAT and gross."""
    amount = money(amount)
    rate = site.vat_rate if taxable else Decimal(0)
    if site.prices_include_vat:
        net, vat = split_gross(amount, rate)
        return Amounts(net=net, vat=vat, gross=amount)
    vat, gross = add_vat(amount, rate)
    return Amounts(net=amount, vat=vat, gross=gross)


def labour_line(*, operation: LabourOperation, site, hours: Decimal | None = None) -> PriceLine:
    fixed = operation.fixed_price is not None
    return PriceLine(
        kind="labour", code=operation.code, name=operation.name,
        quantity=operation.hours if hours is None else Decimal(hours),
        unit_price=None if fixed else site.labour_rate,
        amount=labour_line_price(operation=operation, site=site, hours=hours),
        taxable=True, operation=operation,
    )


def part_line(*, part: Part, quantity: Decimal) -> PriceLine:
    return PriceLine(
        kind="part", code=part.number, name=part.name, quantity=Decimal(quantity), unit_price=part.sale_price,
        amount=part_line_price(part=part, quantity=quantity),
        taxable=part.vat_class != Part.VatClass.EXEMPT, part=part,
    )


def package_lines_prefetch() -> list[Prefetch]:
    """The prefetches package_price needs; selectors use them so a list of packages prices in O(1) queries."""
    return [
        Prefetch("operations", queryset=ServicePackageOperation.objects.select_related("operation")),
        Prefetch("parts", queryset=ServicePackagePart.objects.select_related("part")),
    ]


def package_price(*, package: ServicePackage, site, make: str = "", model: str = "") -> PackagePrice:
    """The price of `package` at `site`. With a vehicle's make/model, each operation that has a variant
    for that vehicle (same code) is priced as the variant (one more query)."""
    prefetch_related_objects([package], *package_lines_prefetch())  # no query when already prefetched
    operations = [line.operation for line in package.operations.all()]
    if make or model:
        operations = _vehicle_variants(operations, make=make, model=model)
    labour_lines = [labour_line(operation=operation, site=site) for operation in operations]
    part_lines = [part_line(part=line.part, quantity=line.quantity) for line in package.parts.all()]
    labour_total, parts_total = _sum(labour_lines), _sum(part_lines)
    subtotal = labour_total + parts_total
    total = subtotal if package.fixed_price is None else money(package.fixed_price)
    return PackagePrice(
        package=package, labour_lines=labour_lines, part_lines=part_lines, labour_total=labour_total,
        parts_total=parts_total, subtotal=subtotal, total=total,
        amounts=_total_amounts(labour_lines + part_lines, subtotal=subtotal, total=total, site=site),
        vat_rate=site.vat_rate, prices_include_vat=site.prices_include_vat,
    )


def _sum(lines: Iterable[PriceLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def _total_amounts(lines: list[PriceLine], *, subtotal: Decimal, total: Decimal, site) -> Amounts:
    """VAT of the total; a fixed price keeps the exempt share its lines have."""
    exempt = _sum(line for line in lines if not line.taxable)
    if exempt and subtotal and total != subtotal:
        exempt = money(total * exempt / subtotal)
    taxable = vat_amounts(amount=total - exempt, site=site)
    untaxed = vat_amounts(amount=exempt, site=site, taxable=False)
    return Amounts(net=taxable.net + untaxed.net, vat=taxable.vat, gross=taxable.gross + untaxed.gross)


def _vehicle_variants(operations: list[LabourOperation], *, make: str, model: str) -> list[LabourOperation]:
    from .selectors import operations_for_vehicle

    codes = {operation.code for operation in operations}
    best = {operation.code: operation for operation in operations_for_vehicle(make=make, model=model, codes=codes)}
    return [best.get(operation.code, operation) for operation in operations]
