"""What a webhook says, and to whom: the same visibility rule as the service's own answers.

An event goes to the active subscriptions that want its kind, of the agencies the journey
involves when it is sent (`service.visibility.involved`: exactly those that may read the
journey's events over HTTP). Its payload is the event as `GET /journeys/{case_ref}/events` shows
it to that agency (shared item names only where they were shared with it), in the Standard
Webhooks shape:

```json
{"type": "journey.handoff", "timestamp": "2025-03-03T10:00:00Z",
 "data": {"case_ref": "HULL-0001", "pathway": "humber/hull", "version": "2025.1",
          "event": {"seq": 1, "what": "handoff", "by": "hull-city-council", ...}}}
```

A kind is named as the runtime names it (`handoff`, `closed-early`); the type is `journey.` and
the kind with `_` for `-` (the standard keeps types to letters, digits and `_`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, get_args

from pathways.runtime.events import EventKind
from pathways.runtime.journey import Journey
from pathways.service.views import events_view
from pathways.service.visibility import involved
from pathways.store.webhooks import Subscription

__all__ = ["KINDS", "body", "event_type", "payload", "recipients"]

#: Every kind of event a subscription can ask for.
KINDS: tuple[str, ...] = get_args(EventKind)


def event_type(kind: str) -> str:
    return "journey." + kind.replace("-", "_")


def recipients(
    journey: Journey, kind: str, subscriptions: Iterable[Subscription]
) -> list[Subscription]:
    """The subscriptions that get an event of `kind` on `journey`."""
    seen: dict[str, bool] = {}
    chosen = []
    for subscription in subscriptions:
        if not subscription.wants(kind):
            continue
        if subscription.agency not in seen:
            seen[subscription.agency] = involved(journey, subscription.agency)
        if seen[subscription.agency]:
            chosen.append(subscription)
    return chosen


def payload(journey: Journey, seq: int, agency: str) -> dict[str, Any] | None:
    """Event `seq` of `journey` as `agency` may see it (None if the journey has no such event)."""
    shown = [e for e in events_view(journey, agency) if e["seq"] == seq]
    if not shown:
        return None
    event = shown[0]
    return {
        "type": event_type(str(event["what"])),
        "timestamp": event["at"],
        "data": {
            "case_ref": journey.case_ref,
            "pathway": journey.compiled.pathway.id,
            "version": journey.compiled.pathway.version,
            "event": event,
        },
    }


def body(data: dict[str, Any]) -> bytes:
    """The bytes sent (and signed): compact JSON, keys sorted, so every attempt is the same."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
