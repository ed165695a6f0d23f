"""Reads of the workshop; import from the module."""
