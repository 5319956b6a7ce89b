"""A journey and its events as the service shows them to one agency."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pathways.runtime.events import Event, utc_text
from pathways.runtime.journey import Journey
from pathways.service.visibility import shared_with

__all__ = ["events_view", "journey_view"]


def journey_view(journey: Journey, revision: int, agency: str) -> dict[str, Any]:
    """Where the journey is, for whom, and its time limits, as JSON-ready data."""
    return {
        "case_ref": journey.case_ref,
        "pathway": journey.compiled.pathway.id,
        "version": journey.compiled.pathway.version,
        "revision": revision,
        "closed": journey.closed,
        "positions": dict(journey.positions),
        "profile": dict(journey.profile),
        "awaiting": sorted(p.handoff for p in journey.awaiting().values()),
        "due": [
            {
                "track": d.track,
                "stage": d.stage,
                "handoff": d.handoff,
                "due": d.due.isoformat(),
                "timeout": d.timeout,
            }
            for d in journey.deadlines()
        ],
    }


def events_view(
    journey: Journey, agency: str, events: Iterable[Event] | None = None
) -> list[dict[str, Any]]:
    """The journey's events (or those given), with shared item names only where they were
    shared with `agency`."""
    return [
        {
            "seq": e.seq,
            "what": e.what,
            "at": utc_text(e.at),
            "by": e.by,
            "handoff": e.trigger,
            "from_stage": e.from_stage,
            "to_stage": e.to_stage,
            "shares": list(shared_with(journey, e, agency)),
            "reason": e.reason,
        }
        for e in (journey.history if events is None else events)
    ]
