"""The invoice and gate-pass PDFs: Chinese text (pdftotext), the numbers, the next service, one subset font;
written to test-output/pdf/ to be looked at."""

import shutil
import subprocess
from pathlib import Path

import pytest

from billing.services.delivery import repair_order_deliver
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from tests.conftest import skip_or_fail

from .invoicing_fixtures import ready_ro

pytestmark = pytest.mark.django_db
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "pdf"


def _text(content: bytes, name: str) -> str:
    if not shutil.which("pdftotext"):
        skip_or_fail("poppler-utils not installed")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(fonts) == 1 and "Noto-Sans-CJK-SC" in fonts[0] and " yes yes " in fonts[0]  # one subset face
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def test_invoice_and_gate_pass_pdfs(client, site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="wechat", amount="396.00", actor=cashier)
    client.force_login(cashier)
    response = client.get(f"/api/v1/repair-orders/{repair_order.pk}/invoice.pdf")
    assert response["Content-Type"] == "application/pdf" and len(response.content) < 300 * 1024
    text = _text(response.content, "invoice.pdf")
    for expected in (invoice.number, site.name, "工时费", "增值税", "配件编号", "品牌", "MANN", "厂家索赔",
                     "596.00", "396.00", "200.00", "1.50 h", invoice.next_service_on.isoformat(), "17000"):
        assert expected in text, expected
    repair_order_deliver(repair_order=repair_order, actor=cashier)
    gate = client.get(f"/api/v1/repair-orders/{repair_order.pk}/gate-pass.pdf")
    text = _text(gate.content, "gate-pass.pdf")
    for expected in (repair_order.number, invoice.number, repair_order.vehicle.plate, "396.00", "钱收银"):
        assert expected in text, expected


def test_no_gate_pass_before_delivery(client, site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    client.force_login(cashier)
    assert client.get(f"/api/v1/repair-orders/{repair_order.pk}/gate-pass.pdf").status_code == 404
    assert client.get(f"/api/v1/repair-orders/{repair_order.pk}/invoice.pdf").status_code == 404
