"""How fast the Chinese invoice (结算单) and work order (任务委托书) PDFs render and how big they are. Target: median
≤ 0.3 s, ≤ 300 KB.

    .venv/bin/python bench/bench_invoice_pdf.py [--runs 10] [--lines 12] [--json]

Builds a throw-away test database (migrations, as the tests do), an RO of `--lines` jobs each with a part
(brands, part numbers, a warranty and a free line, a discount), issues its invoice and a payment, then
renders the invoice PDF `--runs` times after one warm-up (WeasyPrint's first call loads Pango and fonts)
and prints the median, min and max time and the size. The work order and the gate pass are timed the same way.
With --json the last line printed is the timings as JSON (bench/suite runs this script).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def build(lines: int):
    from decimal import Decimal

    from billing.pdf import latest_invoice
    from billing.services.delivery import repair_order_deliver
    from billing.services.invoicing import invoice_issue
    from billing.services.payments import payment_take
    from servicedesk.accounts.roles import CASHIER, SERVICE_MANAGER
    from tests.billing.invoicing_fixtures import ready_ro
    from tests.factories import SiteFactory, make_staff
    from tests.repair_orders.conftest import make_part

    site = SiteFactory(code="SH01", name="上海浦东店", address="上海市浦东新区张江路 88 号", phone="021-5555 8888")
    manager = make_staff(role=SERVICE_MANAGER, sites=[site], display_name="李经理")
    cashier = make_staff(role=CASHIER, sites=[site], display_name="钱收银")
    jobs = []
    for n in range(lines):
        part = make_part(site, f"BX-{n:04d}-K", name=f"前刹车片总成 {n}", sale_price="268.50", brand="博世 Bosch")
        from parts.services import stock_receive

        stock_receive(part=part, quantity=5, actor=manager)
        pay_type = "warranty" if n == 1 else "customer"
        price = "0" if n == 2 else f"{120 + n * 7}.35"
        jobs.append((f"更换前刹车片并检查制动系统 第{n + 1}项", price, pay_type, "0", [(part, 1 + n % 3)]))
    repair_order = ready_ro(site, manager, jobs=jobs)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="wechat", amount=invoice.customer_amount, reference="WX4200001",
                 actor=cashier)
    repair_order_deliver(repair_order=repair_order, actor=cashier)
    assert invoice.customer_amount > Decimal(0)
    return site, repair_order, latest_invoice(site=site, repair_order_pk=repair_order.pk)


def measure(render, runs: int) -> tuple[list[float], int]:
    data = render()  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        data = render()
        timings.append(time.perf_counter() - started)
    return timings, len(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--save", help="write the invoice PDF here")
    parser.add_argument("--json", action="store_true", help="end with the timings as one line of JSON")
    args = parser.parse_args()
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from billing.pdf import gate_pass_pdf, invoice_pdf
        from repair_orders.pdf import document_pdf, repair_order_for_documents

        site, repair_order, invoice = build(args.lines)
        documents = repair_order_for_documents(site=site, pk=repair_order.pk)
        found = {}
        for label, render in (("invoice", lambda: invoice_pdf(invoice)),
                              ("work order", lambda: document_pdf(documents, "work_order")),
                              ("gate pass", lambda: gate_pass_pdf(site=site, repair_order_pk=repair_order.pk))):
            timings, size = measure(render, args.runs)
            found[label] = {"seconds": timings, "bytes": size}
            if args.save and label == "invoice":
                Path(args.save).write_bytes(render())
            print(f"{label:9} {invoice.lines.count()} lines, {args.runs} runs: "
                  f"median {statistics.median(timings):.3f} s, min {min(timings):.3f} s, "
                  f"max {max(timings):.3f} s, size {size / 1024:.0f} KB")
        if args.json:
            print(json.dumps({"lines": invoice.lines.count(), "documents": found}))
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
