"""The plain tables the engine runs on: stages, handoffs, capacity pools and regimes by index.

`model.build_model` fills them once from a `CompiledPathway` and a scenario; they hold only
numbers, names and tuples, so they are cheap to send to worker processes and the engine needs no
pathway objects. Profiles are numbered: profile `i` is `profile_values[i]`, one value per
attribute of the pathway's `profile`, in the order written there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pathways.errors import Location
from pathways.simulation.engine.milestones import Milestones
from pathways.simulation.scenario.distributions import DurationSpec

__all__ = [
    "Decliner",
    "Limit",
    "Option",
    "PoolTable",
    "RegimeTable",
    "SimModel",
    "StageTable",
    "WayTable",
]

#: A time limit: (days, counted in working days?).
Limit = tuple[int, bool]
#: How a handoff's referrals from one stage are declined: cumulative probabilities of each
#: reason, the way taken for each, and the time the answer takes (None: straight away).
Decliner = tuple[tuple[float, ...], tuple[int, ...], Limit | None]


@dataclass(frozen=True, slots=True)
class StageTable:
    """A stage: its track, kind, capacity pool (-1: none) and limits.

    `timed` says whether a timeout leaves it; `only_way` is the index of its one handoff when
    that handoff is open to every profile in every regime and is not a timeout (else -1).
    """

    name: str
    title: str
    track: int
    kind: str
    outcome: str | None
    support: bool
    pool: int
    at_least: Limit | None
    within: Limit | None
    collects: int
    timed: bool
    only_way: int
    #: the stage's agency as a holder bit, and the items it asks for by number
    #: (`pathways.definition.retelling`)
    owner: int = 0
    asks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WayTable:
    """A handoff: where it goes, whether it is a timeout, and the tracks it starts or awaits."""

    name: str
    to: int
    timeout: bool
    within: Limit | None
    starts: tuple[int, ...]
    waits_for: tuple[int, ...]
    agency: str
    #: the items it shares by number, and the holder bits of the stages it lands at
    shares: tuple[int, ...] = ()
    receivers: int = 0


@dataclass(frozen=True, slots=True)
class Option:
    """The ways on from one stage for one profile in one regime.

    `ways` are the handoff indices an agency chooses between, with cumulative probabilities
    `cumulative` (the last is 1); `timeout` is the index of the handoff that happens by itself
    when its time runs out, or -1.
    """

    ways: tuple[int, ...]
    cumulative: tuple[float, ...]
    timeout: int


@dataclass(frozen=True, slots=True)
class PoolTable:
    """An agency's capacity: caseworkers (`panel` false) or a panel meeting every `every` days.

    `size` gives, per regime, the number of caseworkers or the cases a panel decides per meeting.
    """

    name: str
    panel: bool
    size: tuple[int, ...]
    every: float
    first: float
    stages: tuple[int, ...]
    #: The size from each time it changes (dated changes and recurring absences), the first at
    #: day 0; without absences, one point per regime.
    timeline: tuple[tuple[float, int], ...] = ()


@dataclass(frozen=True, slots=True)
class RegimeTable:
    """Everything that may change on a date, in force from `starts` (days) on."""

    starts: float
    per_year: float
    monthly: tuple[float, ...]
    channels: tuple[str, ...]
    channel_cumulative: tuple[float, ...]
    profiles: tuple[tuple[tuple[int, ...], tuple[float, ...]], ...]
    durations: tuple[DurationSpec | None, ...]
    options: Mapping[int, Option]


@dataclass(frozen=True, slots=True)
class SimModel:
    """A pathway and a scenario, as tables. Times are days from `start`."""

    pathway: str
    scenario: str
    start: date
    horizon: float
    warm_up: float
    every: float
    tracks: tuple[str, ...]
    track_entries: tuple[int, ...]
    entry: int
    stages: tuple[StageTable, ...]
    ways: tuple[WayTable, ...]
    pools: tuple[PoolTable, ...]
    regimes: tuple[RegimeTable, ...]
    attributes: tuple[str, ...]
    profile_values: tuple[tuple[str | bool, ...], ...]
    changes: Mapping[int, tuple[tuple[float, int], ...]]
    backlog: tuple[tuple[int, int, DurationSpec | None], ...]
    opener: str
    notes: tuple[str, ...]
    milestones: Milestones = Milestones()  # noqa: RUF009 - frozen, so one shared default is safe
    warnings: tuple[str, ...] = ()
    #: Per stage: whether a journey can come back to it (a handoff leads back round to it).
    revisited: tuple[bool, ...] = ()
    #: Cases open on day 0 from the backlog table, oldest referral first: (stage, referral
    #: time in days, negative or 0; cases; profile number drawn -> profile number with the
    #: row's values).
    starting: tuple[tuple[int, float, int, Mapping[int, int]], ...] = ()
    #: Stages shared between capacity entries (`split`): stage -> (the pools, in order; per
    #: profile, their cumulative shares).
    split: Mapping[int, tuple[tuple[int, ...], Mapping[int, tuple[float, ...]]]] = field(
        default_factory=dict
    )
    #: Stages people leave early (`attrition`): stage -> (total rate per day, cumulative shares
    #: of the ways of leaving, the handoff index of each: a timeout-like way to its outcome).
    attrition: Mapping[int, tuple[float, tuple[float, ...], tuple[int, ...]]] = field(
        default_factory=dict
    )
    #: Declinable handoffs (`declines`): way -> stage it leaves -> how it is declined; the
    #: ways they take come after the attrition ways.
    declines: Mapping[int, Mapping[int, Decliner]] = field(default_factory=dict)
    #: Stages whose clock may be paused (`pauses`): stage -> (probability, duration).
    pauses: Mapping[int, tuple[float, DurationSpec]] = field(default_factory=dict)
    #: Pools whose queues serve priority classes (`priorities`): pool -> (the classes, most
    #: urgent first; per profile, their cumulative shares).
    priorities: Mapping[int, tuple[tuple[str, ...], Mapping[int, tuple[float, ...]]]] = field(
        default_factory=dict
    )
    #: Per pool: the stages where that team takes its own time (stage -> duration).
    team_durations: tuple[Mapping[int, DurationSpec], ...] = ()
    #: Per stage: where the pathway file writes it (None: not known, or added by the scenario).
    stage_places: tuple[Location | None, ...] = ()

    def option(self, regime: int, stage: int, profile: int) -> Option | None:
        """The ways on from `stage` for `profile` in `regime` (None: a dead end)."""
        return self.regimes[regime].options.get(stage * len(self.profile_values) + profile)
