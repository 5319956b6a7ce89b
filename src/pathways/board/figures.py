"""The quarter's figures for one pathway, worked out from the events in the journey store.

```python
facts = [walk(journey.compiled, journey.history, period) for journey in journeys]
tables = figures(pathway, facts, period)
```

`walk` reads one journey's events up to the end of the period and keeps only what the tables
need (times, counts, stage names): never the case reference. `figures` adds the journeys up
into the tables, each suppressed as `pathways.board.suppress` says.

A *retelling* is arriving at a stage that collects an item (for example `victim-account`)
that an earlier stage on the journey already collected, when no handoff since shared it: the
same test as the `repeat-story` check, applied to what actually happened. A handoff that
starts a track carries what it shares into that track.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pathways.board.period import Period
from pathways.board.suppress import Count, Draft, Group, Statistic, Table
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.definition.vocabulary import OUTCOMES
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.deadlines import deadlines
from pathways.runtime.events import Event
from pathways.runtime.guards import Value

__all__ = ["REFERRAL_TAGS", "Facts", "figures", "walk"]

#: The stage tags that count as a referral, with the words a board reads.
REFERRAL_TAGS = {"nrm-referral": "NRM referral", "duty-to-notify": "Duty to notify"}

OUTCOME_WORDS = {
    "supported": "Supported",
    "moved-on": "Moved on from support",
    "exited": "Left the NRM",
    "closed-without-support": "Closed without support",
    "referred-elsewhere": "Helped outside the NRM",
    "charged": "Charged",
    "no-further-action": "No further action",
}

_DAY = 86400.0


@dataclass
class Facts:
    """What one journey contributes to the figures (no case reference is kept)."""

    opened: datetime
    handoffs: int = 0
    retellings: int = 0
    referred: dict[str, datetime] = field(default_factory=dict)  # tag -> first arrival
    outcomes: list[tuple[str, str, datetime]] = field(default_factory=list)  # track, kind, at
    deciding: list[tuple[str, str, bool]] = field(default_factory=list)  # stage, title, overdue


def walk(compiled: CompiledPathway, events: Sequence[Event], period: Period) -> Facts:
    """Follow one journey's events up to the end of `period`."""
    pathway = compiled.pathway
    positions: dict[str, str] = {}
    arrivals: dict[str, datetime] = {}
    unshared: dict[str, set[str]] = {}
    profile: dict[str, Value] = {}
    facts = Facts(opened=events[0].at)

    def arrive(track: str, stage: str, at: datetime, carried: set[str]) -> None:
        positions[track], arrivals[track] = stage, at
        declared = pathway.stages.get(stage)
        if declared is not None:
            for item in declared.collects:
                facts.retellings += item in carried
                carried.add(item)
            for tag in declared.tags:
                if tag in REFERRAL_TAGS:
                    facts.referred.setdefault(tag, at)
            if declared.outcome is not None:
                facts.outcomes.append((track, declared.outcome, at))
        unshared[track] = carried

    for event in events:
        if event.at >= period.end:
            break
        if event.what == "started" and event.to_stage is not None:
            profile = dict(event.profile)
            arrive(MAIN_TRACK, event.to_stage, event.at, set())
        elif event.what == "profile" and event.change is not None:
            profile[event.change.attribute] = event.change.after
        elif event.to_stage is not None:
            facts.handoffs += 1
            track = _track(pathway, positions, event.from_stage)
            carried = unshared.get(track, set()) - set(event.shares)
            for started in event.started:
                if started in pathway.tracks:
                    arrive(started, pathway.tracks[started].entry, event.at, set(carried))
            arrive(track, event.to_stage, event.at, carried)
    facts.deciding = _deciding(compiled, positions, arrivals, profile, period)
    return facts


def _track(pathway: Pathway, positions: dict[str, str], stage: str | None) -> str:
    for track, at in positions.items():
        if at == stage:
            return track
    declared = pathway.stages.get(stage or "")
    return declared.track if declared is not None else MAIN_TRACK


def _deciding(
    compiled: CompiledPathway,
    positions: dict[str, str],
    arrivals: dict[str, datetime],
    profile: dict[str, Value],
    period: Period,
) -> list[tuple[str, str, bool]]:
    """The decision stages the journey waits at when the period ends, and which are late."""
    stages = compiled.pathway.stages
    if any(stage not in stages for stage in positions.values()):
        return []  # moved to a version without this stage: its limits cannot be read
    late = {
        (d.track, d.stage)
        for d in deadlines(compiled, positions, arrivals, profile)
        if not d.timeout and d.overdue_from <= period.end
    }
    return [
        (stage, stages[stage].title, (track, stage) in late)
        for track, stage in positions.items()
        if stages[stage].kind == "decision"
    ]


def figures(pathway: Pathway, journeys: Iterable[Facts], period: Period) -> tuple[Table, ...]:
    """The report's tables for the journeys of one pathway."""
    found = list(journeys)
    cohort = [f for f in found if period.start <= f.opened < period.end]
    return (
        _referrals(cohort),
        _time_to_referral(found, period),
        _decisions(pathway, found),
        _handoffs(cohort),
        _outcomes(found, period),
    )


