"""`manage.py seed_catalogue` (seed_demo runs it): the demo labour-time book, each site's parts catalogue with
its suppliers and opening stock, five service packages, and a few reservations, shortages and an adjustment
waiting for approval. Safe to re-run: what exists is left alone, and stock is booked only for a site whose
ledger is still empty. Catalogue rows are bulk-created; every stock change goes through parts.services so
the ledger agrees (`manage.py check_stock_ledger`)."""

import random
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from parts import services as parts_services
from parts.demo_parts import SUPPLIERS, demo_parts
from parts.models import Part, StockMovement, Supplier
from repair_orders import services
from repair_orders.demo_catalogue import PACKAGES, operation_rows
from repair_orders.models import LabourOperation, ServicePackage
from servicedesk.accounts.models import Site

# Of SH02's parts only every third is stocked: a smaller store.
STOCKED_SHARE = {"SH01": 1, "SH02": 3}
STOCK_FACTORS = [0, 0.5, 1, 1.5, 2, 2, 3, 3, 4]  # × the reorder point


class Command(BaseCommand):
    help = "Create the demo labour-time book, parts catalogues with stock, and service packages. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--sites", default="SH01,SH02", help="codes of the sites to stock (comma-separated)")

    def handle(self, *args, sites, **options):
        clerk, advisor = self._user("parts"), self._user("advisor")
        created = self._labour_book()
        self.stdout.write(f"Labour-time book: {created} operations created ({LabourOperation.objects.count()} in all).")
        for site in Site.objects.filter(code__in=sites.split(",")).order_by("code"):
            with transaction.atomic():
                suppliers = self._suppliers(site)
                parts, new_parts = self._parts(site, suppliers, clerk)
                new_packages = self._packages(site, parts, clerk)
                stocked = self._opening_stock(site, parts, clerk, advisor)
            self.stdout.write(f"{site.code}: {new_parts} parts and {new_packages} service packages created; "
                              + (f"opening stock booked for {stocked} parts." if stocked is not None
                                 else "stock left as it is."))

    def _user(self, username) -> User:
        user = User.objects.filter(username=username).first() or User.objects.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("No demo users yet: run `manage.py seed_demo`.")
        return user

    @staticmethod
    def _labour_book() -> int:
        have = set(LabourOperation.objects.values_list("code", "make", "model"))
        missing = [op for op in operation_rows() if (op.code, op.make, op.model) not in have]
        LabourOperation.objects.bulk_create(missing)
        return len(missing)

    @staticmethod
    def _suppliers(site) -> dict[str, Supplier]:
        return {key: Supplier.objects.get_or_create(site=site, name=name, defaults={
            "contact": contact, "phone": phone, "lead_days": lead_days})[0]
            for key, name, contact, phone, lead_days in SUPPLIERS}

    @staticmethod
    def _parts(site, suppliers, actor) -> tuple[dict[str, Part], int]:
        """The site's demo parts by key (created where missing) and how many were created."""
        rows = demo_parts()
        have = set(Part.objects.filter(site=site).values_list("number", flat=True))
        fields = ("number", "name", "name_en", "brand", "kind", "unit", "sale_price", "cost", "bin_location",
                  "reorder_point", "reorder_quantity")
        Part.objects.bulk_create([
            Part(site=site, supplier=suppliers[row["supplier"]], **{name: row[name] for name in fields})
            for row in rows if row["number"] not in have])
        by_number = {part.number: part for part in Part.objects.filter(site=site)}
        parts = {row["key"]: by_number[row["number"]] for row in rows}
        for row in rows:
            part = parts[row["key"]]
            if row["superseded_by"] and part.superseded_by_id is None:
                parts_services.part_supersede(part=part, superseded_by=parts[row["superseded_by"]], actor=actor)
        return parts, len(rows) - len(have & set(by_number))

    @staticmethod
    def _packages(site, parts, actor) -> int:
        have = set(ServicePackage.objects.filter(site=site).values_list("code", flat=True))
        generic = {op.code: op for op in LabourOperation.objects.filter(make="", model="")}
        created = 0
        for code, name, name_en, mileage, price, op_codes, lines in PACKAGES:
            if code in have:
                continue
            package = services.service_package_create(site=site, actor=actor, data={
                "code": code, "name": name, "name_en": name_en, "mileage_km": mileage,
                "fixed_price": Decimal(price) if price else None, "description": "适用车型：大众朗逸"})
            services.service_package_set_lines(package=package, operations=[generic[c] for c in op_codes],
                                               parts=[(parts[key], Decimal(qty)) for key, qty in lines], actor=actor)
            created += 1
        return created

    def _opening_stock(self, site, parts, clerk, advisor) -> int | None:
        """Receipts through the ledger, then a few reservations, shortages and a pending adjustment."""
        if StockMovement.objects.filter(site=site).exists():
            return None
        rng = random.Random(f"seed_catalogue-{site.code}")  # nosec B311 # seeded demo data
        share = STOCKED_SHARE.get(site.code, 2)
        stocked, empty = [], []
        for index, part in enumerate(parts.values()):
            quantity = self._opening_quantity(part, rng) if index % share == 0 else Decimal(0)
            if quantity:
                parts_services.stock_receive(part=part, quantity=quantity, actor=clerk, unit_cost=part.cost,
                                             reason="期初库存")
                stocked.append(part)
            elif part.reorder_point and not part.superseded_by_id:
                empty.append(part)
        self._workshop_demand(site, rng, stocked, empty, clerk, advisor)
        return len(stocked)

    @staticmethod
    def _opening_quantity(part: Part, rng: random.Random) -> Decimal:
        if part.superseded_by_id:
            return Decimal(3)  # the old number's last few pieces
        quantity = part.reorder_point * Decimal(str(rng.choice(STOCK_FACTORS)))
        return quantity.to_integral_value(ROUND_CEILING) if part.counted_in_whole_units else quantity

    @staticmethod
    def _workshop_demand(site, rng, stocked, empty, clerk, advisor) -> None:
        year, today = timezone.localdate().year, timezone.localdate()
        ro_numbers = iter(f"{site.code}-{year}-{n:06d}" for n in range(101, 200))
        for part in rng.sample([p for p in stocked if p.on_hand >= 2], k=min(6, len(stocked))):
            parts_services.parts_reserve(part=part, quantity=1 if part.counted_in_whole_units else Decimal("1.5"),
                                         repair_order_ref=next(ro_numbers), actor=clerk)
        for part in rng.sample(empty, k=min(5, len(empty))):
            lead = part.supplier.lead_days if part.supplier else 3
            parts_services.shortage_record(part=part, quantity=rng.choice([1, 2, 4]), actor=advisor,
                                           repair_order_ref=next(ro_numbers), expected_on=today + timedelta(days=lead),
                                           note="客户等件")
        counted = next((p for p in stocked if p.counted_in_whole_units and p.available >= 2), None)
        if counted is not None:
            parts_services.adjustment_request(part=counted, quantity=-1, reason="月度盘点：实盘比账面少1件",
                                              actor=clerk)
