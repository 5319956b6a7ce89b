"""Check a scenario against the pathway it simulates: every name it uses must exist there.

Stages, handoffs, agencies, profile attributes and values, profile changes and cited sources are
checked; every problem is reported at once, with its place in the file, as pathway problems are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.errors import Location, Problem
from pathways.simulation.scenario.attrition import check_attrition
from pathways.simulation.scenario.declines import check_declines
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.mix import check_choice, order, value_names
from pathways.simulation.scenario.pauses import check_pauses
from pathways.simulation.scenario.priorities import check_priorities
from pathways.simulation.scenario.regimes import capacity_stages
from pathways.simulation.scenario.schema import Capacity, Choice, ScenarioDocument
from pathways.simulation.scenario.teams import check_split
from pathways.simulation.scenario.unknown import check_unknown
from pathways.simulation.scenario.withdrawals import check_withdrawals

__all__ = ["check_scenario"]


def _unknown(
    kind: str, name: str, options: Iterable[str], at: Location | None, what: str
) -> Problem:
    known = list(options)
    return Problem(
        f"unknown-{kind}",
        f"{what} names '{name}', which is not a {kind} of the pathway",
        at,
        expected=one_of(known),
        hint=did_you_mean(name, known) or "check the spelling",
    )


class _Checker:
    def __init__(self, pathway: Pathway, scenario: Scenario) -> None:
        self.pathway = pathway
        self.scenario = scenario
        self.problems: list[Problem] = []

    def at(self, section: str, name: str = "", *rest: str | int) -> Location | None:
        return self.scenario.location(section, name, *rest) or self.scenario.location(section)

    def add(self, code: str, message: str, at: Location | None, expected: str, hint: str) -> None:
        self.problems.append(Problem(code, message, at, expected=expected, hint=hint))

    def profile(self, choices: Mapping[str, Choice], where: str, at: Location | None) -> None:
        attributes = self.pathway.profile
        for name, choice in choices.items():
            attribute = attributes.get(name)
            if attribute is None:
                self.problems.append(_unknown("attribute", name, attributes, at, where))
                continue
            self.problems.extend(
                check_choice(
                    choice,
                    value_names(attribute),
                    f"{where}.{name}",
                    at,
                    attributes,
                    attribute.flag,
                )
            )
        if order(choices) is None:
            self.add(
                "profile-loop",
                f"in {where}, attributes depend on each other in a loop",
                at,
                "each attribute depends on at most one that does not depend on it",
                "remove one 'depends_on'",
            )

    def stage(self, name: str, at: Location | None, what: str) -> bool:
        stage = self.pathway.stages.get(name)
        if stage is None:
            self.problems.append(_unknown("stage", name, self.pathway.stages, at, what))
            return False
        if stage.kind == "outcome":
            self.add(
                "outcome-stage",
                f"{what} names '{name}', an outcome stage, where a journey stays no time",
                at,
                "a stage that is not an outcome",
                "remove this entry",
            )
            return False
        return True

    def branches(self, branches: Mapping[str, Choice], section: str) -> None:
        for stage, choice in branches.items():
            at = self.at(section, stage)
            if not self.stage(stage, at, f"branches.{stage}"):
                continue
            ways = tuple(
                h for h in self.pathway.handoffs_from(stage) if not self.pathway.handoffs[h].timeout
            )
            self.problems.extend(
                check_choice(choice, ways, f"branches.{stage}", at, self.pathway.profile, False)
            )

    def durations(self, names: Iterable[str], section: str) -> None:
        for stage in names:
            self.stage(stage, self.at(section, stage), f"durations.{stage}")

    def capacity(self, capacity: Mapping[str, Capacity], section: str, base: bool) -> None:
        existing = self.scenario.document.capacity
        for name, entry in capacity.items():
            at = self.at(section, name)
            agency = entry.agency or (existing[name].agency if name in existing else None) or name
            if agency not in self.pathway.agencies:
                self.problems.append(_unknown("agency", agency, self.pathway.agencies, at, section))
                continue
            if (entry.caseworkers is None) == (entry.panel is None):
                self.add(
                    "bad-capacity",
                    f"capacity.{name} should give either 'caseworkers' or 'panel'",
                    at,
                    "'caseworkers: 2' or 'panel: {every: 1 week, cases: 8}'",
                    "a pool of caseworkers and a panel are separate entries",
                )
            elif entry.panel is not None and (
                entry.panel.every.working or not entry.panel.every.days
            ):
                self.add(
                    "bad-capacity",
                    f"capacity.{name}: a panel meets every so many calendar days (at least 1)",
                    at,
                    "every: 1 week, or every: 14 days",
                    "write the time between meetings in calendar days or weeks",
                )
            elif (
                not base
                and name in existing
                and (entry.panel is None) != (existing[name].panel is None)
            ):
                self.add(
                    "bad-capacity",
                    f"a change cannot turn capacity.{name} from caseworkers into a panel (or back)",
                    at,
                    "the same kind of capacity as the scenario gives",
                    "change only the number of caseworkers or the cases per meeting",
                )
            elif not base and name not in existing:
                self.add(
                    "bad-capacity",
                    f"a change gives capacity for '{name}', which the scenario has none for",
                    at,
                    one_of(existing),
                    f"add capacity.{name} to the scenario itself first",
                )
            for absence in entry.absences:
                problem = absence.problem()
                if problem is not None:
                    self.add(
                        "bad-capacity",
                        f"capacity.{name}.absences: {problem}",
                        at,
                        "{every: week, on: [friday], away: 1} or "
                        "{every: year, from: 12-24, to: 01-01, away: 2}",
                        "see 'Staff calendars' in the simulation guide",
                    )
            for stage in entry.stages:
                if self.stage(stage, at, f"capacity.{name}.stages"):
                    owner = self.pathway.stages[stage].owner
                    if agency not in self.pathway.owner_agencies(owner):
                        self.add(
                            "not-owner",
                            f"capacity.{name} lists '{stage}', which {agency} does not own",
                            at,
                            f"stages owned by {agency}",
                            f"'{stage}' is owned by '{owner}'",
                        )

    def pools(self) -> None:
        seen: dict[str, str] = {}
        durations = self.scenario.document.durations
        for pool, stages in capacity_stages(self.pathway, self.scenario).items():
            at = self.at("capacity", pool)
            if not stages:
                self.add(
                    "no-stages",
                    f"capacity.{pool} serves no stage: {pool} owns none on its own",
                    at,
                    "'stages: [...]' naming the stages it serves",
                    "list the stages under 'stages:'",
                )
            is_panel = self.scenario.document.capacity[pool].panel is not None
            for stage in stages:
                if stage in seen and stage not in self.scenario.document.split:
                    self.add(
                        "shared-stage",
                        f"stage '{stage}' is served by both {seen[stage]} and {pool}",
                        at,
                        "each stage in one capacity entry at most",
                        f"remove '{stage}' from one of them",
                    )
                seen[stage] = pool
                if not is_panel and stage not in durations:
                    self.add(
                        "missing-duration",
                        f"stage '{stage}' is served by caseworkers but has no duration",
                        at,
                        f"an entry 'durations: {stage}: ...'",
                        "say how long a caseworker spends on a case, e.g. '2 working days'",
                    )

    def cites(self, cites: Iterable[str], at: Location | None) -> None:
        known = {*self.scenario.document.sources, *self.scenario.document.assumptions}
        for key in cites:
            if key not in known:
                self.problems.append(
                    Problem(
                        "unknown-source",
                        f"'{key}' is cited, but it is not in 'sources' or 'assumptions'",
                        at,
                        expected=one_of(sorted(known)),
                        hint=did_you_mean(key, known) or "add it under 'sources:'",
                    )
                )

    def run(self) -> list[Problem]:
        document, pathway = self.scenario.document, self.pathway
        if document.pathway not in pathway.lineage:
            self.add(
                "wrong-pathway",
                f"this scenario is for pathway '{document.pathway}', not '{pathway.id}'",
                self.at("pathway"),
                f"pathway: {pathway.id}",
                "simulate it with the pathway it was written for",
            )
        horizon, warm_up = document.horizon or 0.0, document.warm_up_days()
        if warm_up < 0:
            self.add(
                "bad-warm-up",
                f"the warm-up ends on {document.warm_up}, before the simulation starts "
                f"({document.start})",
                self.at("warm_up"),
                f"a date from {document.start} on, or a length of time such as '1 year'",
                "the warm-up is the first stretch of the simulation, not time before it",
            )
        elif horizon <= 0 or warm_up >= horizon:
            self.add(
                "bad-horizon",
                f"the horizon ({horizon:g} days) must be longer than the warm-up ({warm_up:g})",
                self.at("horizon"),
                "horizon: 3 years with warm_up: 1 year",
                "results are collected after the warm-up, until the horizon",
            )
        for name in pathway.profile:
            if name not in document.profile:
                self.add(
                    "missing-probabilities",
                    f"the scenario says nothing about profile attribute '{name}'",
                    self.at("profile"),
                    f"'profile: {name}: ...' with a probability for each of its values",
                    f"add for example '{name}: {next(iter(value_names(pathway.profile[name])))}'",
                )
        self.profile(document.profile, "profile", self.at("profile"))
        assert document.arrivals is not None
        self.arrivals_checks(document.arrivals, self.at("arrivals"))
        self.branches(document.branches, "branches")
        self.durations(document.durations, "durations")
        for name, spec in document.durations.items():
            self.cites(spec.cites, self.at("durations", name))
        self.capacity(document.capacity, "capacity", base=True)
        self.pools()
        for name, entry in document.capacity.items():
            self.cites(entry.cites, self.at("capacity", name))
        for name, backlog in document.backlog.items():
            at = self.at("backlog", name)
            if self.stage(name, at, f"backlog.{name}") and pathway.stages[name].track != MAIN_TRACK:
                self.add(
                    "bad-backlog",
                    f"backlog.{name} is not on the main track",
                    at,
                    "a stage of the main track",
                    "waiting cases start on the main track",
                )
            self.cites(backlog.cites, at)
        self.profile_changes()
        self.regime_changes()
        checks = (check_split, check_attrition, check_declines, check_withdrawals, check_pauses)
        for check in (*checks, check_priorities, check_unknown):
            self.problems.extend(check(pathway, self.scenario))
        self.section_cites(document)
        self.milestones()
        return self.problems

    def section_cites(self, document: ScenarioDocument) -> None:
        """The sources cited under `withdrawals`, `unknown`, `attrition` and `priorities`."""
        withdrawals = document.withdrawals
        self.cites(withdrawals.cites if withdrawals else (), self.at("withdrawals"))
        for name, hidden in document.unknown.items():
            self.cites(hidden.cites, self.at("unknown", name))
        for name, ways in document.attrition.items():
            for way in ways:
                self.cites(way.cites, self.at("attrition", name))
        for name, priority in document.priorities.items():
            self.cites(priority.cites, self.at("priorities", name))

    def milestones(self) -> None:
        """Stages named as milestones exist, and decisions are decision stages."""
        for tag, stages in self.scenario.document.milestones.items():
            at = self.at("milestones", tag)
            for name in stages:
                if not self.stage(name, at, f"milestones.{tag}"):
                    continue
                if tag.endswith("-grounds") and self.pathway.stages[name].kind != "decision":
                    self.add(
                        "not-a-decision",
                        f"milestones.{tag} names '{name}', which is not a decision stage",
                        at,
                        "a stage of kind: decision",
                        "a decision's branches are the handoffs that leave a decision stage",
                    )

    def arrivals_checks(self, arrivals: object, at: Location | None) -> None:
        from pathways.simulation.scenario.schema import Arrivals

        assert isinstance(arrivals, Arrivals)
        self.cites(arrivals.cites, at)
        if len(arrivals.seasonality) not in (0, 4, 12) or any(w < 0 for w in arrivals.seasonality):
            self.add(
                "bad-seasonality",
                "arrivals.seasonality should have 4 or 12 weights",
                at,
                "4 quarterly or 12 monthly weights, such as [0.9, 1.0, 1.1, 1.0]",
                "weights are relative: only their proportions matter",
            )
        if arrivals.channels:
            total = math.fsum(c.share for c in arrivals.channels.values())
            if abs(total - 1.0) > 1e-6:
                self.add(
                    "bad-choice",
                    f"the channels' shares add up to {total:g}, not 1",
                    at,
                    "shares adding up to 1",
                    "check each channel's 'share'",
                )
        for name, channel in arrivals.channels.items():
            self.profile(channel.profile, f"arrivals.channels.{name}.profile", at)
            self.cites(channel.cites, at)

    def profile_changes(self) -> None:
        for index, change in enumerate(self.scenario.document.profile_changes or ()):
            at = self.at("profile_changes", str(index))
            self.cites(change.cites, at)
            attribute = self.pathway.profile.get(change.attribute)
            if attribute is None:
                self.problems.append(
                    _unknown(
                        "attribute", change.attribute, self.pathway.profile, at, "a profile change"
                    )
                )
                continue
            allowed = [(c.from_, c.to) for c in attribute.changes]
            if (change.from_, change.to) not in allowed:
                words = ", ".join(f"{a} -> {b}" for a, b in allowed) or "none"
                self.add(
                    "change-not-allowed",
                    f"the pathway does not allow {change.attribute} to change from "
                    f"'{change.from_}' to '{change.to}'",
                    at,
                    f"a change the pathway lists under profile.{change.attribute}.changes "
                    f"({words})",
                    "simulate only changes the runtime would accept",
                )

    def regime_changes(self) -> None:
        for index, change in enumerate(self.scenario.document.changes or ()):
            at = self.at("changes", str(index))
            self.cites(change.cites, at)
            if change.arrivals is not None:
                self.arrivals_checks(change.arrivals, at)
            self.profile(change.profile, f"changes[{index + 1}].profile", at)
            for stage, choice in change.branches.items():
                if self.stage(stage, at, f"changes[{index + 1}].branches"):
                    ways = self.pathway.handoffs_from(stage)
                    self.problems.extend(
                        check_choice(
                            choice, ways, f"branches.{stage}", at, self.pathway.profile, False
                        )
                    )
            for stage, spec in change.durations.items():
                self.stage(stage, at, f"changes[{index + 1}].durations")
                self.cites(spec.cites, at)
            self.capacity(change.capacity, "changes", base=False)


def check_scenario(pathway: Pathway, scenario: Scenario) -> list[Problem]:
    """Every problem with `scenario` as a scenario for `pathway`."""
    return _Checker(pathway, scenario).run()