def _referrals(cohort: list[Facts]) -> Table:
    draft = Draft(
        "referrals",
        "Referrals",
        "Journeys opened in the period: each is one person identified as a possible victim "
        "and brought onto the pathway.",
        (("journeys", "journeys"),),
    )
    draft.row("opened", "Journeys opened in the period", Count(len(cohort)))
    return draft.finish()


def _time_to_referral(found: list[Facts], period: Period) -> Table:
    draft = Draft(
        "time-to-referral",
        "Time from identification to referral",
        "For journeys that first reached an NRM referral or a duty-to-notify stage in the "
        "period: the days from the journey's start (identification) to that stage.",
        (
            ("journeys", "journeys"),
            ("median-days", "median days"),
            ("mean-days", "mean days"),
        ),
    )
    for tag, words in REFERRAL_TAGS.items():
        days = [
            (f.referred[tag] - f.opened).total_seconds() / _DAY
            for f in found
            if tag in f.referred and period.start <= f.referred[tag] < period.end
        ]
        median = statistics.median(days) if days else None
        mean = statistics.fmean(days) if days else None
        draft.row(
            tag,
            words,
            Count(len(days)),
            Statistic(median, len(days)),
            Statistic(mean, len(days)),
        )
    return draft.finish()


def _decisions(pathway: Pathway, found: list[Facts]) -> Table:
    draft = Draft(
        "decisions",
        "Decisions pending at the end of the period",
        "Journeys waiting at a decision stage when the period ended, and how many of those "
        "had run past the stage's time limit (or a handoff deadline from it).",
        (("pending", "pending"), ("overdue", "overdue")),
        note="Decision stages with nothing pending are left out.",
    )
    order = {name: index for index, name in enumerate(pathway.stages)}
    pending: dict[str, list[bool]] = {}
    titles: dict[str, str] = {}
    for facts in found:
        for stage, title, late in facts.deciding:
            pending.setdefault(stage, []).append(late)
            titles[stage] = pathway.stages[stage].title if stage in pathway.stages else title
    rows: list[int] = []
    for stage in sorted(pending, key=lambda s: (order.get(s, len(order)), s)):
        lates = pending[stage]
        index = draft.row(stage, titles[stage], Count(len(lates)), Count(sum(lates)))
        draft.groups.append(Group((index, 0), ((index, 1),), (len(lates) - sum(lates),)))
        rows.append(index)
    every = [late for lates in pending.values() for late in lates]
    total = draft.row("all", "All decision stages", Count(len(every)), Count(sum(every)))
    draft.groups.append(Group((total, 0), ((total, 1),), (len(every) - sum(every),)))
    for column in (0, 1):
        draft.groups.append(Group((total, column), tuple((r, column) for r in rows)))
    return draft.finish()


def _handoffs(cohort: list[Facts]) -> Table:
    draft = Draft(
        "handoffs",
        "Handoffs and retellings per journey",
        "For journeys opened in the period, counted to the end of the period: handoffs "
        "between stages (including those that happen when a time limit runs out), and "
        "retellings (the person asked again for something an earlier stage already collected, "
        "when no handoff since had shared it).",
        (
            ("journeys", "journeys"),
            ("total", "total"),
            ("mean", "mean per journey"),
            ("median", "median per journey"),
            ("journeys-with-any", "journeys with at least one"),
        ),
    )
    size = len(cohort)
    for key, words, counts in (
        ("handoffs", "Handoffs", [f.handoffs for f in cohort]),
        ("retellings", "Retellings", [f.retellings for f in cohort]),
    ):
        some = sum(1 for c in counts if c)
        index = draft.row(
            key,
            words,
            Count(size),
            Count(sum(counts)),
            Statistic(statistics.fmean(counts) if counts else None, size),
            Statistic(statistics.median(counts) if counts else None, size),
            Count(some),
        )
        draft.groups.append(Group((index, 0), ((index, 4),), (size - some,)))
        draft.means.append(((index, 2), (index, 1)))
    return draft.finish()


def _outcomes(found: list[Facts], period: Period) -> Table:
    draft = Draft(
        "outcomes",
        "Outcomes reached in the period",
        "Outcomes reached in the period, by kind: on the journey's main track (one per "
        "journey) and on its other tracks (police investigation, safeguarding, housing and "
        "so on; a journey can have several).",
        (("main", "main track"), ("other", "other tracks")),
        note="Kinds of outcome that nobody reached are left out.",
    )
    main: dict[str, int] = {}
    other: dict[str, int] = {}
    for facts in found:
        for track, kind, at in facts.outcomes:
            if period.start <= at < period.end:
                side = main if track == MAIN_TRACK else other
                side[kind] = side.get(kind, 0) + 1
    rows = []
    for kind in (k for k in OUTCOMES if k in main or k in other):
        words = OUTCOME_WORDS.get(kind, kind)
        rows.append(draft.row(kind, words, Count(main.get(kind, 0)), Count(other.get(kind, 0))))
    total = draft.row("all", "All outcomes", Count(sum(main.values())), Count(sum(other.values())))
    for column in (0, 1):
        draft.groups.append(Group((total, column), tuple((r, column) for r in rows)))
    return draft.finish()
