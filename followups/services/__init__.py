"""Writes of the follow-ups, one module per concern; import from the module."""
