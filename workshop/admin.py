"""Admin of the workshop."""

from django.contrib import admin  # noqa: F401

from . import admin_qc  # noqa: E402,F401  (checklist templates, owned with QC)
