"""The discrete-event engine: tables built from a pathway and a scenario, and the event loop."""

__all__: list[str] = []
