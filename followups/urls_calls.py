"""Placeholder filled by the calls screens."""

urlpatterns: list = []
