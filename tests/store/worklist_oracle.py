"""What the runtime says about each position of a journey, and an agency's worklist worked out
by brute force over loaded journeys: the oracles of the worklist tests. Imported as
`store.worklist_oracle`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pathways.runtime.journey import Journey
from pathways.store import JourneyStore


def runtime_positions(journey: Journey) -> dict[str, dict[str, Any]]:
    """Each track's stage, due date, pause, awaited referral, whether it is work, and owners,
    from the runtime's own answers (`deadlines`, `lifecycle`, `awaiting`, `owners`)."""
    found = {}
    owners = journey.owners()
    for track, stage in journey.positions.items():
        work = not journey.closed and not journey.compiled.stages[stage].outcome
        dues = [d.overdue_from for d in journey.deadlines() if d.track == track and not d.timeout]
        pending = journey.awaiting().get(track)
        found[track] = {
            "stage": stage,
            "due": min(dues) if dues and work else None,
            "paused": track in journey.lifecycle.paused,
            "awaiting": pending.handoff if pending is not None and work else None,
            "active": work,
            "owners": owners[stage],
        }
    return found


def stored_positions(store: JourneyStore, case_ref: str) -> dict[str, dict[str, Any]]:
    """Each track's stored positions columns, with the stage's owners from `stage_owners`."""
    t = store.tables
    with store.reading() as conn:
        row = store.row(conn, case_ref)
        places = store.places(conn, case_ref)
        owners = conn.execute(
            t.owners.select().where(t.owners.c.fingerprint == row.fingerprint)
        ).all()
    found = {}
    for place in places:
        found[place.track] = {
            "stage": place.stage,
            "due": place.due,
            "paused": place.paused,
            "awaiting": place.awaiting,
            "active": place.active,
            "owners": tuple(sorted(o.agency for o in owners if o.stage == place.stage)),
        }
    return found


def brute_worklist(
    journeys: Iterable[Journey],
    agency: str,
    at: datetime,
    *,
    overdue: bool = False,
    awaiting: bool = False,
    stage: str | None = None,
) -> list[tuple[str, str, str]]:
    """`(case_ref, track, stage)` of every position on `agency`'s list, by loading journeys."""
    found = []
    for journey in journeys:
        if journey.closed:
            continue
        late = {d.track for d in journey.overdue(at)}
        waiting = journey.awaiting()
        owners = journey.owners()
        for track, name in journey.positions.items():
            if journey.compiled.stages[name].outcome or agency not in owners[name]:
                continue
            if overdue and track not in late:
                continue
            if awaiting and track not in waiting:
                continue
            if stage is not None and name != stage:
                continue
            found.append((journey.case_ref, track, name))
    return sorted(found)
