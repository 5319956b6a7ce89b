"""Each request's id and its one log line, as plain ASGI middleware (no framework in between).

The id is the caller's `X-Request-Id` (a reverse proxy's, say) when it is a short opaque code
(letters, digits, `.`, `_`, `-`; up to 128), else a new random one. It is kept in the request's
state (`request.state.request_id`, which the error answers repeat), sent back in `X-Request-Id`,
and logged, with the method, path, status and time taken, as one JSON line on the
`pathways.service` logger. Written against ASGI itself rather than as Starlette's
`BaseHTTPMiddleware`, which costs each request a task and a stream.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["RequestLog"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_LOG = logging.getLogger("pathways.service")
_IDENT = re.compile(rb"[A-Za-z0-9._-]{1,128}")


class RequestLog:
    """Wraps the application `app` (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        ident = given.decode("ascii") if given and _IDENT.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = ident
        began = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", ()) if h[0] != b"x-request-id"]
                headers.append((b"x-request-id", ident.encode("ascii")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if _LOG.isEnabledFor(logging.INFO):
                _LOG.info(
                    json.dumps(
                        {
                            "request_id": ident,
                            "method": scope["method"],
                            "path": scope["path"],
                            "status": status,
                            "ms": round(1000 * (time.perf_counter() - began), 1),
                        }
                    )
                )
