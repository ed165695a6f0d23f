"""API of handover and billing: handover."""

urls: list = []
