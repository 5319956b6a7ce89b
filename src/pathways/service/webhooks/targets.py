"""Which endpoints the service may call, against server-side request forgery (SSRF).

An agency names the URL its webhooks go to, and the service calls it from inside the network
it runs in, so a careless or hostile URL could make the service call something internal (a
database's HTTP port, a cloud metadata address). So, unless the service is started for a test
or development (`allow_private`):

- only `https://` URLs, with a host name or address and no user name or password in them;
- the address actually connected to (checked on each attempt, after connecting and before
  anything is sent, so a name that resolves to an internal address, now or later, is caught)
  must be a public one: not loopback, private (10/8,
  172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, which holds cloud metadata),
  carrier-grade NAT, multicast, reserved or unspecified;
- redirects are never followed (`sender`): a 3xx answer is a failed attempt.

What this does not cover: an internal service reachable at a public address, or a proxy in
between. Where that matters, send webhooks through an egress proxy that enforces the same rule
(such as Stripe's smokescreen) and run the workers in a subnet with no route to internal
services.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from pathways.errors import PathwayError

__all__ = ["RefusedTarget", "check_address", "check_url"]


class RefusedTarget(PathwayError, ValueError):
    """An endpoint the service will not call (see the module's docstring)."""


def check_url(url: str, *, allow_private: bool = False) -> str:
    """`url` if it may be subscribed (its form only: addresses are checked on each attempt)."""
    if len(url) > 2000:
        raise RefusedTarget("an endpoint URL is at most 2,000 characters")
    if not url.isascii() or not url.isprintable() or " " in url:
        raise RefusedTarget(
            "an endpoint URL is printable ASCII with no spaces (IDNA-encode a name)"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise RefusedTarget("not a URL, or its port is not a number") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise RefusedTarget(f"an endpoint URL must start {' or '.join(s + '://' for s in schemes)}")
    if not parts.hostname or parts.username or parts.password or parts.fragment:
        raise RefusedTarget("an endpoint URL names a host, with no user, password or fragment")
    if not allow_private:
        try:
            check_address(str(ipaddress.ip_address(parts.hostname)))
        except ValueError as exc:
            if isinstance(exc, RefusedTarget):
                raise
    return url


def check_address(address: str) -> None:
    """Refuse (`RefusedTarget`) an address that is not a public one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        raise RefusedTarget(f"{ip} is not a public address: the service does not call it")
