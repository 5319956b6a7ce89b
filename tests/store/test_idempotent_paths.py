"""Idempotency keys work the same on every change and every write path (issue 16).

For each change the store makes (`create`, `handoff`, `update_profile`, `tick`, `accept`,
`decline`, `pause`, `resume`, `withdraw`, `close_early`, `transfer`, `void`, `amend` and
`save`), the same key with the same request returns the first result (`Applied.replayed`) and
writes nothing more, and the same key with another request raises `IdempotencyConflict`, on
SQLite and PostgreSQL, on each database's own path and on the locked path. A re-sent save is
replayed even though its draft has gone stale since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pathways.definition.loader import load_text
from pathways.errors import ConcurrentUpdate, HandoffNotAvailable, IdempotencyConflict
from pathways.runtime.compiler import compile_pathway
from pathways.store import Applied, Draft, JourneyStore, check_database
from runtime.lifecycle_pathway import AREA_A, AREA_B, GIVEN, MONDAY
from store.helpers import Database, count

DAY = timedelta(days=1)
NOW = datetime(2025, 6, 1, tzinfo=UTC)
AREA_B_COMPILED = compile_pathway(load_text(AREA_B))


@pytest.fixture(params=["own", "locked"])
def paths(request: pytest.FixtureRequest, database: Database) -> Iterator[JourneyStore]:
    """A store of the lifecycle pathways, on its database's own path or on the locked path."""
    compiled = compile_pathway(load_text(AREA_A))
    with JourneyStore(
        database.url, pathways=[compiled], prefix=database.prefix, clock=lambda: NOW
    ) as opened:
        if request.param == "locked":
            assert opened.fast is not None
            opened.fast.close()
            opened.fast = None
        yield opened


def _referred(store: JourneyStore, case_ref: str) -> None:
    store.create(case_ref, GIVEN, at=MONDAY, by="council", pathway="test/area-a")
    store.handoff(case_ref, "refer", by="council", at=MONDAY)


def _accepted(store: JourneyStore, case_ref: str) -> None:
    _referred(store, case_ref)
    store.accept(case_ref, "refer", by="home-office", at=MONDAY)


def _paused(store: JourneyStore, case_ref: str) -> None:
    _accepted(store, case_ref)
    store.pause(case_ref, reason="victim-uncontactable", by="home-office", at=MONDAY)


def _opened(store: JourneyStore, case_ref: str) -> None:
    store.create(case_ref, GIVEN, at=MONDAY, by="council", pathway="test/area-a")


def _declined(store: JourneyStore, case_ref: str) -> None:
    store.create(case_ref, {"consent": "declined"}, at=MONDAY, by="council", pathway="test/area-a")


_DRAFTS: dict[tuple[int, str], Draft] = {}


def _saved(store: JourneyStore, case_ref: str, key: str) -> Applied:
    """Save a draft with two events; sent again, the same draft is saved again."""
    draft = _DRAFTS.get((id(store), case_ref))
    if draft is None:
        draft = _DRAFTS[(id(store), case_ref)] = store.draft(case_ref)
        draft.journey.handoff("refer", by="council", at=MONDAY + DAY, staff="sw-2")
        draft.journey.accept("refer", by="home-office", at=MONDAY + DAY)
    return store.save(draft, key=key)


