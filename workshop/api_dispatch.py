"""API of the workshop: dispatch actions."""

urls: list = []
