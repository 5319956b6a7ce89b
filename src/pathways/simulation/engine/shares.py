"""Shares as the engine's tables: of a stage between teams (`split`, per profile, cumulative;
see `pathways.simulation.scenario.teams`), of a queue's cases between priority classes
(`priorities`, see `pathways.simulation.scenario.priorities`), and of the ways of leaving a
stage early (`attrition`, see `pathways.simulation.scenario.attrition`).
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.definition.profiles import Value
from pathways.definition.schema import Pathway
from pathways.simulation.scenario.attrition import Attrition
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.schema import Choice
from pathways.simulation.scenario.unknown import routed

__all__ = ["attrition_table", "cumulative", "priority_table", "split_table"]


def cumulative(weights: list[float]) -> tuple[float, ...]:
    """Cumulative shares of `weights`, the last exactly 1."""
    total, running, found = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        found.append(running)
    found[-1] = 1.0
    return tuple(found)


def _by_profile(
    pathway: Pathway,
    scenario: Scenario,
    choice: Choice,
    numbered: Mapping[tuple[Value, ...], int],
    order: tuple[str, ...],
) -> dict[int, tuple[float, ...]]:
    """Per profile number: the cumulative shares of `choice`'s names in `order` (profiles
    given no share of any are left out)."""
    names = list(pathway.profile)
    shares = {}
    for values, number in numbered.items():
        known = routed(values, scenario.document.unknown, pathway.profile)
        profile = dict(zip(names, known, strict=True))
        parent = profile.get(choice.depends_on) if choice.depends_on else None
        inner = choice.for_value(str(parent).lower() if isinstance(parent, bool) else parent)
        given = dict(inner.weights) if inner is not None else {}
        weights = [given.get(name, 0.0) for name in order]
        if sum(weights) > 0.0:
            shares[number] = cumulative(weights)
    return shares


def split_table(
    pathway: Pathway,
    scenario: Scenario,
    index: Mapping[str, int],
    pool_names: list[str],
    numbered: Mapping[tuple[Value, ...], int],
) -> dict[int, tuple[tuple[int, ...], dict[int, tuple[float, ...]]]]:
    """Stages shared between capacity entries: their pools and, per profile, cumulative shares."""
    return {
        index[stage]: (
            tuple(pool_names.index(p) for p in choice.names()),
            _by_profile(pathway, scenario, choice, numbered, choice.names()),
        )
        for stage, choice in scenario.document.split.items()
    }


def priority_table(
    pathway: Pathway,
    scenario: Scenario,
    pool_names: list[str],
    numbered: Mapping[tuple[Value, ...], int],
) -> dict[int, tuple[tuple[str, ...], dict[int, tuple[float, ...]]]]:
    """Pools whose queues serve priority classes (`priorities`): the classes, most urgent
    first, and per profile the cumulative shares of the classes in that order."""
    return {
        pool_names.index(name): (
            tuple(priority.classes),
            _by_profile(pathway, scenario, priority.shares, numbered, tuple(priority.classes)),
        )
        for name, priority in scenario.document.priorities.items()
    }


def attrition_table(
    attrition: Mapping[str, tuple[Attrition, ...]], index: Mapping[str, int], first_way: int
) -> dict[int, tuple[float, tuple[float, ...], tuple[int, ...]]]:
    """Per stage with attrition: total rate per day, cumulative shares, and its ways (numbered
    from `first_way` on, in the order written, as `way_tables` makes them)."""
    table = {}
    way = first_way
    for stage, entries in attrition.items():
        rates = [entry.per_year for entry in entries]
        ways = tuple(range(way, way + len(entries)))
        way += len(entries)
        table[index[stage]] = (sum(rates) / 365.25, cumulative(rates), ways)
    return table
