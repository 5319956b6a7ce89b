"""The quarter's figures for one pathway, worked out from the events in the journey store.

```python
facts = [walk(journey.compiled, journey.history, period) for journey in journeys]
tables = figures(pathway, facts, period)
```

`walk` reads one journey's events up to the end of the period and keeps only what the tables
need (times, counts, stage names): never the case reference. `figures` adds the journeys up
into the tables, each count kept a quarter at a time and rounded as `pathways.board.suppress`
says: journeys by the quarter they were opened in, referrals and outcomes by the quarter they
happened in; the decisions pending when the period ends are one count.

A *retelling* is a stage asking for an item (for example `victim-account`) the person already
told an earlier stage of the journey, when the agency that owns the stage neither collected it
before nor received it along a handoff that shared it: the one definition in
`pathways.definition.retelling`, used by the `repeat-story` check too, applied to what
actually happened.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from weakref import WeakKeyDictionary

from pathways.board.period import Period
from pathways.board.suppress import Count, Draft, Statistic, Table
from pathways.definition.retelling import Sharing
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.definition.vocabulary import OUTCOMES
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.deadlines import deadlines
from pathways.runtime.events import Event
from pathways.runtime.guards import Value

__all__ = ["REFERRAL_TAGS", "Facts", "by_quarter", "figures", "walk"]

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
    memory = _sharing(compiled).memory()
    profile: dict[str, Value] = {}
    facts = Facts(opened=events[0].at)

    def arrive(track: str, stage: str, at: datetime) -> None:
        positions[track], arrivals[track] = stage, at
        declared = pathway.stages.get(stage)
        if declared is not None:
            facts.retellings += len(memory.arrive(stage))
            for tag in declared.tags:
                if tag in REFERRAL_TAGS:
                    facts.referred.setdefault(tag, at)
            if declared.outcome is not None:
                facts.outcomes.append((track, declared.outcome, at))

    for event in events:
        if event.at >= period.end:
            break
        if event.what == "started" and event.to_stage is not None:
            profile = dict(event.profile)
            arrive(MAIN_TRACK, event.to_stage, event.at)
        elif event.what == "profile" and event.change is not None:
            profile[event.change.attribute] = event.change.after
        elif event.to_stage is not None:
            facts.handoffs += 1
            track = _track(pathway, positions, event.from_stage)
            entries = [pathway.tracks[t].entry for t in event.started if t in pathway.tracks]
            memory.hand(event.shares, event.from_stage, (event.to_stage, *entries))
            for started in event.started:
                if started in pathway.tracks:
                    arrive(started, pathway.tracks[started].entry, event.at)
            arrive(track, event.to_stage, event.at)
    facts.deciding = _deciding(compiled, positions, arrivals, profile, period)
    return facts


_SHARING: WeakKeyDictionary[CompiledPathway, Sharing] = WeakKeyDictionary()


def _sharing(compiled: CompiledPathway) -> Sharing:
    """The pathway's holders, numbered once per compiled pathway (not once per journey)."""
    found = _SHARING.get(compiled)
    if found is None:
        found = _SHARING[compiled] = Sharing(compiled.pathway)
    return found


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
    start, end = period.start, period.end
    cohort = [f for f in found if start <= f.opened < end]
    return (
        _referrals(cohort, period),
        _time_to_referral(found, period),
        _decisions(pathway, found),
        _handoffs(cohort, period),
        _outcomes(found, period),
    )


def by_quarter(period: Period, times: Iterable[datetime]) -> Count:
    """How many of `times` fall in each quarter of `period` (those outside it are left out)."""
    return _summed(period, ((at, 1) for at in times))


def _summed(period: Period, items: Iterable[tuple[datetime, int]]) -> Count:
    """The sum of the numbers in `items` whose time falls in each quarter of `period`."""
    bounds = _bounds(period)
    parts = [0] * len(bounds)
    for at, number in items:
        index = _quarter_of(bounds, at)
        if index is not None:
            parts[index] += number
    return Count(tuple(parts))


@cache
def _bounds(period: Period) -> tuple[tuple[datetime, datetime], ...]:
    return tuple((piece.start, piece.end) for piece in period.quarters)


def _quarter_of(bounds: tuple[tuple[datetime, datetime], ...], at: datetime) -> int | None:
    for index, (start, end) in enumerate(bounds):
        if start <= at < end:
            return index
    return None


def _referrals(cohort: list[Facts], period: Period) -> Table:
    draft = Draft(
        "referrals",
        "Referrals",
        "Journeys opened in the period: each is one person identified as a possible victim "
        "and brought onto the pathway.",
        (("journeys", "journeys"),),
    )
    draft.row(
        "opened", "Journeys opened in the period", by_quarter(period, (f.opened for f in cohort))
    )
    return draft.finish()


