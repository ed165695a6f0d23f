"""Placeholder filled by the qc screens."""

urlpatterns: list = []
