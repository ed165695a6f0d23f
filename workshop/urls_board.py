"""Placeholder filled by the board screens."""

urlpatterns: list = []
