"""Alembic revision scripts for the journey store, one module per schema version."""

__all__: list[str] = []