_At = MONDAY + DAY
#: Each change: how to get the journey ready for it, and the change made with a key.
CHANGES: dict[str, tuple[Callable[[JourneyStore, str], None], Callable[..., Any]]] = {
    "handoff": (_opened, lambda s, c, k: s.handoff(c, "refer", by="council", at=_At, key=k)),
    "update_profile": (
        _declined,
        lambda s, c, k: s.update_profile(c, "consent", "given", by="council", at=_At, key=k),
    ),
    "tick": (_opened, lambda s, c, k: s.tick(c, _At, key=k)),
    "accept": (_referred, lambda s, c, k: s.accept(c, "refer", by="home-office", at=_At, key=k)),
    "decline": (
        _referred,
        lambda s, c, k: s.decline(
            c, "refer", reason="duplicate-referral", by="home-office", at=_At, key=k
        ),
    ),
    "pause": (
        _accepted,
        lambda s, c, k: s.pause(c, reason="victim-uncontactable", by="home-office", at=_At, key=k),
    ),
    "resume": (_paused, lambda s, c, k: s.resume(c, by="home-office", at=_At, key=k)),
    "withdraw": (
        _opened,
        lambda s, c, k: s.withdraw(
            c, reason="victim-withdraws-consent", by="council", at=_At, key=k
        ),
    ),
    "close_early": (
        _opened,
        lambda s, c, k: s.close_early(
            c, reason="duplicate-journey", by="home-office", at=_At, key=k
        ),
    ),
    "transfer": (
        _opened,
        lambda s, c, k: s.transfer(
            c, "move-to-area-b", AREA_B_COMPILED, by="council", at=_At, key=k
        ),
    ),
    "void": (
        _referred,
        lambda s, c, k: s.void(c, 1, reason="recorded-in-error", by="council", at=_At, key=k),
    ),
    "amend": (
        _referred,
        lambda s, c, k: s.amend(c, 1, to=MONDAY + DAY / 2, by="council", at=_At, key=k),
    ),
    "save": (_opened, _saved),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_keyed_change_is_done_once_and_replayed(paths: JourneyStore, change: str) -> None:
    ready, make = CHANGES[change]
    ready(paths, "IP-1")
    first = make(paths, "IP-1", "key-1")
    events, revision = count(paths, "events", "IP-1"), paths.revision("IP-1")
    again = make(paths, "IP-1", "key-1")
    assert not first.replayed
    assert again.replayed
    assert (again.case_ref, again.events, again.revision) == (
        first.case_ref,
        first.events,
        first.revision,
    )
    assert (count(paths, "events", "IP-1"), paths.revision("IP-1")) == (events, revision)
    with pytest.raises(IdempotencyConflict) as caught:
        paths.tick("IP-1", MONDAY + 2 * DAY, key="key-1")
    assert (caught.value.key, caught.value.journey) == ("key-1", "IP-1")
    ready(paths, "IP-2")
    with pytest.raises(IdempotencyConflict):  # the same key on another journey
        make(paths, "IP-2", "key-1")
    assert (count(paths, "events", "IP-1"), paths.revision("IP-1")) == (events, revision)
    assert check_database(paths) == []


def test_a_keyed_create_is_done_once(paths: JourneyStore) -> None:
    first = paths.create("IP-1", GIVEN, at=MONDAY, by="council", key="open-1")
    assert paths.create("IP-1", GIVEN, at=MONDAY, by="council", key="open-1") == first
    with pytest.raises(IdempotencyConflict):
        paths.create("IP-1", {"consent": "declined"}, at=MONDAY, by="council", key="open-1")
    with pytest.raises(IdempotencyConflict):
        paths.handoff("IP-1", "refer", by="council", at=MONDAY, key="open-1")
    assert count(paths, "events", "IP-1") == 1


def test_a_resent_save_is_replayed_though_its_draft_went_stale(paths: JourneyStore) -> None:
    _opened(paths, "IP-1")
    draft = paths.draft("IP-1")
    draft.journey.handoff("refer", by="council", at=MONDAY + DAY)
    first = paths.save(draft, key="save-1")
    # another caseworker changes the journey before the answer reaches the first
    paths.accept("IP-1", "refer", by="home-office", at=MONDAY + DAY)
    again = paths.save(draft, key="save-1")
    assert again.replayed
    assert (again.events, again.revision) == (first.events, first.revision)
    assert paths.revision("IP-1") == 3
    # without the key, the stale draft is what it is: refused, nothing written
    with pytest.raises(ConcurrentUpdate):
        paths.save(draft)
    # the same key for a different save is refused, stale or not
    other = paths.draft("IP-1")
    other.journey.pause(reason="victim-uncontactable", by="home-office", at=MONDAY + DAY)
    with pytest.raises(IdempotencyConflict):
        paths.save(other, key="save-1")
    assert paths.revision("IP-1") == 3
    assert check_database(paths) == []


def test_a_keyed_change_that_records_nothing_is_still_done_once(paths: JourneyStore) -> None:
    _opened(paths, "IP-1")
    assert paths.tick("IP-1", MONDAY, key="tick-1").events == ()
    assert paths.tick("IP-1", MONDAY, key="tick-1").replayed
    with pytest.raises(IdempotencyConflict):
        paths.handoff("IP-1", "refer", by="council", at=MONDAY, key="tick-1")
    draft = paths.draft("IP-1")
    assert paths.save(draft, key="save-0").events == ()
    assert paths.save(draft, key="save-0").replayed
    assert paths.revision("IP-1") == 1


def test_a_unit_of_work_sent_again_with_its_key_is_replayed(paths: JourneyStore) -> None:
    _opened(paths, "IP-1")

    def refer(key: str) -> Applied:
        """A case system's unit of work: a draft, a change in memory, a save, one key."""
        draft = paths.draft("IP-1", key=key)
        draft.journey.handoff("refer", by="council", at=MONDAY + DAY, staff="sw-4")
        return paths.save(draft, key=key)

    first = refer("work-1")
    paths.accept("IP-1", "refer", by="home-office", at=MONDAY + DAY)  # others go on
    again = refer("work-1")  # the answer was lost: the whole unit of work is sent again
    assert again.replayed
    assert (again.events, again.revision) == (first.events, first.revision)
    assert paths.revision("IP-1") == 3
    # without the key the draft is the journey as it is now, where 'refer' is not open
    with pytest.raises(HandoffNotAvailable):
        paths.draft("IP-1").journey.handoff("refer", by="council", at=MONDAY + DAY)
    # another change with the same key is another request
    draft = paths.draft("IP-1", key="work-1")
    assert draft.journey.stage == "identified"
    draft.journey.handoff("notify", by="council", at=MONDAY + DAY)
    with pytest.raises(IdempotencyConflict):
        paths.save(draft, key="work-1")
    _opened(paths, "IP-2")
    with pytest.raises(IdempotencyConflict):
        paths.draft("IP-2", key="work-1")
    assert paths.revision("IP-1") == 3
    assert paths.draft("IP-2", key="work-2").revision == 1  # a new key: the journey as it is
    assert check_database(paths) == []
