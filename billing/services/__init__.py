"""Writes of handover and billing, one module per stage; import from the module."""
