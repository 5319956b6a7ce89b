"""Subscriptions: an agency's endpoint and the kinds of event it wants, with a signing secret
shown once (`pathways serve webhooks add|list|remove`).

The secret is kept in the store's database, because the service needs it to sign each attempt
(it cannot be kept as a hash, as API keys are): anyone who can read the database can sign
webhooks for that subscription, so keep the database as private as the key file. To change a
secret, add a new subscription, move the receiver to it, and remove the old one.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from pathways.errors import PathwayError
from pathways.service.webhooks.payloads import KINDS
from pathways.service.webhooks.signing import new_secret
from pathways.service.webhooks.targets import check_url
from pathways.store.webhooks import Subscription, WebhookRecords

__all__ = ["UnknownKind", "add", "kinds"]


class UnknownKind(PathwayError, ValueError):
    """A kind of event that does not exist."""


def kinds(given: Sequence[str]) -> tuple[str, ...]:
    """The kinds named in `given` (each `handoff` or `journey.handoff`; commas allowed)."""
    chosen = []
    for word in (w.strip() for text in given for w in text.split(",")):
        if not word:
            continue
        kind = word.removeprefix("journey.").replace("_", "-")
        if kind not in KINDS:
            raise UnknownKind(
                f"'{word}' is not a kind of event: expected some of {', '.join(KINDS)}"
            )
        chosen.append(kind)
    return tuple(sorted(set(chosen)))


def add(
    records: WebhookRecords,
    agency: str,
    url: str,
    events: Sequence[str] = (),
    *,
    allow_private: bool = False,
) -> tuple[Subscription, str]:
    """A new subscription and its signing secret (to show once)."""
    check_url(url, allow_private=allow_private)
    secret = new_secret()
    ident = "sub_" + secrets.token_hex(8)
    made = records.subscribe(
        ident, agency, url, kinds(events), secret, at=datetime.now(UTC).replace(microsecond=0)
    )
    return made, secret
