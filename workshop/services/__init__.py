"""Writes of the workshop, one module per stage; import from the module (workshop.services.dispatch)."""
