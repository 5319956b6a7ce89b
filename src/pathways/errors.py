"""Everything that can go wrong, as one exception tree rooted at `PathwayError`.

```text
PathwayError                      anything this library raises on purpose
├── DefinitionError (ValueError)  a pathway or scenario file is wrong; carries every Problem found
│   └── ConditionSyntaxError      a condition's text cannot be read (pathways.definition.conditions)
├── PeriodError (ValueError)      a board report period cannot be read (pathways.board.period)
├── DiagramTooLarge (ValueError)  an SVG or PNG picture is over its pixel budget (pathways.diagram)
├── JourneyError                  a case system asked for something the pathway does not allow
│   ├── HandoffNotAvailable       no such handoff from the stage the journey is at
│   ├── NotAuthorised (PermissionError)  this agency may not perform that handoff
│   ├── ConditionNotMet           the victim's profile does not meet the handoff's condition
│   ├── SharingNotPermitted (PermissionError)  an information item may not travel along that handoff
│   ├── JourneyClosed             every track has reached an outcome; nothing more can happen
│   ├── ProfileChangeRefused (ValueError)  that profile attribute may not change that way
│   ├── WaitingForTrack           the handoff waits for a parallel track to reach an outcome
│   ├── InvalidProfile (ValueError)  a profile does not give one declared value per attribute
│   ├── InvalidCaseReference (ValueError)  a case reference that is empty or looks like free text
│   ├── InvalidTime (ValueError)  no time zone, before the last event, absurd or too far ahead
│   ├── TooEarly                  the stage's minimum time (`at_least`) has not yet run
│   ├── AwaitingAcceptance        a referral waits for the receiving agency to accept or decline
│   ├── ActionRefused (ValueError)  an accept, decline, pause, withdrawal, transfer or correction
│   │                             the pathway does not allow (an undeclared reason, say)
│   ├── InvalidStaffReference (ValueError)  a staff reference that looks like a name or free text
│   └── HistoryNotLoaded          the journey was bound without its events, so has no history here
└── StoreError                    the journey store could not do what was asked
    ├── JourneyNotFound (LookupError)
    ├── DuplicateJourney (ValueError)
    ├── ConcurrentUpdate          someone else changed the journey first; reload and retry
    ├── AuditFailure              an event was edited, removed or moved
    ├── AuditKeyError             an audit key is missing, malformed or not the one used
    ├── CorruptRecord (ValueError)  a stored snapshot or event is malformed or fits another pathway
    ├── IdempotencyConflict (ValueError)  an idempotency key was reused for a different request
    ├── DraftRefused (ValueError)  a saved draft holds what the runtime would not have recorded
    ├── RolloutError              a pathway version roll-out cannot map every selected journey
    ├── InvalidRequest (ValueError)  an argument refused before any query (a key, a time, a limit)
    ├── ReadOnlyStore (PermissionError)  a change asked of a store opened read-only
    └── DatabaseFailure           the database or its driver failed; `operation` names what failed
        └── DatabaseFileLost      the SQLite file was deleted or replaced while the store was open
```

Errors a forum lead can cause are `DefinitionError`s: each `Problem` names the file, line and
column, what was found, what was expected and a hint. Errors a case system can cause are
`JourneyError`s: each names the journey, the stage, the trigger and the agency as attributes,
and its message says what *would* be allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ActionRefused",
    "AuditFailure",
    "AuditKeyError",
    "AwaitingAcceptance",
    "ConcurrentUpdate",
    "ConditionNotMet",
    "CorruptRecord",
    "DatabaseFailure",
    "DatabaseFileLost",
    "DefinitionError",
    "DraftRefused",
    "DuplicateJourney",
    "HandoffNotAvailable",
    "HistoryNotLoaded",
    "IdempotencyConflict",
    "InvalidCaseReference",
    "InvalidProfile",
    "InvalidRequest",
    "InvalidStaffReference",
    "InvalidTime",
    "JourneyClosed",
    "JourneyError",
    "JourneyNotFound",
    "Location",
    "NotAuthorised",
    "PathwayError",
    "Problem",
    "ProfileChangeRefused",
    "ReadOnlyStore",
    "RolloutError",
    "SharingNotPermitted",
    "StoreError",
    "TooEarly",
    "WaitingForTrack",
]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a source file: 1-based line and column, as editors count them."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, in words a forum lead understands.

    `code` is a stable kebab-case identifier documented in docs/reference/errors.md.
    """

    code: str
    message: str
    location: Location | None = None
    expected: str | None = None
    hint: str | None = None
    severity: str = "error"
    #: where the baseline wrote what the problem is about, when `location` is the area file
    #: that extends it (the place to fix it)
    inherited: Location | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.code, self.message)
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def format(self) -> str:
        """`path:line:col: error[code]: message`, then `expected:` and `hint:` lines."""
        where = f"{self.location}: " if self.location is not None else ""
        lines = [f"{where}{self.severity}[{self.code}]: {self.message}"]
        if self.inherited is not None:
            lines.append(f"  inherited from {self.inherited}")
        if self.expected:
            lines.append(f"  expected: {self.expected}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class PathwayError(Exception):
    """Root of every error this library raises on purpose."""


class DefinitionError(PathwayError, ValueError):
    """A pathway (or scenario) file is wrong. `problems` holds every problem found, sorted."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=Problem.sort_key))
        if not self.problems:
            raise ValueError("DefinitionError needs at least one problem")
        super().__init__(self._summary())

    def _summary(self) -> str:
        body = "\n".join(p.format() for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{body}\n{count} {noun} found"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        # By its problems, so that one raised in a worker process (a simulation's replications,
        # a sweep) reaches the caller whole, whatever the subclass's own arguments.
        return (_rebuilt, (type(self), self.problems, dict(self.__dict__)))


def _rebuilt(
    cls: type[DefinitionError], problems: tuple[Problem, ...], state: dict[str, Any]
) -> DefinitionError:
    """A pickled `DefinitionError` (or subclass) again."""
    error = cls.__new__(cls)
    DefinitionError.__init__(error, problems)
    error.__dict__.update(state)
    return error


class JourneyError(PathwayError):
    """A journey was asked to do something its pathway does not allow.

    Attributes name the journey (its case reference), the stage it is at, the handoff
    (trigger) and the agency that asked, and `allowed`: what would have been allowed instead.
    """

    journey: str
    stage: str | None
    trigger: str | None
    agency: str | None
    allowed: tuple[str, ...]

    def __init__(
        self,
        message: str,
        *,
        journey: str,
        stage: str | None = None,
        trigger: str | None = None,
        agency: str | None = None,
        allowed: Sequence[str] = (),
    ) -> None:
        _about(self, journey, stage, trigger, agency, allowed)
        super().__init__(message)


def _about(
    error: JourneyError | DraftRefused,
    journey: str,
    stage: str | None,
    trigger: str | None,
    agency: str | None,
    allowed: Sequence[str],
) -> None:
    """Give `error` the attributes that say which journey, stage, handoff and agency it is
    about, and what would have been allowed instead."""
    error.journey = journey
    error.stage = stage
    error.trigger = trigger
    error.agency = agency
    error.allowed = tuple(allowed)


class HandoffNotAvailable(JourneyError):
    """There is no handoff of that name from the stage the journey is at."""


class NotAuthorised(JourneyError, PermissionError):
    """The agency may not perform this handoff; `allowed` lists who may."""


class ConditionNotMet(JourneyError):
    """The victim's profile does not meet the handoff's condition."""


class SharingNotPermitted(JourneyError, PermissionError):
    """An information item may not travel along this handoff; `allowed` lists what may."""


class JourneyClosed(JourneyError):
    """Every track of the journey has reached an outcome."""


class ProfileChangeRefused(JourneyError, ValueError):
    """The pathway does not allow that profile attribute to change that way."""


class WaitingForTrack(JourneyError):
    """The handoff waits for a parallel track to reach an outcome; `allowed` names the tracks."""


class InvalidProfile(JourneyError, ValueError):
    """A victim profile does not give exactly one declared value for each declared attribute."""


class InvalidCaseReference(JourneyError, ValueError):
    """A case reference must be a short opaque code, never a name or free text."""


class InvalidTime(JourneyError, ValueError):
    """A time without a time zone, earlier than the journey's last event, outside the years a
    journey can happen in, or further ahead of the store's clock than its allowed skew."""


class TooEarly(JourneyError):
    """The stage's minimum time (`at_least`) has not run yet; the message says when it does."""


class AwaitingAcceptance(JourneyError):
    """A referral waits for the receiving stage's owner to accept or decline it first."""


class ActionRefused(JourneyError, ValueError):
    """A journey-level action or correction the pathway does not allow; `allowed` lists what is."""


class InvalidStaffReference(JourneyError, ValueError):
    """A staff reference must be a short opaque code, never a name or free text."""


class HistoryNotLoaded(JourneyError):
    """The journey was bound from its snapshot alone; bind it with its events to read them."""


class StoreError(PathwayError):
    """The journey store could not do what was asked."""


class JourneyNotFound(StoreError, LookupError):
    """No journey with that case reference is stored."""


class DuplicateJourney(StoreError, ValueError):
    """A journey with that case reference already exists."""


class ConcurrentUpdate(StoreError):
    """Another writer changed the journey since it was loaded; nothing was overwritten."""


class AuditFailure(StoreError):
    """The audit trail does not verify. `event` names the first event that fails."""

    def __init__(self, message: str, *, journey: str, event: int | None = None) -> None:
        self.journey = journey
        self.event = event
        super().__init__(message)


class AuditKeyError(StoreError):
    """An audit key is missing, malformed, or is not the one a record or anchor was signed with."""


class CorruptRecord(StoreError, ValueError):
    """A stored journey snapshot or event cannot be read, or belongs to another pathway version."""


class IdempotencyConflict(StoreError, ValueError):
    """An idempotency key already recorded a different request; `key` names it."""

    def __init__(self, message: str, *, journey: str, key: str) -> None:
        self.journey = journey
        self.key = key
        super().__init__(message)


class DraftRefused(StoreError, ValueError):
    """A draft's journey holds what the pathway's rules would not have recorded (a forged or
    jumped state, an invented agency, a switched case reference); nothing was written.

    `journey` names the journey, `event` the number of the first event refused (None when the
    draft's state, not an event, is wrong), `stage`, `trigger` and `agency` what it was about,
    and `allowed` what would have been allowed instead.
    """

    journey: str
    event: int | None
    stage: str | None
    trigger: str | None
    agency: str | None
    allowed: tuple[str, ...]

    def __init__(
        self,
        message: str,
        *,
        journey: str,
        event: int | None = None,
        stage: str | None = None,
        trigger: str | None = None,
        agency: str | None = None,
        allowed: Sequence[str] = (),
    ) -> None:
        self.event = event
        _about(self, journey, stage, trigger, agency, allowed)
        super().__init__(message)


class RolloutError(StoreError):
    """A roll-out of a new pathway version cannot move every selected journey."""


class InvalidRequest(StoreError, ValueError):
    """An argument the store refuses before any query; `operation` names what was asked."""

    def __init__(self, message: str, *, operation: str) -> None:
        self.operation = operation
        super().__init__(message)


class ReadOnlyStore(StoreError, PermissionError):
    """A change was asked of a store opened read-only; nothing was written."""


class DatabaseFailure(StoreError):
    """The database or its driver failed; `operation` names what the store was doing.

    The driver's own exception is the `__cause__`.
    """

    def __init__(self, message: str, *, operation: str) -> None:
        self.operation = operation
        super().__init__(message)


class DatabaseFileLost(DatabaseFailure):
    """The SQLite file was deleted or replaced while the store had it open.

    A change made since is not in the file at the path (it went to the deleted file), so the
    store reports it as failed instead of done.
    """
