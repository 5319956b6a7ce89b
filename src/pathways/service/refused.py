"""The one exception a route raises itself: a refusal already worded as problem details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Refused"]


class Refused(Exception):
    """Answer with `status`, the problem details `body` (see `service.problems`) and any
    `headers` (such as `WWW-Authenticate` on a 401)."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(body.get("detail", ""))
        self.status, self.body, self.headers = status, body, dict(headers or {})