def _time_to_referral(found: list[Facts], period: Period) -> Table:
    draft = Draft(
        "time-to-referral",
        "Time from identification to referral",
        "For journeys that first reached an NRM referral or a duty-to-notify stage in the "
        "period: the median number of days from the journey's start (identification) to "
        "that stage.",
        (("journeys", "journeys"), ("median-days", "median days")),
    )
    start, end = period.start, period.end
    for tag, words in REFERRAL_TAGS.items():
        reached = [f for f in found if tag in f.referred and start <= f.referred[tag] < end]
        days = [(f.referred[tag] - f.opened).total_seconds() / _DAY for f in reached]
        count = by_quarter(period, (f.referred[tag] for f in reached))
        median = statistics.median(days) if days else None
        draft.row(tag, words, count, Statistic(median, count))
    return draft.finish()


def _decisions(pathway: Pathway, found: list[Facts]) -> Table:
    draft = Draft(
        "decisions",
        "Decisions pending at the end of the period",
        "Journeys waiting at a decision stage when the period ended, and how many of those "
        "had run past the stage's time limit (or a handoff deadline from it).",
        (("pending", "pending"), ("overdue", "overdue")),
        note="Decision stages whose figures are all 0 are left out.",
    )
    order = {name: index for index, name in enumerate(pathway.stages)}
    pending: dict[str, list[bool]] = {}
    titles: dict[str, str] = {}
    for facts in found:
        for stage, title, late in facts.deciding:
            pending.setdefault(stage, []).append(late)
            titles[stage] = pathway.stages[stage].title if stage in pathway.stages else title
    every: list[int] = []
    overdue: list[int] = []
    for stage in sorted(pending, key=lambda s: (order.get(s, len(order)), s)):
        lates = pending[stage]
        every.append(len(lates))
        overdue.append(sum(lates))
        _row_unless_zero(draft, stage, titles[stage], Count((every[-1],)), Count((overdue[-1],)))
    draft.row("all", "All decision stages", Count(tuple(every)), Count(tuple(overdue)))
    return draft.finish()


def _handoffs(cohort: list[Facts], period: Period) -> Table:
    draft = Draft(
        "handoffs",
        "Handoffs and retellings per journey",
        "For journeys opened in the period, counted to the end of the period: handoffs "
        "between stages (including those that happen when a time limit runs out), and "
        "retellings (the person asked again for something they had already told an earlier "
        "stage, by an agency that had not been given it along a handoff that shared it).",
        (
            ("journeys", "journeys"),
            ("total", "total"),
            ("mean", "mean per journey"),
            ("median", "median per journey"),
            ("journeys-with-any", "journeys with at least one"),
        ),
    )
    size = by_quarter(period, (f.opened for f in cohort))
    counted: tuple[tuple[str, str, Callable[[Facts], int]], ...] = (
        ("handoffs", "Handoffs", lambda f: f.handoffs),
        ("retellings", "Retellings", lambda f: f.retellings),
    )
    for key, words, number in counted:
        counts = [number(f) for f in cohort]
        total = _summed(period, ((f.opened, number(f)) for f in cohort))
        some = by_quarter(period, (f.opened for f in cohort if number(f)))
        mean = total.published / size.published if size.published else None
        median = statistics.median(counts) if counts else None
        draft.row(
            key,
            words,
            size,
            total,
            Statistic(mean, size),
            Statistic(median, size),
            some,
        )
    return draft.finish()


def _outcomes(found: list[Facts], period: Period) -> Table:
    draft = Draft(
        "outcomes",
        "Outcomes reached in the period",
        "Outcomes reached in the period, by kind: on the journey's main track (one per "
        "journey) and on its other tracks (police investigation, safeguarding, housing and "
        "so on; a journey can have several).",
        (("main", "main track"), ("other", "other tracks")),
        note="Kinds of outcome whose figures are all 0 are left out.",
    )
    bounds = _bounds(period)
    parts: dict[tuple[str, bool], list[int]] = {}
    for facts in found:
        for track, kind, at in facts.outcomes:
            index = _quarter_of(bounds, at)
            if index is not None:
                counted = parts.setdefault((kind, track == MAIN_TRACK), [0] * len(bounds))
                counted[index] += 1
    every: dict[bool, list[int]] = {True: [], False: []}
    for kind in OUTCOMES:
        zero = [0] * len(bounds)
        for side in every:
            every[side] += parts.get((kind, side), zero)
        main = Count(tuple(parts.get((kind, True), zero)))
        other = Count(tuple(parts.get((kind, False), zero)))
        _row_unless_zero(draft, kind, OUTCOME_WORDS.get(kind, kind), main, other)
    draft.row("all", "All outcomes", Count(tuple(every[True])), Count(tuple(every[False])))
    return draft.finish()


def _row_unless_zero(draft: Draft, key: str, label: str, *counts: Count) -> None:
    """A row, left out when every count in it is published as 0 (which gives nothing away:
    a reader can see that from the published figures themselves)."""
    if any(count.published for count in counts):
        draft.row(key, label, *counts)
