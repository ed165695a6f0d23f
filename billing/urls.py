"""Handover and billing screens: pre-delivery check, cashier (invoices, payments, gate pass), day close, claims."""

from . import urls_handover, urls_invoices

app_name = "billing"
urlpatterns = [*urls_invoices.urlpatterns, *urls_handover.urlpatterns]
