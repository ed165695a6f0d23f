"""API of handover and billing: invoices."""

urls: list = []
