"""What the engine's tables say about a pathway as a whole: the stages taken as instant, where
each track starts, and the agency that opens journeys (`build.build_model` uses them)."""

from __future__ import annotations

from collections.abc import Mapping

from pathways.runtime.compiler import CompiledPathway
from pathways.simulation.scenario.regimes import Regime

__all__ = ["notes", "opener", "track_entries"]


def notes(compiled: CompiledPathway, first: Regime, pooled: Mapping[str, int]) -> tuple[str, ...]:
    """A note naming the stages taken as instant: no duration, no capacity, not only timeouts."""
    instant = [
        name
        for name, rule in compiled.stages.items()
        if not rule.outcome
        and name not in first.durations
        and not all(exit.timeout for exit in rule.exits)
        and name not in pooled
    ]
    return (f"taken as instant (no duration given): {', '.join(instant)}",) if instant else ()


def track_entries(compiled: CompiledPathway, index: Mapping[str, int]) -> tuple[int, ...]:
    pathway = compiled.pathway
    return tuple(
        index[pathway.entry if t == compiled.tracks[0] else pathway.tracks[t].entry]
        for t in compiled.tracks
    )


def opener(compiled: CompiledPathway) -> str:
    """The agency that opens journeys: the entry stage's first owner, or the first agency."""
    if compiled.entry.owners:
        return min(compiled.entry.owners)
    return min(compiled.pathway.agencies, default="")
