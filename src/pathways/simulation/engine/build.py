"""Build the engine's tables from a compiled pathway and a scenario, checking one against the other.

The simulator uses the runtime's own rules: each stage's ways on are the `HandoffRule`s of the
`CompiledPathway`, and whether a way is open to a profile is decided by the rule's compiled
condition (`HandoffRule.holds`). Profiles are finite, so this is done once, here, for every
profile the scenario can produce (arrivals and the profile changes it allows), per stage and per
regime; the engine then only looks up a table. Every reference in the scenario (stages, handoffs,
agencies, attribute values, sources) is checked, and all problems are reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from pathways.definition.durations import Duration
from pathways.definition.messages import one_of
from pathways.definition.profiles import Value
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError, Location, Problem
from pathways.runtime.compiler import CompiledPathway
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.milestones import find_milestones
from pathways.simulation.engine.tables import (
    Limit,
    Option,
    PoolTable,
    RegimeTable,
    SimModel,
    StageTable,
    WayTable,
)
from pathways.simulation.scenario.consistency import check_scenario
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.mix import joint
from pathways.simulation.scenario.regimes import Regime, capacity_stages, regimes

__all__ = ["build_model"]


def _limit(duration: Duration | None) -> Limit | None:
    return None if duration is None else (duration.days, duration.working)


@dataclass
class _Builder:
    compiled: CompiledPathway
    scenario: Scenario
    problems: list[Problem]
    reported: set[str] = field(default_factory=set)

    @property
    def pathway(self) -> Pathway:
        return self.compiled.pathway

    def at(self, section: str, name: str = "", *rest: str | int) -> Location | None:
        return self.scenario.location(section, name, *rest) or self.scenario.location(section)

    def stage_tables(self, pools: Mapping[str, int]) -> tuple[StageTable, ...]:
        ways = list(self.compiled.handoffs)
        items = {name: bit for bit, name in enumerate(self.pathway.information)}
        tracks = self.compiled.tracks
        tables = []
        for name, rule in self.compiled.stages.items():
            stage = rule.stage
            mask = 0
            for item in stage.collects:
                mask |= 1 << items[item]
            tables.append(
                StageTable(
                    name=name,
                    title=stage.title,
                    track=tracks.index(rule.track),
                    kind=stage.kind,
                    outcome=(stage.outcome or "outcome") if rule.outcome else None,
                    support=stage.kind == "support",
                    pool=pools.get(name, -1),
                    at_least=_limit(stage.at_least),
                    within=_limit(rule.within),
                    collects=mask,
                    timed=any(exit.timeout for exit in rule.exits),
                    only_way=ways.index(rule.exits[0].name)
                    if len(rule.exits) == 1
                    and rule.exits[0].condition is None
                    and not rule.exits[0].timeout
                    else -1,
                )
            )
        return tuple(tables)

    def way_tables(self, index: Mapping[str, int]) -> tuple[WayTable, ...]:
        tracks = self.compiled.tracks
        return tuple(
            WayTable(
                name=name,
                to=index[rule.target],
                timeout=rule.timeout,
                within=_limit(rule.within),
                starts=tuple(tracks.index(t) for t in rule.starts),
                waits_for=tuple(tracks.index(t) for t in rule.waits_for),
                agency=min(rule.agencies) if rule.agencies else "",
            )
            for name, rule in self.compiled.handoffs.items()
        )

    def profiles(self, all_regimes: list[Regime]) -> dict[tuple[Value, ...], int]:
        """Number every profile that can arrive, then every profile reachable by a change."""
        attributes = self.pathway.profile
        numbered: dict[tuple[Value, ...], int] = {}
        for regime in all_regimes:
            for choices in regime.mixes.values():
                for values in joint(choices, attributes):
                    numbered.setdefault(values, len(numbered))
        names = list(attributes)
        frontier = list(numbered)
        while frontier:
            values = frontier.pop()
            for change in self.scenario.document.profile_changes or ():
                position = names.index(change.attribute)
                if values[position] == change.from_:
                    moved = (*values[:position], change.to, *values[position + 1 :])
                    if moved not in numbered:
                        numbered[moved] = len(numbered)
                        frontier.append(moved)
        return numbered

    def changes(
        self, numbered: Mapping[tuple[Value, ...], int]
    ) -> dict[int, tuple[tuple[float, int], ...]]:
        names = list(self.pathway.profile)
        table: dict[int, tuple[tuple[float, int], ...]] = {}
        for values, number in numbered.items():
            found = []
            for change in self.scenario.document.profile_changes or ():
                position = names.index(change.attribute)
                if values[position] == change.from_:
                    moved = (*values[:position], change.to, *values[position + 1 :])
                    found.append((change.per_year / 365.25, numbered[moved]))
            if found:
                table[number] = tuple(found)
        return table

    def options(
        self, regime: Regime, numbered: Mapping[tuple[Value, ...], int], index: Mapping[str, int]
    ) -> dict[int, Option]:
        ways = {name: i for i, name in enumerate(self.compiled.handoffs)}
        names = list(self.pathway.profile)
        count = len(numbered)
        table: dict[int, Option] = {}
        reported = self.reported
        for stage_name, rule in self.compiled.stages.items():
            if rule.outcome or not rule.exits:
                continue
            stage = index[stage_name]
            choice = regime.branches.get(stage_name)
            for values, number in numbered.items():
                profile = self.compiled.profile(dict(zip(names, values, strict=True)))
                open_rules = [r for r in rule.exits if r.holds(profile)]
                timeouts = [ways[r.name] for r in open_rules if r.timeout]
                chosen = [r.name for r in open_rules if not r.timeout]
                timeout = timeouts[0] if timeouts else -1
                if len(chosen) <= 1:
                    if chosen or timeouts:
                        table[stage * count + number] = Option(
                            tuple(ways[c] for c in chosen), (1.0,) * len(chosen), timeout
                        )
                    continue
                weights = self.weights(choice, chosen, profile, stage_name, reported)
                if weights is None:
                    continue
                table[stage * count + number] = Option(
                    tuple(ways[c] for c in chosen), _cumulative(weights), timeout
                )
        return table

    def weights(
        self,
        choice: object,
        chosen: list[str],
        profile: Mapping[str, Value],
        stage: str,
        reported: set[str],
    ) -> list[float] | None:
        from pathways.simulation.scenario.schema import Choice

        inner = None
        if isinstance(choice, Choice):
            parent = profile.get(choice.depends_on) if choice.depends_on else None
            key = str(parent).lower() if isinstance(parent, bool) else parent
            inner = choice.for_value(key)
        given = dict(inner.weights) if inner is not None else {}
        weights = [given.get(name, 0.0) for name in chosen]
        if sum(weights) > 0.0:
            return weights
        if stage not in reported:
            reported.add(stage)
            words = ", ".join(f"{k} = {v}" for k, v in profile.items()) or "every victim"
            self.problems.append(
                Problem(
                    "missing-branches",
                    f"at stage '{stage}' several handoffs are open to a victim with {words} "
                    f"({', '.join(chosen)}), and the scenario does not say how often each is taken",
                    self.at("branches", stage),
                    expected=f"probabilities for {one_of(chosen)} under 'branches: {stage}:'",
                    hint=f"add 'branches: {{{stage}: {{{chosen[0]}: 0.5, ...}}}}'",
                )
            )
        return None


def _cumulative(weights: list[float]) -> tuple[float, ...]:
    """Cumulative shares of `weights`, the last exactly 1."""
    total, running, found = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        found.append(running)
    found[-1] = 1.0
    return tuple(found)


def _regime_table(
    regime: Regime,
    options: dict[int, Option],
    compiled: CompiledPathway,
    numbered: Mapping[tuple[Value, ...], int],
) -> RegimeTable:
    """One regime's table: arrivals, channels, the profile mix per channel, durations, options."""
    channel_names = tuple(regime.channel_shares)
    running, cumulative = 0.0, []
    for name in channel_names:
        running += regime.channel_shares[name]
        cumulative.append(running)
    profiles = []
    for name in channel_names:
        mix = joint(regime.mixes[name], compiled.pathway.profile)
        numbers = tuple(numbered[values] for values in mix)
        profiles.append((numbers, _cumulative(list(mix.values()))))
    return RegimeTable(
        starts=regime.starts,
        per_year=regime.per_year,
        monthly=regime.monthly,
        channels=channel_names,
        channel_cumulative=tuple(c / running for c in cumulative),
        profiles=tuple(profiles),
        durations=tuple(regime.durations.get(name) for name in compiled.stages),
        options=options,
    )


