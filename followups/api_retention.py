"""API of the follow-ups: retention."""

urls: list = []
