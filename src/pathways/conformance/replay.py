"""Replaying one journey's events against a pathway: which moves it allows, and the first that it
does not.

A journey's events say what happened (who made which handoff, from where to where, when). The
replay walks them against a pathway's rules, the same rules the runtime enforces
(`PathwayRules.refusal`): each handoff or timeout either *fits* (the pathway has it, from the
stage the journey was at on its track, for this victim's profile, made by an agency allowed to
make it, or by itself for a timeout) or is a *deviation*, with the reason in the runtime's own
words. After a deviation the replay follows the journey where it went, as token replay does, so
one wrong move is counted once and not again for every move after it.

Fitness is the share of moves that fit: handoffs, timeouts and declined referrals (a decline
fits when the pathway lets that handoff be declined, for that reason, back to where the journey
went). A journey with no moves yet fits. Profile changes are followed but not counted as moves,
and neither are the answers that accept a referral, pauses and resumptions.

The history replayed is the one in force: an event voided by a correction is left out, and an
amended event is taken at its corrected time. A journey withdrawn or closed early ends there; a
journey transferred to another area's pathway is replayed up to the transfer (what follows ran
on the other pathway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from pathways.definition.schema import MAIN_TRACK
from pathways.runtime.events import Event
from pathways.runtime.guards import PathwayRules, Value

__all__ = ["Deviation", "JourneyReplay", "StageVisit", "in_force", "replay"]


@dataclass(frozen=True, slots=True)
class Deviation:
    """A move the pathway does not allow: event `seq`, its handoff, who made it, from and to
    which stage, and why (`kind` is the runtime's refusal kind, or `unknown-handoff`,
    `unknown-stage`, `wrong-entry`)."""

    seq: int
    handoff: str
    by: str | None
    from_stage: str | None
    to_stage: str | None
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class StageVisit:
    """The journey at `stage` from `arrived` until `left` (None: still there)."""

    stage: str
    arrived: datetime
    left: datetime | None


@dataclass(frozen=True)
class JourneyReplay:
    """One journey replayed against one pathway."""

    case_ref: str
    moves: int
    fitting: int
    deviations: tuple[Deviation, ...]
    taken: tuple[tuple[str, str, str], ...]
    visits: tuple[StageVisit, ...] = field(repr=False)
    #: Each move as (event number, when, whether the pathway allows it), in order.
    steps: tuple[tuple[int, datetime, bool], ...] = field(default=(), repr=False)

    @property
    def fitness(self) -> float:
        """The share of moves the pathway allows (1.0 with no moves)."""
        return 1.0 if self.moves == 0 else self.fitting / self.moves

    @property
    def fits(self) -> bool:
        return not self.deviations

    @property
    def first_deviation(self) -> Deviation | None:
        return self.deviations[0] if self.deviations else None


class _Replayer:
    def __init__(self, rules: PathwayRules, case_ref: str) -> None:
        self.rules = rules
        self.case_ref = case_ref
        self.positions: dict[str, str] = {}
        self.profile: dict[str, Value] = {}
        self.arrived: dict[str, tuple[str, datetime]] = {}
        self.visits: list[StageVisit] = []
        self.deviations: list[Deviation] = []
        self.taken: list[tuple[str, str, str]] = []
        self.steps: list[tuple[int, datetime, bool]] = []
        self.moves = 0

    def start(self, event: Event) -> None:
        self.profile = dict(event.profile)
        stage = event.to_stage or ""
        entry = self.rules.pathway.entry
        if stage != entry:
            reason = f"the journey opens at '{stage}'; this pathway opens at '{entry}'"
            self.deviations.append(Deviation(0, "", event.by, None, stage, "wrong-entry", reason))
        self._arrive(MAIN_TRACK, stage, event.at)
        self._start_tracks(event.started, event.at)

    def profile_change(self, event: Event) -> None:
        if event.change is not None:
            self.profile[event.change.attribute] = event.change.after

    def move(self, event: Event) -> None:
        self.moves += 1
        name = event.trigger or ""
        agency = None if event.what == "timeout" else event.by
        deviation = self._deviation(event, name, agency)
        self.steps.append((event.seq, event.at, deviation is None))
        if deviation is None:
            rule = self.rules.handoffs[name]
            self.taken.append((name, event.from_stage or "", event.to_stage or ""))
            self._arrive(rule.track, rule.target, event.at)
            self._start_tracks(event.started, event.at)
            return
        self.deviations.append(deviation)
        self.taken.append((name, event.from_stage or "", event.to_stage or ""))
        target = event.to_stage or ""
        stage = self.rules.pathway.stages.get(target)
        if stage is not None:
            self._arrive(stage.track, target, event.at)
        self._start_tracks(event.started, event.at)

    def decline(self, event: Event) -> None:
        """A declined referral: a move back (or on) to where the handoff's decline goes."""
        self.moves += 1
        name = event.trigger or ""
        rule = self.rules.handoffs.get(name)
        acceptance = rule.handoff.acceptance if rule is not None else None
        reason: str | None = None
        if rule is None or acceptance is None:
            reason = f"this pathway does not let '{name}' be declined"
        elif event.reason not in acceptance.reasons:
            reason = f"'{event.reason}' is not a reason this pathway lets '{name}' be declined for"
        elif event.from_stage != self.positions.get(rule.track):
            reason = f"the journey was not at '{event.from_stage}' in this pathway"
        elif event.to_stage != (acceptance.declined_to or event.to_stage) or (
            acceptance.declined_to is None and event.to_stage not in rule.sources
        ):
            reason = f"a declined '{name}' does not go to '{event.to_stage}' in this pathway"
        self.steps.append((event.seq, event.at, reason is None))
        if reason is not None:
            self.deviations.append(
                Deviation(
                    event.seq, name, event.by, event.from_stage, event.to_stage, "decline", reason
                )
            )
        self.taken.append((f"declined:{name}", event.from_stage or "", event.to_stage or ""))
        stage = self.rules.pathway.stages.get(event.to_stage or "")
        if stage is not None:
            self._arrive(stage.track, event.to_stage or "", event.at)

    def end(self, event: Event) -> None:
        """The journey withdrawn, closed early or transferred: every visit ends here."""
        for track in list(self.arrived):
            self._arrive(track, "", event.at)
            del self.arrived[track]
        self.positions.clear()

    def _deviation(self, event: Event, name: str, agency: str | None) -> Deviation | None:
        def found(kind: str, reason: str) -> Deviation:
            return Deviation(
                event.seq, name, event.by, event.from_stage, event.to_stage, kind, reason
            )

        rule = self.rules.handoffs.get(name)
        if rule is None:
            return found("unknown-handoff", f"this pathway has no handoff '{name}'")
        if event.to_stage is not None and event.to_stage != rule.target:
            reason = f"'{name}' goes to '{rule.target}' in this pathway, not to '{event.to_stage}'"
            return found("unknown-stage", reason)
        if event.what == "timeout" and not rule.timeout:
            return found("not-authorised", f"'{name}' does not happen by itself in this pathway")
        refusal = self.rules.refusal(self.positions, self.profile, name, agency)
        if refusal is None or refusal.kind == "sharing":
            return None
        return found(refusal.kind, refusal.message)

    def _arrive(self, track: str, stage: str, at: datetime) -> None:
        previous = self.arrived.get(track)
        if previous is not None:
            self.visits.append(StageVisit(previous[0], previous[1], at))
        self.positions[track] = stage
        self.arrived[track] = (stage, at)

    def _start_tracks(self, tracks: Iterable[str], at: datetime) -> None:
        for track in tracks:
            spec = self.rules.pathway.tracks.get(track)
            if spec is not None and track != MAIN_TRACK:
                self._arrive(track, spec.entry, at)

    def finish(self) -> JourneyReplay:
        visits = [*self.visits, *(StageVisit(s, at, None) for s, at in self.arrived.values())]
        return JourneyReplay(
            self.case_ref,
            self.moves,
            self.moves - sum(1 for d in self.deviations if d.seq > 0),
            tuple(self.deviations),
            tuple(self.taken),
            tuple(visits),
            tuple(self.steps),
        )


def in_force(events: Iterable[Event]) -> list[Event]:
    """The events a journey's corrections leave in force, amended ones at their new time."""
    listed = list(events)
    voided = {e.ref for e in listed if e.what == "voided"}
    amended = {e.ref: dict(e.detail).get("at") for e in listed if e.what == "amended"}
    kept: list[Event] = []
    for event in listed:
        if event.what in ("voided", "amended") or event.seq in voided:
            continue
        when = amended.get(event.seq)
        kept.append(replace(event, at=datetime.fromisoformat(when)) if when else event)
    return kept


def replay(rules: PathwayRules, case_ref: str, events: Iterable[Event]) -> JourneyReplay:
    """Replay `events` (a journey's history, in order) against `rules` (a compiled pathway)."""
    replayer = _Replayer(rules, case_ref)
    for event in in_force(events):
        if event.what == "started":
            replayer.start(event)
        elif event.what == "profile":
            replayer.profile_change(event)
        elif event.what in ("handoff", "timeout"):
            replayer.move(event)
        elif event.what == "declined":
            replayer.decline(event)
        elif event.what in ("withdrawn", "closed-early", "transferred"):
            replayer.end(event)
            break
    return replayer.finish()
