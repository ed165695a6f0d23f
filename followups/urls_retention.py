"""Placeholder filled by the retention screens."""

urlpatterns: list = []
