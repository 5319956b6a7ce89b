"""The one exception a route raises itself: a refusal already worded as problem details."""

from __future__ import annotations

from typing import Any

__all__ = ["Refused"]


class Refused(Exception):
    """Answer with `status` and the problem details `body` (see `service.problems`)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("detail", ""))
        self.status, self.body = status, body
