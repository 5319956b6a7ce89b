"""The webhook settings of `pathways serve`: the `webhooks:` block of the configuration file,
or the environment (which the worker processes read). Each setting's variable is
`PATHWAYS_WEBHOOKS_` and its name in capitals:

| setting | default | what it does |
| --- | --- | --- |
| `dispatch` | `true` | run the dispatcher in each worker |
| `private` | `false` | allow `http://` and loopback or private addresses (tests, development) |
| `timeout` | `10` | seconds to connect, and to wait for an answer |
| `first_retry` | `5` | seconds before the first retry (then 4 times longer each time) |
| `max_wait` | `21600` | the longest wait between two attempts (6 hours) |
| `attempts` | `12` | attempts before a delivery is dead |
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["Retries", "WebhookSettings"]

_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class Retries:
    """When to try a failed delivery again: after `first` seconds, then `factor` times longer
    each time up to `cap`, each delay drawn at random between half and all of it (jitter);
    after `attempts` attempts the delivery is dead. The defaults span about a day and a half."""

    first: float = 5.0
    factor: float = 4.0
    cap: float = 6 * 3600.0
    attempts: int = 12

    def delay(self, attempts_made: int, rng: random.Random | None = None) -> float:
        base = min(self.cap, self.first * self.factor ** max(0, attempts_made - 1))
        return base * (0.5 + 0.5 * (rng or random).random())


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    dispatch: bool = True
    private: bool = False
    timeout: float = 10.0
    first_retry: float = 5.0
    max_wait: float = 6 * 3600.0
    attempts: int = 12

    @classmethod
    def read(cls, block: object, environ: Mapping[str, str] | None = None) -> WebhookSettings:
        """From the file's `webhooks:` block, then the environment over it."""
        data: dict[str, Any] = {}
        if block is not None:
            if not isinstance(block, dict):
                raise ValueError("webhooks: expected a set of keys and values")
            unknown = set(block) - {f.name for f in fields(cls)}
            if unknown:
                raise ValueError(f"webhooks: unknown setting(s): {', '.join(sorted(unknown))}")
            data.update(block)
        environ = os.environ if environ is None else environ
        for field in fields(cls):
            value = environ.get(f"PATHWAYS_WEBHOOKS_{field.name.upper()}")
            if value:
                data[field.name] = value
        made: dict[str, Any] = {}
        for field in fields(cls):
            if field.name not in data:
                continue
            value = data[field.name]
            if field.type == "bool":
                made[field.name] = value if isinstance(value, bool) else str(value).lower() in _TRUE
            elif field.type == "int":
                made[field.name] = max(1, int(value))
            else:
                made[field.name] = max(0.01, float(value))
        return cls(**made)

    def environment(self) -> dict[str, str]:
        """The settings as the environment variables the workers read."""
        return {
            f"PATHWAYS_WEBHOOKS_{f.name.upper()}": str(getattr(self, f.name)).lower()
            for f in fields(self)
        }

    @property
    def retries(self) -> Retries:
        return Retries(first=self.first_retry, cap=self.max_wait, attempts=self.attempts)
