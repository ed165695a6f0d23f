"""The settlement of each delivered RO: an invoice with a line per job and per part (VAT-inclusive prices, 13%),
the customer's payment, and a warranty claim per warranty job."""

from .clock import DAY

VAT = 1.13
METHODS = ["wechat", "wechat", "alipay", "card", "cash", "transfer"]
CLAIM_STATUSES = ["paid", "paid", "paid", "approved", "submitted", "rejected"]


def money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def split(gross: int) -> tuple[str, str, str]:
    net = round(gross / VAT)
    return money(net), money(gross - net), money(gross)


def invoice(ctx, ro: int, number: str, customer: int, vehicle: int, km: int, lines: list, delivered: int,
            ro_type: str) -> None:
    t, clock, archive, stock = ctx.t, ctx.clock, ctx.archive, ctx.stock.stock
    issued = delivered - 10
    rows, labour, parts, net_sum, by_pay = [], 0, 0, 0, {"customer": 0, "warranty": 0, "internal": 0}
    for job, pay, description, hours, labour_fen, part_lines in lines:
        rows.append(("labour", pay, job, description, "", "", "", hours, "1.00", money(labour_fen), labour_fen))
        labour += labour_fen
        by_pay[pay] += labour_fen
        for part, quantity, unit in part_lines:
            gross = unit * quantity
            rows.append(("part", pay, job, stock.names[part], stock.numbers[part], stock.brands[part], "oem", None,
                         f"{quantity}.00", money(unit), gross))
            parts += gross
            by_pay[pay] += gross
    cashier = ctx.staff.roles["cashier"]
    gross_total = labour + parts
    net_total = round(gross_total / VAT)
    next_service = clock.day(delivered + 182 * DAY) if ro_type in ("maintenance", "internal") else None
    invoice_id = t.invoices.add(
        ctx.site.pk, ro, number, archive.customer_ids[customer], archive.customer_names[customer],
        archive.plates[vehicle], archive.vins[vehicle], km, money(labour), money(parts), money(net_total),
        money(gross_total - net_total), money(gross_total), money(by_pay["customer"]), money(by_pay["warranty"]),
        money(by_pay["internal"]), "0.130", next_service, cashier, clock.ts(issued))
    for position, (kind, pay, job, description, number_, brand, source, hours, quantity, unit, gross) in enumerate(
            rows, start=1):
        net, vat, gross_text = split(gross)
        t.invoice_lines.add(invoice_id, position, kind, pay, job, description, number_, brand, source, hours,
                            quantity, unit, net, vat, gross_text, gross == 0)
    net_sum += net_total
    if by_pay["customer"] > 0:
        t.payments.add(ctx.site.pk, invoice_id, ctx.rng.choice(METHODS), money(by_pay["customer"]), cashier,
                       clock.ts(issued + 3))
    if ro_type == "warranty":
        for job, pay, _description, _hours, labour_fen, part_lines in lines:
            if pay == "warranty":
                parts_fen = sum(unit * quantity for _part, quantity, unit in part_lines)
                status = ctx.rng.choice(CLAIM_STATUSES)
                t.warranty_claims.add(ctx.site.pk, ro, job, f"W{ro:09d}", money(labour_fen), money(parts_fen),
                                      status, money(labour_fen + parts_fen) if status == "paid" else None,
                                      clock.ts(issued), clock.ts(issued + 14 * DAY))
