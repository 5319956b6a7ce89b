"""A change starts from what the store last wrote, and is never wrong because of it.

On SQLite a store remembers the row each change left (`pathways.store.remembered.Recent`) and
starts the next change of that journey from it. These tests change journeys behind its back,
through a second store on the same database, and check that every change is still accepted
or refused exactly as the pathway says, with nothing lost or written twice.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.errors import ConcurrentUpdate, HandoffNotAvailable, JourneyError
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start
from pathways.store import JourneyStore, check_database
from pathways.store.sqlite import SqlitePath
from store.helpers import ADULT, MONDAY, Database, compiled_v1

MINUTE = timedelta(minutes=1)


@pytest.fixture
def pair(database: Database) -> Iterator[tuple[JourneyStore, JourneyStore]]:
    """Two stores on one database, as two processes of a case system would have."""
    with (
        JourneyStore(
            database.url, pathways=[compiled_v1()], prefix=database.prefix
        ) as first,  # fmt: skip
        JourneyStore(database.url, prefix=database.prefix, upgrade=False) as second,
    ):
        yield first, second


def remembered(store: JourneyStore, case_ref: str) -> int | None:
    """The revision the store remembers for a journey (None: nothing, or not SQLite)."""
    fast = store.fast
    if not isinstance(fast, SqlitePath):
        return None
    found = fast.recent.get(case_ref)
    return None if found is None else found.row.revision


def test_a_change_is_remembered_and_the_next_one_starts_from_it(
    pair: tuple[JourneyStore, JourneyStore], database: Database
) -> None:
    first, _ = pair
    first.create("RM-1", ADULT, at=MONDAY, by="council")
    applied = first.handoff("RM-1", "assess", by="council", at=MONDAY)
    if database.backend == "sqlite":
        assert remembered(first, "RM-1") == applied.revision
    applied = first.handoff("RM-1", "reconsider", by="council", at=MONDAY + MINUTE)
    assert applied.revision == 3
    assert [e.trigger for e in first.load("RM-1").history] == [None, "assess", "reconsider"]
    first.verify("RM-1")


def test_a_handoff_refused_by_a_stale_memory_is_made_from_the_stored_journey(
    pair: tuple[JourneyStore, JourneyStore],
) -> None:
    first, second = pair
    first.create("RM-2", ADULT, at=MONDAY, by="council")
    first.handoff("RM-2", "assess", by="council", at=MONDAY)  # first remembers: assessment
    second.handoff("RM-2", "reconsider", by="council", at=MONDAY + MINUTE)
    # from `assessment`, as first remembers it, `assess` is not open; from `identified` it is
    applied = first.handoff("RM-2", "assess", by="council", at=MONDAY + 2 * MINUTE)
    assert applied.revision == 4
    assert [e.seq for e in first.load("RM-2").history] == [0, 1, 2, 3]
    first.verify("RM-2")


def test_a_handoff_allowed_by_a_stale_memory_is_checked_against_the_stored_journey(
    pair: tuple[JourneyStore, JourneyStore],
) -> None:
    first, second = pair
    first.create("RM-3", ADULT, at=MONDAY, by="council")
    first.handoff("RM-3", "assess", by="council", at=MONDAY)  # first remembers: assessment
    second.handoff("RM-3", "notify", by="council", at=MONDAY + MINUTE)  # closed, at `notified`
    with pytest.raises(JourneyError) as refused:
        first.handoff("RM-3", "reconsider", by="council", at=MONDAY + 2 * MINUTE)
    assert "closed" in str(refused.value)
    journey = first.load("RM-3")
    assert journey.stage == "notified"
    assert journey.event_count == 3
    first.verify("RM-3")


def test_a_stale_memory_never_hides_a_revision_the_caller_did_not_expect(
    pair: tuple[JourneyStore, JourneyStore],
) -> None:
    first, second = pair
    first.create("RM-4", ADULT, at=MONDAY, by="council")
    first.handoff("RM-4", "assess", by="council", at=MONDAY)  # revision 2, remembered
    second.handoff("RM-4", "reconsider", by="council", at=MONDAY + MINUTE)  # revision 3
    second.handoff("RM-4", "assess", by="council", at=MONDAY + 2 * MINUTE)  # revision 4
    with pytest.raises(ConcurrentUpdate, match="revision 2"):
        first.handoff("RM-4", "reconsider", by="council", at=MONDAY + 3 * MINUTE, expected=2)
    applied = first.handoff("RM-4", "reconsider", by="council", at=MONDAY + 3 * MINUTE, expected=4)
    assert applied.revision == 5
    first.verify("RM-4")


def test_a_refused_handoff_is_forgotten_and_writes_nothing(
    pair: tuple[JourneyStore, JourneyStore], database: Database
) -> None:
    first, _ = pair
    first.create("RM-5", ADULT, at=MONDAY, by="council")
    first.handoff("RM-5", "assess", by="council", at=MONDAY)
    with pytest.raises(HandoffNotAvailable):
        first.handoff("RM-5", "assess", by="council", at=MONDAY + MINUTE)
    assert remembered(first, "RM-5") is None
    assert first.load("RM-5").event_count == 2
    assert first.handoff("RM-5", "reconsider", by="council", at=MONDAY + MINUTE).revision == 3


def test_a_saved_draft_changed_again_in_memory_is_not_what_the_store_starts_from(
    pair: tuple[JourneyStore, JourneyStore],
) -> None:
    first, _ = pair
    first.create("RM-6", ADULT, at=MONDAY, by="council")
    draft = first.draft("RM-6")
    draft.journey.handoff("assess", by="council", at=MONDAY)
    first.save(draft)
    draft.journey.handoff("reconsider", by="council", at=MONDAY + MINUTE)  # never saved
    # open from the draft's stage in memory (identified), not from the stored one (assessment)
    with pytest.raises(HandoffNotAvailable):
        first.handoff("RM-6", "assess", by="council", at=MONDAY + 2 * MINUTE)
    applied = first.handoff("RM-6", "reconsider", by="council", at=MONDAY + 2 * MINUTE)
    assert [e.seq for e in applied.events] == [2]
    journey = first.load("RM-6")
    assert [e.trigger for e in journey.history] == [None, "assess", "reconsider"]
    assert journey.stage == "identified"
    first.verify("RM-6")


# Any interleaving of two stores' changes gives what one journey in memory gives.

# The loop between `identified` and `assessment` is listed four times, the council (who may
# make it) three times and sharing nothing three times, so that long runs of accepted changes,
# one store's after the other's, are common.
TRIGGERS = [*["assess", "reconsider"] * 4, "refer-to-nrm", "notify", "support",
            "close-investigation"]  # fmt: skip
AGENCIES = ["council", "council", "council", "constabulary", "charity"]

operation = st.one_of(
    st.tuples(
        st.sampled_from([0, 1]),
        st.sampled_from(["handoff", "draft"]),
        st.sampled_from(TRIGGERS),
        st.sampled_from(AGENCIES),
        st.sampled_from([(), (), (), ("account",), ("address",)]),
    ),
    st.tuples(
        st.sampled_from([0, 1]),
        st.just("profile"),
        st.sampled_from(["consent"]),
        st.sampled_from(AGENCIES),
        st.just(()),
    ),
)


def apply(
    target: Journey | JourneyStore,
    case_ref: str,
    op: tuple[int, str, str, str, tuple[str, ...]],
    number: int,
) -> None:
    _, kind, name, agency, shares = op
    at = MONDAY + number * MINUTE
    if isinstance(target, Journey):
        if kind in ("handoff", "draft"):
            target.handoff(name, by=agency, at=at, shares=shares)
        else:
            target.update_profile(name, "given", by=agency, at=at)
    elif kind == "handoff":
        target.handoff(case_ref, name, by=agency, at=at, shares=shares)
    elif kind == "draft":
        # made on a draft and saved; then the caller's journey goes on in memory, never saved
        draft = target.draft(case_ref)
        draft.journey.handoff(name, by=agency, at=at, shares=shares)
        target.save(draft)
        for more in ("reconsider", "assess"):
            with contextlib.suppress(JourneyError):
                draft.journey.handoff(more, by="council", at=at)
                break
    else:
        target.update_profile(case_ref, name, "given", by=agency, at=at)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=14))
def test_two_stores_in_any_order_agree_with_one_journey_in_memory(
    ops: list[tuple[int, str, str, str, tuple[str, ...]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'pair.sqlite3'}"
        model = start(compiled_v1(), "RM-P", ADULT, MONDAY, "council")
        with (
            JourneyStore(url, pathways=[compiled_v1()]) as first,
            JourneyStore(url, upgrade=False) as second,
        ):
            first.create("RM-P", ADULT, at=MONDAY, by="council")
            stores = (first, second)
            revision = 1
            for number, op in enumerate(ops, 1):
                try:
                    apply(model, "RM-P", op, number)
                except JourneyError as exc:
                    expected: type[JourneyError] | None = type(exc)
                else:
                    expected = None
                if expected is not None:
                    with pytest.raises(expected):
                        apply(stores[op[0]], "RM-P", op, number)
                else:
                    apply(stores[op[0]], "RM-P", op, number)
                    revision += 1
                stored = stores[op[0]].load("RM-P")
                assert stored.snapshot() == model.snapshot()
            journey = first.load("RM-P")
            assert [e.to_dict() for e in journey.history] == [e.to_dict() for e in model.history]
            assert first.revision("RM-P") == second.revision("RM-P") == revision
            assert len(first.verify("RM-P")) == revision
            assert check_database(first) == []
