"""Regimes: the scenario's values as they stand from each dated change on.

A scenario's own values form the first regime, from day 0. Each entry of `changes` starts a new
regime on its date (changes dated on or before `start` apply from day 0), taking the previous
regime's values and replacing those it names: `arrivals` whole, and `profile`, `branches`,
`durations` and `capacity` entry by entry. Which regime applies is decided by time: a stage's
duration is drawn in the regime in force when the journey arrives there (or, at a stage with
caseworkers, when a caseworker picks the case up), a way on is chosen in the regime in force
when the journey leaves, and arrivals follow the volume of the regime they fall in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pathways.definition.schema import Pathway
from pathways.simulation.scenario.distributions import DurationSpec
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.schema import WEEKDAYS, Arrivals, Capacity, Choice

__all__ = [
    "ALL_CHANNELS",
    "Regime",
    "capacity_stages",
    "capacity_warnings",
    "monthly_weights",
    "regimes",
]

#: The channel name used when a scenario has no entry channels.
ALL_CHANNELS = "all"


def monthly_weights(seasonality: tuple[float, ...]) -> tuple[float, ...]:
    """Twelve monthly weights (January first) with mean 1, from 4 quarterly or 12 monthly ones."""
    if not seasonality:
        return (1.0,) * 12
    months = (
        tuple(q for q in seasonality for _ in range(3)) if len(seasonality) == 4 else seasonality
    )
    mean = sum(months) / 12.0
    return tuple(m / mean for m in months)


@dataclass
class Regime:
    """The values in force from `starts` (days after the scenario's start) on."""

    starts: float
    arrivals: Arrivals
    profile: dict[str, Choice]
    branches: dict[str, Choice]
    durations: dict[str, DurationSpec]
    capacity: dict[str, Capacity]
    mixes: dict[str, dict[str, Choice]] = field(default_factory=dict)
    channel_shares: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        channels = self.arrivals.channels
        if not channels:
            self.channel_shares = {ALL_CHANNELS: 1.0}
            self.mixes = {ALL_CHANNELS: dict(self.profile)}
        else:
            self.channel_shares = {name: c.share for name, c in channels.items()}
            self.mixes = {name: {**self.profile, **c.profile} for name, c in channels.items()}

    @property
    def per_year(self) -> float:
        return self.arrivals.per_year

    @property
    def monthly(self) -> tuple[float, ...]:
        return monthly_weights(self.arrivals.seasonality)

    def pool_size(self, name: str) -> int:
        """Caseworkers, or cases a panel decides per meeting, in this regime."""
        capacity = self.capacity[name]
        if capacity.panel is not None:
            return capacity.panel.cases
        return capacity.caseworkers or 0

    def pool_every(self, name: str) -> float:
        """Days between a panel's meetings (0 for caseworkers)."""
        panel = self.capacity[name].panel
        return 0.0 if panel is None else float(panel.every.days)

    def pool_first(self, name: str, start: date) -> float:
        """The day of a panel's first meeting: the first `day` (weekday) from `start` on."""
        panel = self.capacity[name].panel
        if panel is None or panel.day is None:
            return 0.0
        return float((WEEKDAYS.index(panel.day) - start.weekday()) % 7)


def regimes(scenario: Scenario, start: date) -> list[Regime]:
    """The scenario's regimes, in date order (see the module docstring); days count from `start`."""
    document = scenario.document
    assert document.arrivals is not None
    current = Regime(
        0.0,
        document.arrivals,
        dict(document.profile),
        dict(document.branches),
        dict(document.durations),
        dict(document.capacity),
    )
    found = [current]
    for change in sorted(document.changes or (), key=lambda c: c.from_):
        day = float(max((change.from_ - start).days, 0))
        current = replace(
            current,
            starts=day,
            arrivals=change.arrivals or current.arrivals,
            profile={**current.profile, **change.profile},
            branches={**current.branches, **change.branches},
            durations={**current.durations, **change.durations},
            capacity={
                **current.capacity,
                **{
                    name: _kept(current.capacity[name], capacity)
                    if name in current.capacity
                    else capacity
                    for name, capacity in change.capacity.items()
                },
            },
        )
        if found[-1].starts == day:
            found[-1] = current
        else:
            found.append(current)
    return found


def _kept(before: Capacity, after: Capacity) -> Capacity:
    """A dated change of capacity: what it does not say (stages, team, durations, absences) is
    kept."""
    update: dict[str, object] = {"agency": before.agency}
    if not after.stages:
        update["stages"] = before.stages
    if not after.durations:
        update["durations"] = before.durations
    if not after.absences:
        update["absences"] = before.absences
    return after.model_copy(update=update)


def capacity_stages(pathway: Pathway, scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """The stages each capacity pool serves: those listed, or those only that agency owns."""
    pools: dict[str, tuple[str, ...]] = {}
    for name, capacity in scenario.document.capacity.items():
        if capacity.stages:
            pools[name] = capacity.stages
        else:
            pools[name] = tuple(
                stage_name
                for stage_name, stage in pathway.stages.items()
                if stage.kind != "outcome"
                and pathway.owner_agencies(stage.owner) == (capacity.agency or name,)
            )
    return pools


def capacity_warnings(
    start: date, pool_stages: Mapping[str, Sequence[str]], all_regimes: list[Regime]
) -> tuple[str, ...]:
    """A warning for each agency whose capacity is zero (or not given) from some date on."""
    found = []
    for name, stages in pool_stages.items():
        for regime in all_regimes:
            if regime.pool_size(name) == 0:
                when = start + timedelta(days=round(regime.starts))
                found.append(
                    f"{name} has no capacity from {when.isoformat()}: journeys reaching "
                    f"{', '.join(stages)} wait there until it has some"
                )
                break
    return tuple(found)
