"""What every site shares or stocks: the labour-time book and the survey questions (the demo's own seeds),
suppliers and the parts catalogue (50,000 at full scale; the parts benchmark's generator). Parts are written
with no stock; the history's ledger sets on_hand at the end (stock.py)."""

import random
from dataclasses import dataclass

from followups.models import Question
from followups.survey_defaults import seed_questions
from parts.models import Part, Supplier
from repair_orders.demo_catalogue import operation_rows
from repair_orders.models import LabourOperation

from .clock import Clock

SUPPLIERS = ["上汽大众配件中心", "博世汽车配件", "华东汽配物流", "原厂配件直供", "本地快修件"]


@dataclass
class Operation:
    pk: int
    code: str
    name: str
    category: str
    hours: float


def labour_book() -> dict[str, list[Operation]]:
    """The generic operations by category (created where missing)."""
    have = set(LabourOperation.objects.values_list("code", "make", "model"))
    LabourOperation.objects.bulk_create([op for op in operation_rows() if (op.code, op.make, op.model) not in have])
    by_category: dict[str, list[Operation]] = {}
    for op in LabourOperation.objects.filter(make="", model="", active=True).order_by("code"):
        by_category.setdefault(op.category, []).append(
            Operation(op.pk, op.code, op.name, op.category, float(op.hours)))
    return by_category


def questions() -> list[tuple[int, str, str, str]]:
    """(id, code, department, kind) of the active survey questions, in the order they are asked."""
    seed_questions()
    return list(Question.objects.filter(active=True).order_by("position", "pk")
                .values_list("pk", "code", "department", "kind"))


@dataclass
class Stock:
    """A site's parts in memory: ids, prices, and the running balance the ledger keeps."""

    ids: list[int]
    numbers: list[str]
    names: list[str]
    brands: list[str]
    prices: list[int]  # sale price, in fen
    costs: list[str]
    balance: list[int]
    reorder: list[int]


def parts(loader, table, site, count: int, rng: random.Random, clock: Clock) -> Stock:
    from bench.parts_bench import part_fields  # the parts benchmark's makers' numbers, names and brands

    suppliers = [Supplier.objects.get_or_create(site=site, name=name, defaults={"lead_days": 1 + n % 3})[0].pk
                 for n, name in enumerate(SUPPLIERS)]
    stock = Stock([], [], [], [], [], [], [], [])
    created = clock.ts(0)
    for serial in range(count):
        f = part_fields(rng, serial)
        reorder = rng.choice((2, 4, 5, 10, 20))
        pk = table.add(site.pk, f["number"], f["name"], f["name_en"], f["brand"], f["kind"], f["sale_price"],
                       f["cost"], f["bin_location"], reorder, reorder * 2, rng.choice(suppliers), created, created)
        stock.ids.append(pk)
        stock.numbers.append(f["number"])
        stock.names.append(f["name"])
        stock.brands.append(f["brand"][:40])
        stock.prices.append(int(f["sale_price"]) * 100)
        stock.costs.append(f"{f['cost']}.00")
        stock.balance.append(0)
        stock.reorder.append(reorder)
    return stock


PART_COLUMNS = ["site_id", "number", "name", "name_en", "brand", "kind", "sale_price", "cost", "bin_location",
                "reorder_point", "reorder_quantity", "supplier_id", "created_at", "updated_at"]
PART_MODEL = Part
