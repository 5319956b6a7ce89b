"""A journey's lifecycle state: what a journey is besides the stage each track is at.

* `pending`: a referral that `require: acceptance` waits, on its track, for the receiving
  stage's owner to accept or decline it (the handoff, the stage it came from, since when);
* `paused`: a track whose stage clock is stopped, with the declared reason and since when;
* `held`: the working and calendar days a track's clock has been paused at its current stage,
  by which its deadlines move;
* `ended`: how the whole journey ended early (`withdrawn` or `closed-early`) and why;
* `voided` and `amended`: corrections in force (event number -> reason or corrected time).

It is plain, immutable data with a JSON-ready form (`to_data`, `from_data`) that a snapshot
carries under `lifecycle` only when it holds something, so journeys that use none of it keep
the snapshot they always had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pathways.runtime.events import utc_text

__all__ = ["EMPTY", "Lifecycle", "Paused", "Pending"]


@dataclass(frozen=True, slots=True)
class Pending:
    """A referral waiting for the receiving stage's owner to answer."""

    handoff: str
    source: str
    since: datetime


@dataclass(frozen=True, slots=True)
class Paused:
    """A track whose stage clock is stopped."""

    reason: str
    since: datetime


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """Everything about a journey's lifecycle, by track where it is per track."""

    pending: Mapping[str, Pending] = field(default_factory=dict)
    paused: Mapping[str, Paused] = field(default_factory=dict)
    held: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    ended: tuple[str, str] | None = None
    voided: Mapping[int, str] = field(default_factory=dict)
    amended: Mapping[int, datetime] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.pending or self.paused or self.held or self.ended or self.voided or self.amended
        )

    def arrived(self, track: str) -> Lifecycle:
        """The state once `track` has moved to a new stage: nothing pending, paused or held."""
        if track not in self.pending and track not in self.paused and track not in self.held:
            return self
        return replace(
            self,
            pending=_without(self.pending, track),
            paused=_without(self.paused, track),
            held=_without(self.held, track),
        )

    def with_pending(self, track: str, pending: Pending | None) -> Lifecycle:
        """`track` waiting for `pending` to be answered (None: answered)."""
        if pending is None:
            return replace(self, pending=_without(self.pending, track))
        return replace(self, pending={**self.pending, track: pending})

    def with_pause(self, track: str, paused: Paused | None, days: tuple[int, int]) -> Lifecycle:
        """`track` paused (or resumed, with None, adding `days` to what it has held)."""
        if paused is not None:
            return replace(self, paused={**self.paused, track: paused})
        before = self.held.get(track, (0, 0))
        held = {**self.held, track: (before[0] + days[0], before[1] + days[1])}
        return replace(self, paused=_without(self.paused, track), held=held)

    def ended_as(self, what: str, reason: str) -> Lifecycle:
        """The journey ended early (`withdrawn` or `closed-early`) for `reason`."""
        return replace(self, ended=(what, reason))

    def corrected(self, voided: Mapping[int, str], amended: Mapping[int, datetime]) -> Lifecycle:
        """The corrections in force, replaced."""
        return replace(self, voided=dict(voided), amended=dict(amended))

    def to_data(self) -> dict[str, Any] | None:
        """The JSON-ready form, with only the parts that hold something; None if nothing does."""
        if not self:
            return None
        data: dict[str, Any] = {}
        if self.pending:
            data["pending"] = {
                t: {"handoff": p.handoff, "from": p.source, "since": utc_text(p.since)}
                for t, p in sorted(self.pending.items())
            }
        if self.paused:
            data["paused"] = {
                t: {"reason": p.reason, "since": utc_text(p.since)}
                for t, p in sorted(self.paused.items())
            }
        if self.held:
            data["held"] = {t: list(days) for t, days in sorted(self.held.items())}
        if self.ended is not None:
            data["ended"] = {"what": self.ended[0], "reason": self.ended[1]}
        if self.voided:
            data["voided"] = {str(n): r for n, r in sorted(self.voided.items())}
        if self.amended:
            data["amended"] = {str(n): utc_text(at) for n, at in sorted(self.amended.items())}
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> Lifecycle:
        """Read `to_data`'s form (raising `KeyError`, `TypeError` or `ValueError` if malformed)."""
        if not data:
            return EMPTY
        ended = data.get("ended")
        return cls(
            pending={
                _text(t): Pending(_text(p["handoff"]), _text(p["from"]), _time(p["since"]))
                for t, p in data.get("pending", {}).items()
            },
            paused={
                _text(t): Paused(_text(p["reason"]), _time(p["since"]))
                for t, p in data.get("paused", {}).items()
            },
            held={_text(t): (_count(d[0]), _count(d[1])) for t, d in data.get("held", {}).items()},
            ended=None if ended is None else (_text(ended["what"]), _text(ended["reason"])),
            voided={int(n): _text(r) for n, r in data.get("voided", {}).items()},
            amended={int(n): _time(at) for n, at in data.get("amended", {}).items()},
        )


EMPTY = Lifecycle()


def _without(mapping: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not a number of days")
    return value


def _time(value: object) -> datetime:
    at = datetime.fromisoformat(_text(value))
    if at.tzinfo is None:
        raise ValueError(f"the time {value} has no time zone")
    return at
