"""Simulated journeys as event-log rows, so a simulation can be mined like the store.

Each replication's counted journeys are traced by the engine (`pathways.simulation.trace`) and
turned into the same `EventRow`s the store gives: a `start` at arrival at the pathway's entry,
then each handoff or timeout (the stage it went to, the agency that made it), then the profile
changes. Cases are named `r<replication>-j<number>`; times are the scenario's start date plus
the simulated days, in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.eventlog.rows import EventRow
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import build_model, trace
from pathways.simulation.scenario.loader import Scenario

__all__ = ["MAX_TRACED", "simulated_rows"]

#: Journeys traced per replication at most (a trace keeps every event in memory).
MAX_TRACED = 1_000_000


def simulated_rows(
    pathway: Pathway, scenario: Scenario, *, replications: int = 1, seed: int | str = 1
) -> Iterator[EventRow]:
    """The rows of every counted journey of each replication, journey by journey."""
    model = build_model(compile_pathway(pathway), scenario)
    origin = datetime.combine(model.start, time(0), tzinfo=UTC)
    for replication in range(replications):
        for journey in trace(model, seed, replication, MAX_TRACED):
            case = f"r{replication}-j{journey.number}"
            values = model.profile_values[journey.profile]
            profile = tuple(zip(model.attributes, values, strict=True))
            yield EventRow(
                case=case,
                seq=0,
                activity="start",
                timestamp=origin + timedelta(days=journey.arrived),
                kind="started",
                agency="",
                stage=pathway.entry,
                from_stage="",
                track=MAIN_TRACK,
                lifecycle="complete",
                profile=profile,
            )
            here = {MAIN_TRACK: pathway.entry}
            for number, (when, _, kind, name, agency) in enumerate(sorted(journey.events or ()), 1):
                at = origin + timedelta(days=when)
                if kind == "profile":
                    activity, stage, source, track = (
                        f"profile:{name}",
                        here[MAIN_TRACK],
                        "",
                        MAIN_TRACK,
                    )
                    who = ""
                else:
                    handoff = pathway.handoffs[name]
                    stage = handoff.to
                    track = pathway.stages[stage].track
                    source = here.get(track, "")
                    here[track] = stage
                    for started in handoff.starts:
                        if started in pathway.tracks:
                            here[started] = pathway.tracks[started].entry
                    activity, who = name, "" if kind == "timeout" else str(agency)
                yield EventRow(
                    case=case,
                    seq=number,
                    activity=activity,
                    timestamp=at,
                    kind=kind,
                    agency=who,
                    stage=stage,
                    from_stage=source,
                    track=track,
                    lifecycle="complete",
                    profile=profile,
                )
