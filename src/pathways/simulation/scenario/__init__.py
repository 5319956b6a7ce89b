"""Scenario files: the format an analyst writes, loaded and checked against the pathway."""

__all__: list[str] = []
