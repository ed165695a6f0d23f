"""Placeholder filled by the handover screens."""

urlpatterns: list = []
