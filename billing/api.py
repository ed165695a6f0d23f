"""The billing API (DESIGN.md §7): RO actions ready, invoice, deliver; payments; invoice and gate-pass PDFs."""

from . import api_handover, api_invoices

urls = [*api_invoices.urls, *api_handover.urls]
