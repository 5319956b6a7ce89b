"""One webhook attempt: a POST with the standard library's `http.client`, bounded and plain.

The connection and the answer each have a time limit (`timeout` seconds, 10 by default; the
Standard Webhooks advice is 15 to 30 for a receiver that works before answering, so answer
first and work after). Redirects are never followed: a 3xx is a failed attempt, as the
standard advises. The address connected to is checked (`targets.check_address`) before the
request is sent, unless private addresses are allowed (tests and development). At most 64 KiB of
the answer is read and none of it is kept: only the status, a short error code and the time.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from pathways.service.webhooks.targets import RefusedTarget, check_address

__all__ = ["Outcome", "post"]

_READ = 65536


@dataclass(frozen=True, slots=True)
class Outcome:
    """How an attempt went: the status (None: no answer), an error code, the time taken and
    the `Retry-After` seconds a 429 or 503 asked for."""

    status: int | None
    error: str | None
    ms: int
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        context = ssl.create_default_context()
        return http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=context), path
    return http.client.HTTPConnection(host, parts.port, timeout=timeout), path


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), 86400.0)
    return None


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = 10.0,
    allow_private: bool = False,
) -> Outcome:
    """POST `body` to `url` once (see the module's docstring)."""
    began = time.monotonic()

    def done(status: int | None, error: str | None, after: float | None = None) -> Outcome:
        return Outcome(status, error, int(1000 * (time.monotonic() - began)), after)

    connection, path = _connection(url, timeout)
    try:
        connection.connect()
        if not allow_private:
            assert connection.sock is not None
            check_address(str(connection.sock.getpeername()[0]))
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": "pathways-webhooks/1",
            },
        )
        answer = connection.getresponse()
        answer.read(_READ)
        status = answer.status
        after = _retry_after(answer.getheader("Retry-After")) if status in (429, 503) else None
        return done(status, None if 200 <= status < 300 else f"http-{status}", after)
    except RefusedTarget:
        return done(None, "refused-address")
    except TimeoutError:
        return done(None, "timeout")
    except ConnectionRefusedError:
        return done(None, "connection-refused")
    except ssl.SSLError:
        return done(None, "tls-failed")
    except socket.gaierror:
        return done(None, "name-not-found")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return done(None, type(exc).__name__.lower()[:60])
    finally:
        connection.close()
