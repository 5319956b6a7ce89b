"""Shares of a stage between teams (`split`), as the engine's table: per profile, cumulative.

See `pathways.simulation.scenario.teams` for the scenario keys.
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.definition.profiles import Value
from pathways.definition.schema import Pathway
from pathways.simulation.scenario.loader import Scenario

__all__ = ["cumulative", "split_table"]


def cumulative(weights: list[float]) -> tuple[float, ...]:
    """Cumulative shares of `weights`, the last exactly 1."""
    total, running, found = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        found.append(running)
    found[-1] = 1.0
    return tuple(found)


def split_table(
    pathway: Pathway,
    scenario: Scenario,
    index: Mapping[str, int],
    pool_names: list[str],
    numbered: Mapping[tuple[Value, ...], int],
) -> dict[int, tuple[tuple[int, ...], dict[int, tuple[float, ...]]]]:
    """Stages shared between capacity entries: their pools and, per profile, cumulative shares."""
    names = list(pathway.profile)
    table = {}
    for stage, choice in scenario.document.split.items():
        pools = choice.names()
        shares = {}
        for values, number in numbered.items():
            profile = dict(zip(names, values, strict=True))
            parent = profile.get(choice.depends_on) if choice.depends_on else None
            inner = choice.for_value(str(parent).lower() if isinstance(parent, bool) else parent)
            given = dict(inner.weights) if inner is not None else {}
            weights = [given.get(pool, 0.0) for pool in pools]
            if sum(weights) > 0.0:
                shares[number] = cumulative(weights)
        table[index[stage]] = (tuple(pool_names.index(p) for p in pools), shares)
    return table
