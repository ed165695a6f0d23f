"""Chinese PDFs: the invoice (结算单) and work order of bench/bench_invoice_pdf.py (its own throw-away test
database: 12 lines with parts, warranty, a free line, a payment), and the work order (任务委托书) of the bench
site's RO of 20 jobs and 40 parts lines. Budget: median ≤ 0.3 s, ≤ 300 KB."""

import json
import subprocess
import sys

from repair_orders.pdf import document_pdf, repair_order_for_documents
from servicedesk.accounts.roles import ADVISOR

from . import fixtures
from .common import ROOT, Measure, say, timed_ms

SECONDS_BUDGET, KB_BUDGET = 0.3, 300


def pdf_measures(label: str, seconds: list[float], size: int, note: str) -> list[Measure]:
    measures = [Measure("pdf", f"{label}: render", "s", seconds, SECONDS_BUDGET, note=note),
                Measure("pdf", f"{label}: size", "KB", [size / 1024], KB_BUDGET, note=note)]
    say(f"  {label:<40} median {measures[0].median:.3f} s (min {min(seconds):.3f}, max {max(seconds):.3f}), "
        f"{size / 1024:.0f} KB")
    return measures


def measure_pdfs(site, *, runs: int) -> list[Measure]:
    say(f"PDFs, {runs} runs each after a warm-up")
    out = []
    script = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_invoice_pdf.py"), "--runs", str(runs),
                             "--json"], capture_output=True, text=True, cwd=ROOT, check=True)
    found = json.loads(script.stdout.strip().splitlines()[-1])
    note = f"bench_invoice_pdf.py, {found['lines']} invoice lines"
    for label in ("invoice", "work order"):
        document = found["documents"][label]
        out += pdf_measures(f"{label} (zh)", document["seconds"], document["bytes"], note)
    big = fixtures.big_repair_order(site, fixtures.site_user(site, ADVISOR))
    ro = repair_order_for_documents(site=site, pk=big.pk)
    data = document_pdf(ro, "work_order")  # warm-up
    seconds = [timed_ms(lambda: document_pdf(ro, "work_order")) / 1000 for _n in range(runs)]
    out += pdf_measures("work order, 20 jobs / 40 parts (zh)", seconds, len(data), f"RO {big.number}")
    return out
