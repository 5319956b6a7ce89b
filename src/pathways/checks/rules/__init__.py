"""The check rules, one module per family; each rule registers itself in `RULES`."""

__all__: list[str] = []
