"""Build the engine's tables from a compiled pathway and a scenario, checking one against the other.

The simulator uses the runtime's own rules: each stage's ways on are the `HandoffRule`s of the
`CompiledPathway`, and whether a way is open to a profile is decided by the rule's compiled
condition (`HandoffRule.holds`). Profiles are finite, so this is done once, here, for every
profile the scenario can produce (arrivals and the profile changes it allows), per stage and per
regime; the engine then only looks up a table. Every reference in the scenario (stages, handoffs,
agencies, attribute values, sources) is checked, and all problems are reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from pathways.definition.durations import Duration
from pathways.definition.messages import one_of
from pathways.definition.profiles import Value
from pathways.definition.retelling import Sharing
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError, Location, Problem
from pathways.runtime.compiler import CompiledPathway
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.declines import decline_moves, decline_tables
from pathways.simulation.engine.milestones import find_milestones
from pathways.simulation.engine.overview import notes, opener, track_entries
from pathways.simulation.engine.pools import pool_tables
from pathways.simulation.engine.regime_tables import regime_table
from pathways.simulation.engine.shares import (
    attrition_table,
    cumulative,
    priority_table,
    split_table,
)
from pathways.simulation.engine.streams import revisited_stages
from pathways.simulation.engine.tables import (
    Decliner,
    Limit,
    Option,
    SimModel,
    StageTable,
    WayTable,
)
from pathways.simulation.engine.withdrawals import leaving_ways, withdrawn_name, withdrawn_stage
from pathways.simulation.scenario.attrition import Attrition
from pathways.simulation.scenario.consistency import check_scenario
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.mix import joint
from pathways.simulation.scenario.regimes import (
    Regime,
    capacity_stages,
    capacity_warnings,
    regimes,
)
from pathways.simulation.scenario.starting import StartingCase, starting_cases
from pathways.simulation.scenario.unknown import routed, with_unknown

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
        sharing = self.sharing
        leaving = self.leaving
        declined = self.scenario.document.declines
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
                    timed=any(exit.timeout for exit in rule.exits) or name in leaving,
                    only_way=ways.index(rule.exits[0].name)
                    if len(rule.exits) == 1
                    and rule.exits[0].condition is None
                    and not rule.exits[0].timeout
                    and name not in leaving
                    and rule.exits[0].name not in declined
                    else -1,
                    owner=sharing.owner[name],
                    asks=tuple(items[item] for item in stage.collects),
                )
            )
        if self.withdrawn is not None:
            tables.append(withdrawn_stage(self.withdrawn))
        return tuple(tables)

    @cached_property
    def withdrawn(self) -> str | None:
        """The name of the outcome withdrawn journeys end at (None: no `withdrawals`)."""
        return withdrawn_name(self.compiled, self.scenario.document.withdrawals)

    @cached_property
    def leaving(self) -> dict[str, tuple[Attrition, ...]]:
        """The ways of leaving each stage early: `attrition`, then withdrawing."""
        document = self.scenario.document
        return leaving_ways(self.pathway, document.attrition, document.withdrawals, self.withdrawn)

    @cached_property
    def sharing(self) -> Sharing:
        return Sharing(self.pathway)

    def way_tables(self, index: Mapping[str, int]) -> tuple[WayTable, ...]:
        """The pathway's handoffs, one way per stage and outcome of `attrition`, then the
        ways of declined referrals (`declines`)."""
        leaving = tuple(
            WayTable(f"{stage}-to-{entry.to}", index[entry.to], True, None, (), (), "")
            for stage, entries in self.leaving.items()
            for entry in entries
        )
        return self.handoff_tables(index) + leaving + self.declines(index)[0]

    def declines(
        self, index: Mapping[str, int]
    ) -> tuple[tuple[WayTable, ...], dict[int, dict[int, Decliner]]]:
        document = self.scenario.document
        first = len(self.compiled.handoffs) + sum(len(e) for e in self.leaving.values())
        ways = {name: i for i, name in enumerate(self.compiled.handoffs)}
        return decline_tables(self.pathway, document.declines, index, ways, first)

    def handoff_tables(self, index: Mapping[str, int]) -> tuple[WayTable, ...]:
        tracks = self.compiled.tracks
        items = {name: bit for bit, name in enumerate(self.pathway.information)}
        entries = {name: t.entry for name, t in self.pathway.tracks.items()}
        receivers = self.sharing.receivers
        return tuple(
            WayTable(
                name=name,
                to=index[rule.target],
                timeout=rule.timeout,
                within=_limit(rule.within),
                starts=tuple(tracks.index(t) for t in rule.starts),
                waits_for=tuple(tracks.index(t) for t in rule.waits_for),
                agency=min(rule.agencies) if rule.agencies else "",
                shares=tuple(items[item] for item in rule.handoff.shares),
                receivers=receivers(
                    (rule.target, *(entries[t] for t in rule.starts if t in entries))
                ),
            )
            for name, rule in self.compiled.handoffs.items()
        )

    def profiles(self, all_regimes: list[Regime]) -> dict[tuple[Value, ...], int]:
        """Number every profile that can arrive, then every profile reachable by a change."""
        attributes = self.pathway.profile
        hidden = self.scenario.document.unknown
        numbered: dict[tuple[Value, ...], int] = {}
        for regime in all_regimes:
            for choices in regime.mixes.values():
                for values in with_unknown(joint(choices, attributes), hidden, attributes):
                    numbered.setdefault(values, len(numbered))
        self.reachable(numbered, list(numbered))
        return numbered

    def reachable(
        self, numbered: dict[tuple[Value, ...], int], frontier: list[tuple[Value, ...]]
    ) -> None:
        """Number every profile reachable from `frontier` by the scenario's profile changes."""
        names = list(self.pathway.profile)
        while frontier:
            values = frontier.pop()
            for change in self.scenario.document.profile_changes or ():
                position = names.index(change.attribute)
                if values[position] == change.from_:
                    moved = (*values[:position], change.to, *values[position + 1 :])
                    if moved not in numbered:
                        numbered[moved] = len(numbered)
                        frontier.append(moved)

    def starting(
        self, cases: tuple[StartingCase, ...], numbered: dict[tuple[Value, ...], int]
    ) -> list[dict[int, int]]:
        """For each starting case, each profile that can be drawn -> that profile with the
        row's values (numbering the new profiles)."""
        names = list(self.pathway.profile)
        drawn = list(numbered.items())
        found = []
        for case in cases:
            given = dict(case.profile)
            mapping = {}
            for values, number in drawn:
                fixed = tuple(given.get(n, v) for n, v in zip(names, values, strict=True))
                if fixed not in numbered:
                    numbered[fixed] = len(numbered)
                    self.reachable(numbered, [fixed])
                mapping[number] = numbered[fixed]
            found.append(mapping)
        return found

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
        hidden = self.scenario.document.unknown
        for stage_name, rule in self.compiled.stages.items():
            if rule.outcome or not rule.exits:
                continue
            stage = index[stage_name]
            choice = regime.branches.get(stage_name)
            for values, number in numbered.items():
                known = routed(values, hidden, self.pathway.profile)
                profile = self.compiled.profile(dict(zip(names, known, strict=True)))
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
                    tuple(ways[c] for c in chosen), cumulative(weights), timeout
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


