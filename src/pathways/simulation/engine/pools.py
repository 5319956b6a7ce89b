"""Capacity pools as the engine's tables: caseworkers or panels, and their size over time."""

from __future__ import annotations

from collections.abc import Mapping

from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.tables import PoolTable
from pathways.simulation.scenario.calendars import capacity_timeline
from pathways.simulation.scenario.regimes import Regime

__all__ = ["pool_tables"]


def pool_tables(
    all_regimes: list[Regime],
    pool_stages: Mapping[str, tuple[str, ...]],
    index: Mapping[str, int],
    clock: Clock,
    days: int,
) -> tuple[PoolTable, ...]:
    """Each capacity pool: its kind, sizes per regime, meetings and its sizes over `days` days
    (dated changes less recurring absences)."""
    first = all_regimes[0]
    return tuple(
        PoolTable(
            name=name,
            panel=first.capacity[name].panel is not None,
            size=tuple(r.pool_size(name) for r in all_regimes),
            every=first.pool_every(name),
            first=first.pool_first(name, clock.start),
            stages=tuple(index[s] for s in stages),
            timeline=capacity_timeline(
                [(r.starts, r.pool_size(name)) for r in all_regimes],
                [r.capacity[name].absences for r in all_regimes],
                clock.start,
                days,
            ),
        )
        for name, stages in pool_stages.items()
    )
