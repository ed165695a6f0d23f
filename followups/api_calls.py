"""API of the follow-ups: calls."""

urls: list = []