def build_model(compiled: CompiledPathway, scenario: Scenario) -> SimModel:
    """The engine's tables for `scenario` on `compiled`; raises `DefinitionError` on problems."""
    builder = _Builder(compiled, scenario, [])
    document = scenario.document
    assert document.start is not None
    assert document.horizon is not None
    clock = Clock(document.start)
    problems = builder.problems
    problems.extend(check_scenario(compiled.pathway, scenario))
    try:
        cases = tuple(sorted(starting_cases(compiled.pathway, scenario), key=lambda c: c.referred))
    except DefinitionError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DefinitionError(problems)
    index = {name: i for i, name in enumerate(compiled.stages)}
    if builder.withdrawn is not None:
        index[builder.withdrawn] = len(index)
    pool_stages = capacity_stages(compiled.pathway, scenario)
    pool_names = list(pool_stages)
    pools_by_stage = {s: pool_names.index(p) for p, stages in pool_stages.items() for s in stages}
    all_regimes = regimes(scenario, clock.start)
    numbered = builder.profiles(all_regimes)
    overrides = builder.starting(cases, numbered)
    tables = [
        regime_table(
            regime, builder.options(regime, numbered, index), compiled, numbered, document.unknown
        )
        for regime in all_regimes
    ]
    if problems:
        raise DefinitionError(problems)
    if builder.withdrawn is not None:  # the added outcome stage takes no time
        tables = [replace(table, durations=(*table.durations, None)) for table in tables]
    return SimModel(
        pathway=compiled.pathway.id,
        scenario=scenario.id,
        start=document.start,
        horizon=document.horizon,
        warm_up=document.warm_up_days(),
        every=document.backlog_every or 7.0,
        tracks=compiled.tracks,
        track_entries=track_entries(compiled, index),
        entry=index[compiled.pathway.entry],
        stages=builder.stage_tables(pools_by_stage),
        ways=builder.way_tables(index),
        pools=pool_tables(all_regimes, pool_stages, index, clock, int(document.horizon) + 800),
        regimes=tuple(tables),
        attributes=tuple(compiled.pathway.profile),
        profile_values=tuple(numbered),
        changes=builder.changes(numbered),
        backlog=tuple(
            (index[name], entry.cases, entry.remaining) for name, entry in document.backlog.items()
        ),
        opener=opener(compiled),
        notes=notes(compiled, all_regimes[0], pools_by_stage),
        milestones=find_milestones(compiled, {str(t): s for t, s in document.milestones.items()}),
        warnings=capacity_warnings(document.start, pool_stages, all_regimes),
        revisited=revisited_stages(compiled, decline_moves(compiled.pathway, document.declines))
        + (False,) * (len(index) - len(compiled.stages)),
        attrition=attrition_table(builder.leaving, index, len(compiled.handoffs)),
        declines=builder.declines(index)[1],
        pauses={index[s]: (p.probability, p.duration) for s, p in document.pauses.items()},
        split=split_table(compiled.pathway, scenario, index, pool_names, numbered),
        priorities=priority_table(compiled.pathway, scenario, pool_names, numbered),
        team_durations=tuple(
            {index[s]: spec for s, spec in document.capacity[name].durations.items()}
            for name in pool_names
        ),
        starting=tuple(
            (index[c.stage], float((c.referred - clock.start).days), c.cases, mapping)
            for c, mapping in zip(cases, overrides, strict=True)
        ),
        stage_places=_stage_places(compiled, index),
    )


def _stage_places(compiled: CompiledPathway, index: dict[str, int]) -> tuple[Location | None, ...]:
    """Where the pathway file writes each stage, in the engine's order (None for the outcome a
    scenario adds for withdrawals)."""
    return tuple(compiled.pathway.location("stages", name) for name in index)