def _pool_tables(
    all_regimes: list[Regime],
    pool_stages: Mapping[str, tuple[str, ...]],
    index: Mapping[str, int],
    clock: Clock,
) -> tuple[PoolTable, ...]:
    first = all_regimes[0]
    return tuple(
        PoolTable(
            name=name,
            panel=first.capacity[name].panel is not None,
            size=tuple(r.pool_size(name) for r in all_regimes),
            every=first.pool_every(name),
            first=first.pool_first(name, clock.start),
            stages=tuple(index[s] for s in stages),
        )
        for name, stages in pool_stages.items()
    )


def _notes(compiled: CompiledPathway, first: Regime, pooled: Mapping[str, int]) -> tuple[str, ...]:
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


def _track_entries(compiled: CompiledPathway, index: Mapping[str, int]) -> tuple[int, ...]:
    pathway = compiled.pathway
    return tuple(
        index[pathway.entry if t == compiled.tracks[0] else pathway.tracks[t].entry]
        for t in compiled.tracks
    )


def _opener(compiled: CompiledPathway) -> str:
    """The agency that opens journeys: the entry stage's first owner, or the first agency."""
    if compiled.entry.owners:
        return min(compiled.entry.owners)
    return min(compiled.pathway.agencies, default="")


def build_model(compiled: CompiledPathway, scenario: Scenario) -> SimModel:
    """The engine's tables for `scenario` on `compiled`; raises `DefinitionError` on problems."""
    builder = _Builder(compiled, scenario, [])
    document = scenario.document
    assert document.start is not None
    assert document.horizon is not None
    clock = Clock(document.start)
    problems = builder.problems
    problems.extend(check_scenario(compiled.pathway, scenario))
    if problems:
        raise DefinitionError(problems)
    index = {name: i for i, name in enumerate(compiled.stages)}
    pool_stages = capacity_stages(compiled.pathway, scenario)
    pool_names = list(pool_stages)
    pools_by_stage = {s: pool_names.index(p) for p, stages in pool_stages.items() for s in stages}
    all_regimes = regimes(scenario, clock.start)
    numbered = builder.profiles(all_regimes)
    tables = [
        _regime_table(regime, builder.options(regime, numbered, index), compiled, numbered)
        for regime in all_regimes
    ]
    if problems:
        raise DefinitionError(problems)
    return SimModel(
        pathway=compiled.pathway.id,
        scenario=scenario.id,
        start=document.start,
        horizon=document.horizon,
        warm_up=document.warm_up or 0.0,
        every=document.backlog_every or 7.0,
        tracks=compiled.tracks,
        track_entries=_track_entries(compiled, index),
        entry=index[compiled.pathway.entry],
        stages=builder.stage_tables(pools_by_stage),
        ways=builder.way_tables(index),
        pools=_pool_tables(all_regimes, pool_stages, index, clock),
        regimes=tuple(tables),
        attributes=tuple(compiled.pathway.profile),
        profile_values=tuple(numbered),
        changes=builder.changes(numbered),
        backlog=tuple(
            (index[name], entry.cases, entry.remaining) for name, entry in document.backlog.items()
        ),
        opener=_opener(compiled),
        notes=_notes(compiled, all_regimes[0], pools_by_stage),
        milestones=find_milestones(compiled, {str(t): s for t, s in document.milestones.items()}),
        warnings=capacity_warnings(document.start, pool_stages, all_regimes),
    )
