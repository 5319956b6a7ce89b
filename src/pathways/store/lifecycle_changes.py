"""The journey store's lifecycle changes: answers to referrals, pauses, early ends, transfers
and corrections, each atomic like a handoff (see `pathways.store.journey_store`).

Each is the runtime's call of the same name (`pathways.runtime.acceptance`, `.pauses`,
`.actions`, `.corrections`) on the stored journey, written in one transaction with the same
revision check, hash chain and idempotency keys as every other change. A correction needs the
journey's events (its effect is worked out by doing them again): they are read first, and the
change is refused with `ConcurrentUpdate` if the journey changed in between. A transfer
registers the version it moves to, and the journey row then names that version.

```python
store.decline("HU-1", "refer-to-nrm", reason="not-enough-information", by="home-office", at=t)
store.pause("HU-1", reason="hospital-stay", by="salvation-army", at=t)
store.void("HU-1", 4, reason="recorded-in-error", by="hull-city-council", at=t)
```
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind
from pathways.store import idempotency
from pathways.store.changes import Applied, Stored, conflict
from pathways.store.failures import guarded

__all__ = ["LifecycleChanges"]

_Do = Callable[[Journey], object]


class LifecycleChanges:
    """Accept, decline, pause, resume, withdraw, close, transfer, void and amend, stored."""

    # Provided by `JourneyStore`.
    _apply: Callable[..., Applied]
    _change: Callable[..., Applied]
    _check_change: Callable[..., None]
    _snapshot: Callable[[Stored], dict[str, Any]]
    compiled: Callable[[str], CompiledPathway]
    events: Callable[[str], tuple[Any, ...]]
    register: Callable[[Pathway | CompiledPathway], CompiledPathway]

    @guarded("accept")
    def accept(
        self,
        case_ref: str,
        trigger: str,
        *,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Accept the referral `trigger` awaiting an answer (`Journey.accept`)."""
        fields = {"trigger": trigger, "by": by, "at": at, "staff": staff}
        return self._do(
            "accept",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.accept(trigger, by=by, at=at, staff=staff),
        )

    @guarded("decline")
    def decline(
        self,
        case_ref: str,
        trigger: str,
        *,
        reason: str,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Decline the referral `trigger` for a declared reason (`Journey.decline`)."""
        fields = {"trigger": trigger, "reason": reason, "by": by, "at": at, "staff": staff}
        return self._do(
            "decline",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.decline(trigger, reason=reason, by=by, at=at, staff=staff),
        )

    @guarded("pause")
    def pause(
        self,
        case_ref: str,
        *,
        reason: str,
        by: str,
        at: datetime,
        track: str = MAIN_TRACK,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Pause the clock of `track`'s stage for a declared reason (`Journey.pause`)."""
        fields = {"reason": reason, "by": by, "at": at, "track": track, "staff": staff}
        return self._do(
            "pause",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.pause(reason=reason, by=by, at=at, track=track, staff=staff),
        )

    @guarded("resume")
    def resume(
        self,
        case_ref: str,
        *,
        by: str,
        at: datetime,
        track: str = MAIN_TRACK,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Start the clock of `track`'s stage again (`Journey.resume`)."""
        fields = {"by": by, "at": at, "track": track, "staff": staff}
        return self._do(
            "resume",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.resume(by=by, at=at, track=track, staff=staff),
        )

    @guarded("withdraw")
    def withdraw(
        self,
        case_ref: str,
        *,
        reason: str,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """End the journey: the victim withdraws (`Journey.withdraw`)."""
        fields = {"reason": reason, "by": by, "at": at, "staff": staff}
        return self._do(
            "withdraw",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.withdraw(reason=reason, by=by, at=at, staff=staff),
        )

    @guarded("close")
    def close_early(
        self,
        case_ref: str,
        *,
        reason: str,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Close the journey early (`Journey.close`; `close()` closes the store itself)."""
        fields = {"reason": reason, "by": by, "at": at, "staff": staff}
        return self._do(
            "close",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.close(reason=reason, by=by, at=at, staff=staff),
        )

    @guarded("transfer")
    def transfer(
        self,
        case_ref: str,
        name: str,
        target: Pathway | CompiledPathway,
        *,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Move the journey to another area's pathway by transfer `name` (`Journey.transfer`);
        `target` is registered if it is not already."""
        compiled = target if isinstance(target, CompiledPathway) else compile_pathway(target)
        fields = {"name": name, "to": compiled.fingerprint, "by": by, "at": at, "staff": staff}
        self._check_change("transfer", case_ref, at, key)
        self.register(compiled)
        return self._do(
            "transfer",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.transfer(name, compiled, by=by, at=at, staff=staff),
        )

    @guarded("void")
    def void(
        self,
        case_ref: str,
        seq: int,
        *,
        reason: str,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Void event `seq` (`Journey.void`): a new event; the history is never edited."""
        fields = {"seq": seq, "reason": reason, "by": by, "at": at, "staff": staff}
        return self._do(
            "void",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.void(seq, reason=reason, by=by, at=at, staff=staff),
            True,
        )

    @guarded("amend")
    def amend(
        self,
        case_ref: str,
        seq: int,
        *,
        to: datetime,
        by: str,
        at: datetime,
        staff: str | None = None,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Correct the time of event `seq` to `to` (`Journey.amend`), as a new event."""
        fields = {"seq": seq, "to": to, "by": by, "at": at, "staff": staff}
        return self._do(
            "amend",
            case_ref,
            at,
            key,
            expected,
            fields,
            lambda j: j.amend(seq, to=to, by=by, at=at, staff=staff),
            True,
        )

    def _do(
        self,
        operation: str,
        case_ref: str,
        at: datetime,
        key: str | None,
        expected: int | None,
        fields: dict[str, Any],
        do: _Do,
        history: bool = False,
    ) -> Applied:
        self._check_change(operation, case_ref, at, key)
        request = None if key is None else idempotency.request_hash(operation, case_ref, **fields)

        def done(journey: Journey) -> Journey:
            do(journey)
            return journey

        if not history:
            return self._apply(case_ref, request, key, expected, done)
        events = self.events(case_ref)

        def current(stored: Stored) -> Journey:
            row = stored.row
            if expected is not None and row.revision != expected:
                raise conflict(case_ref, expected, row.revision)
            if row.event_count != len(events):
                raise conflict(case_ref, row.revision, None)
            compiled = self.compiled(row.fingerprint)
            return done(bind(compiled, self._snapshot(stored), list(events)))

        return self._change(case_ref, request, key, current, None)
