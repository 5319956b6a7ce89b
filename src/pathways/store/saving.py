"""`JourneyStore.save`: a draft's new events stored once the store has done them again itself.

A case system that keeps a journey open while a caseworker decides takes a `draft`, changes
its journey in memory and saves it. The save is one transaction, like any change: it is
refused with `ConcurrentUpdate` if the journey changed since the draft was taken (`retry`),
and otherwise the draft's new events are done again on the stored journey by the pathway's
rules (`pathways.store.draft_check`): anything the runtime would not have recorded is refused
with `DraftRefused` and nothing is written. What is written is the journey the store made.

With an idempotency `key`, a save that was done already returns its first result
(`Applied.replayed`), even from a draft that has since gone stale, and a different request
with the same key raises `IdempotencyConflict`, as on every other change.

```python
draft = store.draft("HU-2025-0142")
draft.journey.handoff("start-assessment", by="hull-city-council", at=now)
applied = store.save(draft, key="request-81c2")
```
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pathways.errors import DraftRefused, IdempotencyConflict
from pathways.runtime.compiler import CompiledPathway, compiled_here
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind
from pathways.store import idempotency
from pathways.store.arguments import check_case_ref, check_key
from pathways.store.changes import Applied, Stored, conflict
from pathways.store.clock import ClockCheck
from pathways.store.draft_check import needs_history, new_events, redo_draft, request
from pathways.store.failures import guarded
from pathways.store.history import journey_from
from pathways.store.reads import Draft, Reads

__all__ = ["Saving"]


class Saving(Reads):
    """`draft` and `save`, the store's change from a draft (a mix-in of `JourneyStore`)."""

    # Provided by `JourneyStore`.
    clock: ClockCheck
    _change: Callable[..., Applied]
    _refuse_if_read_only: Callable[[str], None]
    register: Callable[[CompiledPathway], CompiledPathway]

    @guarded("draft")
    def draft(self, case_ref: str, *, history: bool = False, key: str | None = None) -> Draft:
        """The journey and its revision, to change in memory and `save` later (with its events
        if `history`, which a correction, `void` or `amend`, needs).

        With the idempotency `key` the save will be sent with, a request sent again is made
        again as it was made the first time: if `key` was used on this journey, the draft is
        the journey as it was just before that request (with its events), so the same change
        made on it again is the same request and its `save` returns the first result
        (`Applied.replayed`). A key used on another journey raises `IdempotencyConflict`.
        """
        check_case_ref(case_ref)
        if key is not None:
            check_key(key, case_ref, operation="draft")
            with self.reading() as conn:
                found = idempotency.recorded(conn, self.tables, key)
            if found is not None:
                return self._draft_before(case_ref, key, found)
        with self.reading() as conn:
            stored = self.locked.load(conn, case_ref)
            events = self.stored_events(conn, case_ref) if history else None
        row = stored.row
        journey = bind(self.compiled(row.fingerprint), self._snapshot(stored), events)
        return Draft(journey, row.revision, row.event_count, case_ref, row.fingerprint)

    @guarded("save")
    def save(self, draft: Draft, *, key: str | None = None) -> Applied:
        """Store what was done to a draft's journey, done again by the store; `ConcurrentUpdate`
        if the journey changed since, `DraftRefused` if the pathway would not have recorded it."""
        _, new = new_events(draft)
        case_ref = draft.case_ref
        if key is not None:
            check_key(key, case_ref, operation="save")
        self._refuse_if_read_only("save")
        for event in new:
            self.clock.check(event.at, case_ref, "save")
        asked = None
        if key is not None:
            asked = idempotency.request_hash("save", case_ref, events=request(new))
        self._register_targets(new)
        history = self.events(case_ref) if needs_history(new) else None

        def saved(stored: Stored) -> Journey:
            row = stored.row
            if row.revision != draft.revision:
                raise conflict(case_ref, draft.revision, row.revision)
            _check_taken(draft, row.fingerprint, row.event_count)
            if history is not None and len(history) != row.event_count:
                raise conflict(case_ref, row.revision, None)
            if stored.journey is not None and history is None:
                start = stored.journey.detached()
            else:
                start = bind(self.compiled(row.fingerprint), self._snapshot(stored), history)
            return redo_draft(draft, start, new, self.compiled)

        return self._change(case_ref, asked, key, saved, None)

    def _draft_before(self, case_ref: str, key: str, found: Any) -> Draft:
        """The draft a request recorded with `key` was made on: the journey before it."""
        if found.case_ref != case_ref:
            raise IdempotencyConflict(
                f"Case {found.case_ref}: idempotency key {key!r} was already used for a "
                "request on that journey; use a new key for a new request",
                journey=found.case_ref,
                key=key,
            )
        with self.reading() as conn:
            row = self.row(conn, case_ref)
            entries = self.entries(conn, case_ref)
        journey = journey_from(
            case_ref, row, entries, self.compiled, self.verified, found.first_seq
        )
        revision = found.revision - 1 if found.count else found.revision
        fingerprint = journey.compiled.fingerprint
        return Draft(journey, revision, found.first_seq, case_ref, fingerprint)

    def _register_targets(self, new: tuple[Event, ...]) -> None:
        """Register each version a draft's transfers moved its journey to, if the store has it
        not (as `transfer` does), from the versions this process compiled; the save still
        checks every transfer, and refuses one to a version it cannot find."""
        for event in new:
            if event.what != "transferred":
                continue
            compiled = compiled_here(str(dict(event.detail).get("fingerprint")))
            if compiled is not None and not self.versions.known(compiled):
                self.register(compiled)


def _check_taken(draft: Draft, fingerprint: str, count: int) -> None:
    """Refuse a draft that claims the stored revision but another version or event count."""
    if draft.fingerprint != fingerprint:
        raise DraftRefused(
            f"Case {draft.case_ref}: the draft was taken on another pathway version "
            f"({draft.fingerprint}) than the journey is stored on ({fingerprint}); take a new "
            "draft",
            journey=draft.case_ref,
            allowed=(fingerprint,),
        )
    if draft.saved != count:
        raise DraftRefused(
            f"Case {draft.case_ref}: the draft says {draft.saved} events were stored when it "
            f"was taken, but the journey had {count} at that revision; take a new draft",
            journey=draft.case_ref,
            event=count,
        )
