"""The stock ledger of one site: an opening receipt per part, then an issue per parts line (picked when the RO is
approved) and a receipt whenever the shelf runs short, with balance_after kept in id order, so the parts
benchmark's ledger check (on_hand = sum = last balance) holds when the parts' on_hand is set at the end."""

from dataclasses import dataclass

from .archive import update_from_rows
from .catalogue import Stock

SOURCES = ["oem", "oem", "oem", "aftermarket"]


@dataclass
class Ledger:
    stock: Stock
    clerk: int

    def move(self, t, site_id: int, part: int, kind: str, quantity: int, at: str, ro_number: str = "",
             reason: str = "") -> None:
        stock = self.stock
        stock.balance[part] += quantity
        t.stock_movements.add(site_id, stock.ids[part], kind, f"{quantity}.00", f"{stock.balance[part]}.00",
                              stock.costs[part], ro_number, reason, self.clerk, at)


def opening(ctx, ledger: Ledger) -> None:
    at = ctx.clock.ts(0)
    for part, reorder in enumerate(ledger.stock.reorder):
        ledger.move(ctx.t, ctx.site.pk, part, "receipt", reorder * 2, at, reason="期初库存")


def issue_for_job(ctx, job: int, ro_number: str, approved: int, pay: str) -> list[tuple[int, int, int]]:
    """One or two parts lines of popular parts (few parts make most of the turnover); returns
    (part index, quantity, unit price in fen) of each."""
    rng, ledger, t = ctx.rng, ctx.stock, ctx.t
    stock = ledger.stock
    n = len(stock.ids)
    at = ctx.clock.ts(approved)
    lines = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        part = int(n * rng.random() ** 3)
        quantity = rng.choice((1, 1, 1, 2, 4))
        if stock.balance[part] < quantity:
            ledger.move(t, ctx.site.pk, part, "receipt", stock.reorder[part] * 2 + quantity, at, reason="补货入库")
        ledger.move(t, ctx.site.pk, part, "issue", -quantity, at, ro_number=ro_number)
        price = stock.prices[part]
        t.part_lines.add(job, stock.ids[part], "", f"{quantity}.00", f"{price // 100}.00", rng.choice(SOURCES), at)
        lines.append((part, quantity, price))
    return lines


def finish_parts(cursor, ledger: Ledger) -> None:
    stock = ledger.stock
    rows = [f"{pk}\t{balance}" for pk, balance in zip(stock.ids, stock.balance, strict=True)]
    update_from_rows(cursor, "parts_part", ["on_hand numeric"], rows)
