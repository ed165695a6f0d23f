"""Placeholder filled by the invoices screens."""

urlpatterns: list = []
