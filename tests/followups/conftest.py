"""Fixtures of the calls tests (tests/followups/calls_helpers.py)."""

from .calls_helpers import csi_call, delivered, questions  # noqa: F401
