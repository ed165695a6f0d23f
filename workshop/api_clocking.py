"""API of the workshop: clocking actions."""

urls: list = []
