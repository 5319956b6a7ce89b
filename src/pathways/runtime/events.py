"""What happened on a journey: immutable, ordered events with a canonical dictionary form.

An event records what happened, who did it, when, where the journey moved from and to, and the
names of any information shared (never the information itself). `Event.to_dict` is canonical:
the same keys every time, times in UTC, lists in the order recorded, so that the journey store
can hash-chain the JSON text of events and `Event.from_dict(e.to_dict()) == e`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal, get_args

from pathways.definition.profiles import Value
from pathways.errors import CorruptRecord

__all__ = ["OPTIONAL_KEYS", "Event", "EventKind", "ProfileChange", "utc_text"]

#: `started`: the journey opened; `handoff`: an agency moved it; `timeout`: a handoff happened by
#: itself when its time ran out; `profile`: a profile attribute changed; `accepted` and
#: `declined`: the receiving stage's owner answered a referral; `paused` and `resumed`: a stage's
#: clock stopped and started again; `withdrawn`, `closed-early` and `transferred`: the whole
#: journey ended here or moved to another area's pathway; `voided` and `amended`: a correction of
#: an earlier event (never an edit of it).
EventKind = Literal[
    "started",
    "handoff",
    "timeout",
    "profile",
    "accepted",
    "declined",
    "paused",
    "resumed",
    "withdrawn",
    "closed-early",
    "transferred",
    "voided",
    "amended",
]
_KINDS = frozenset(get_args(EventKind))
#: The keys of `Event.to_dict` written only when they are set, so that events recorded before
#: they existed keep their canonical form (and their hashes in a journey store).
OPTIONAL_KEYS = ("staff", "reason", "ref", "detail")


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """One profile attribute changing from one value to another."""

    attribute: str
    before: Value
    after: Value


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened on a journey.

    `seq` is its place in the history (0 for `started`); `by` is the agency, or None for a
    timeout; `started` lists the tracks the event started; `profile` is the whole profile, on
    the `started` event only; `change` is set on `profile` events only. `to_stage` is set only
    on events that move a track (`started`, `handoff`, `timeout`, `declined`, `transferred`):
    `accepted`, `paused` and `resumed` name the stage in `from_stage`. `staff` is the case
    system's opaque reference for the member of staff who recorded it; `reason` a declared
    reason (of a decline, pause, withdrawal or correction); `ref` the number of the event a
    correction corrects; `detail` what else the event needs to be done again (a transfer's
    target pathway and stage map, an amended time), as plain JSON-ready data.
    """

    seq: int
    what: EventKind
    at: datetime
    by: str | None = None
    trigger: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    shares: tuple[str, ...] = ()
    started: tuple[str, ...] = ()
    profile: tuple[tuple[str, Value], ...] = ()
    change: ProfileChange | None = None
    staff: str | None = None
    reason: str | None = None
    ref: int | None = None
    detail: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The canonical, JSON-ready form: every key, in a fixed order (`OPTIONAL_KEYS` only when
        they are set)."""
        change = self.change
        data: dict[str, Any] = {
            "seq": self.seq,
            "what": self.what,
            "at": utc_text(self.at),
            "by": self.by,
            "trigger": self.trigger,
            "from": self.from_stage,
            "to": self.to_stage,
            "shares": list(self.shares),
            "started": list(self.started),
            "profile": dict(self.profile) if self.what == "started" else None,
            "change": None
            if change is None
            else {"attribute": change.attribute, "from": change.before, "to": change.after},
        }
        if self.staff is not None:
            data["staff"] = self.staff
        if self.reason is not None:
            data["reason"] = self.reason
        if self.ref is not None:
            data["ref"] = self.ref
        if self.detail:
            data["detail"] = dict(self.detail)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """Read an event written by `to_dict`; refuse anything malformed with `CorruptRecord`."""
        try:
            return cls._read(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorruptRecord(f"a stored event cannot be read: {exc}") from None

    @classmethod
    def _read(cls, data: Mapping[str, Any]) -> Event:
        what = data["what"]
        if what not in _KINDS:
            raise ValueError(f"'{what}' is not a kind of event")
        at = datetime.fromisoformat(_text(data["at"]))
        if at.tzinfo is None:
            raise ValueError("its time has no time zone")
        seq = data["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("its sequence number is not a whole number")
        profile = data["profile"]
        change = data["change"]
        ref = data.get("ref")
        if ref is not None and (not isinstance(ref, int) or isinstance(ref, bool) or ref < 0):
            raise ValueError("the event it corrects is not a whole number")
        detail = data.get("detail")
        if detail is not None and not isinstance(detail, Mapping):
            raise TypeError("its detail is not a mapping")
        return cls(
            seq=seq,
            what=what,
            at=at,
            by=_optional(data["by"]),
            trigger=_optional(data["trigger"]),
            from_stage=_optional(data["from"]),
            to_stage=_optional(data["to"]),
            shares=tuple(_text(item) for item in data["shares"]),
            started=tuple(_text(track) for track in data["started"]),
            profile=()
            if profile is None
            else tuple(sorted((_text(k), _value(v)) for k, v in profile.items())),
            change=None
            if change is None
            else ProfileChange(
                _text(change["attribute"]), _value(change["from"]), _value(change["to"])
            ),
            staff=_optional(data.get("staff")),
            reason=_optional(data.get("reason")),
            ref=ref,
            detail=() if not detail else tuple(sorted((_text(k), v) for k, v in detail.items())),
        )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)


def _value(value: object) -> Value:
    if not isinstance(value, str | bool):
        raise TypeError(f"expected a profile value, found {type(value).__name__}")
    return value


def utc_text(at: datetime) -> str:
    """A time as journeys, snapshots and stores write it: ISO 8601 in UTC."""
    return _utc(at, at.fold)


# Cached: the same few instants are written again and again (an event's time, the arrival it
# makes, the journey's last event). Equal datetimes are the same instant, except the two
# readings of a wall time a clock goes back over (they differ only in `fold`, and compare and
# hash equal): hence the key.
@lru_cache(maxsize=1024)
def _utc(at: datetime, fold: int) -> str:
    return at.astimezone(UTC).isoformat()
