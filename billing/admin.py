"""Admin of billing."""

from django.contrib import admin  # noqa: F401

from . import admin_handover  # noqa: E402,F401  (schedules, accounts, claims)
