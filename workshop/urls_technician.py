"""Placeholder filled by the technician screens."""

urlpatterns: list = []
