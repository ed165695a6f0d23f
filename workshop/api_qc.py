"""API of the workshop: qc actions."""

urls: list = []
