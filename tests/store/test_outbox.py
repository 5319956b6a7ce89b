"""The transactional outbox: every committed event is told, in order per journey, at least once.

Each test runs on SQLite and on PostgreSQL (`database` fixture). The store's clock is a
`Clock` the test moves, so that leases run out and retry delays pass when the test says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from pathways.cli import main
from pathways.errors import ConcurrentUpdate, InvalidRequest, JourneyError, ReadOnlyStore
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import start
from pathways.store import JourneyStore, OutboxBatch, OutboxItem
from pathways.store.imports import store_all
from store.helpers import ADULT, CHILD, MONDAY, Database

LEASE = timedelta(seconds=30)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def move(self, by: timedelta) -> None:
        self.now += by


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY + timedelta(days=30))


@pytest.fixture
def told(database: Database, compiled: CompiledPathway, clock: Clock) -> Iterator[JourneyStore]:
    with JourneyStore(
        database.url, pathways=[compiled], prefix=database.prefix, clock=clock
    ) as opened:
        yield opened


def outbox_rows(store: JourneyStore) -> list[tuple[str, int]]:
    o = store.tables.outbox
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(o.c.case_ref, o.c.seq).order_by(o.c.id))]


def event_rows(store: JourneyStore) -> list[tuple[str, int]]:
    e = store.tables.events
    with store.engine.connect() as conn:
        query = select(e.c.case_ref, e.c.seq).order_by(e.c.case_ref, e.c.seq)
        return [tuple(r) for r in conn.execute(query)]


def drain(store: JourneyStore, group: str) -> list[OutboxItem]:
    """Claim and acknowledge until nothing is left; every item handed out, in order."""
    seen: list[OutboxItem] = []
    while batch := store.outbox.claim(group, limit=3, lease=LEASE):
        seen += batch.items
        store.outbox.ack(batch)
    return seen


def test_every_write_path_puts_each_committed_event_in_the_outbox(
    told: JourneyStore, compiled: CompiledPathway
) -> None:
    told.create("OB-1", CHILD, at=MONDAY, by="council")
    told.handoff("OB-1", "assess", by="council", at=MONDAY)  # the driver's own path
    told.handoff("OB-1", "reconsider", by="council", at=MONDAY, key="k-1")
    draft = told.draft("OB-1")
    draft.journey.handoff("refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    told.save(draft)  # two tracks change: one event, a track started
    told.tick("OB-1", MONDAY + timedelta(days=20))  # a timeout
    told.create("OB-2", ADULT, at=MONDAY, by="council", key="create-2")
    fast, told.fast = told.fast, None  # the locked path, as any other driver takes
    try:
        told.handoff("OB-2", "assess", by="council", at=MONDAY)
        told.update_profile("OB-2", "consent", "given", by="council", at=MONDAY)
    finally:
        told.fast = fast
    journey = start(compiled, "OB-3", ADULT, MONDAY, "council")
    journey.handoff("assess", by="council", at=MONDAY)
    store_all(told, [journey])
    assert sorted(outbox_rows(told)) == event_rows(told)
    assert len(outbox_rows(told)) == 10
    ids = [item.id for item in drain(told, "audit")]
    assert ids == sorted(ids)


def test_a_refused_or_lost_change_tells_nothing(told: JourneyStore) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    with pytest.raises(JourneyError):
        told.handoff("OB-1", "support", by="charity", at=MONDAY)
    with pytest.raises(ConcurrentUpdate):
        told.handoff("OB-1", "assess", by="council", at=MONDAY, expected=7)
    draft = told.draft("OB-1")
    told.handoff("OB-1", "assess", by="council", at=MONDAY)
    draft.journey.handoff("assess", by="council", at=MONDAY)
    with pytest.raises(ConcurrentUpdate):
        told.save(draft)
    assert outbox_rows(told) == [("OB-1", 0), ("OB-1", 1)]


def test_items_say_what_happened(told: JourneyStore, compiled: CompiledPathway) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council", staff="sw-1")
    told.handoff("OB-1", "assess", by="council", at=MONDAY, staff="sw-2")
    batch = told.outbox.claim("webhooks")
    assert isinstance(batch, OutboxBatch)
    assert len(batch) == 2
    events = told.events("OB-1")
    for item, event in zip(batch.items, events, strict=True):
        assert item.event == event.to_dict()
        assert (item.case_ref, item.seq, item.kind, item.at, item.agency) == (
            "OB-1", event.seq, event.what, event.at, event.by
        )  # fmt: skip
        assert (item.pathway_id, item.version) == (compiled.pathway.id, compiled.pathway.version)
        assert item.attempts == 1
    assert batch.lease_until == told.clock.clock() + timedelta(seconds=30)


def test_each_group_gets_every_event_in_order_and_pending_counts_what_is_left(
    told: JourneyStore,
) -> None:
    for n in range(4):
        told.create(f"OB-{n}", ADULT, at=MONDAY, by="council")
    for _ in range(3):
        for n in range(4):
            stage = told.load(f"OB-{n}", history=False).stage
            trigger = "assess" if stage == "identified" else "reconsider"
            told.handoff(f"OB-{n}", trigger, by="council", at=MONDAY)
    assert told.outbox.pending("webhooks") == 16
    for group in ("webhooks", "reports"):
        seen = drain(told, group)
        assert sorted((i.case_ref, i.seq) for i in seen) == event_rows(told)
        for n in range(4):
            assert [i.seq for i in seen if i.case_ref == f"OB-{n}"] == [0, 1, 2, 3]
        assert told.outbox.pending(group) == 0
    assert told.outbox.groups() == ("reports", "webhooks")
    told.handoff("OB-0", "reconsider", by="council", at=MONDAY)
    assert told.outbox.pending("webhooks") == told.outbox.pending("reports") == 1


def test_a_journeys_later_events_wait_while_an_earlier_one_is_held(told: JourneyStore) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    told.create("OB-2", ADULT, at=MONDAY, by="council")
    first = told.outbox.claim("g", limit=1)
    assert [(i.case_ref, i.seq) for i in first] == [("OB-1", 0)]
    told.handoff("OB-1", "assess", by="council", at=MONDAY)
    second = told.outbox.claim("g")
    assert [(i.case_ref, i.seq) for i in second] == [("OB-2", 0)]  # OB-1's event 1 waits
    assert not told.outbox.claim("g")
    assert told.outbox.ack(first) == 1
    assert [(i.case_ref, i.seq) for i in told.outbox.claim("g")] == [("OB-1", 1)]


def test_a_lease_that_runs_out_hands_the_events_out_again(told: JourneyStore, clock: Clock) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    told.handoff("OB-1", "assess", by="council", at=MONDAY)
    lost = told.outbox.claim("g", lease=LEASE)  # a consumer killed before it acknowledged
    clock.move(LEASE - timedelta(seconds=1))
    assert not told.outbox.claim("g")
    clock.move(timedelta(seconds=1))
    again = told.outbox.claim("g", lease=LEASE)
    assert [i.seq for i in again] == [i.seq for i in lost] == [0, 1]
    assert [i.attempts for i in again] == [2, 2]
    assert told.outbox.retry(lost) == 0  # the lost lease gives nothing back: it is not its own
    assert not told.outbox.claim("g")
    assert told.outbox.ack(again) == 2
    told.handoff("OB-1", "reconsider", by="council", at=MONDAY)
    assert [i.attempts for i in told.outbox.claim("g")] == [1]


def test_retry_gives_back_what_was_not_acknowledged_after_a_delay(
    told: JourneyStore, clock: Clock
) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    told.handoff("OB-1", "assess", by="council", at=MONDAY)
    told.handoff("OB-1", "reconsider", by="council", at=MONDAY)
    batch = told.outbox.claim("g")
    assert told.outbox.ack(batch, items=batch.items[:1]) == 1
    assert told.outbox.retry(batch, after=timedelta(seconds=10)) == 2
    assert told.outbox.pending("g") == 2
    clock.move(timedelta(seconds=9))
    assert not told.outbox.claim("g")
    clock.move(timedelta(seconds=1))
    again = told.outbox.claim("g")
    assert [(i.seq, i.attempts) for i in again] == [(1, 2), (2, 2)]
    told.outbox.ack(again)
    assert told.outbox.pending("g") == 0


def test_events_are_acknowledged_in_order_or_not_at_all(told: JourneyStore) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    told.handoff("OB-1", "assess", by="council", at=MONDAY)
    batch = told.outbox.claim("g")
    with pytest.raises(InvalidRequest, match="in order"):
        told.outbox.ack(batch, items=[batch.items[1]])
    assert told.outbox.pending("g") == 2
    told.handoff("OB-1", "reconsider", by="council", at=MONDAY)
    other = told.outbox.claim("h")
    with pytest.raises(InvalidRequest, match="not in this batch"):
        told.outbox.ack(batch, items=other.items[2:])
    assert told.outbox.ack(batch, items=[batch.items[0]]) == 1
    assert told.outbox.ack(batch, items=[batch.items[1]]) == 1
    assert told.outbox.ack(batch) == 0  # acknowledging again changes nothing
    assert told.outbox.pending("g") == 1


def test_purge_keeps_what_a_registered_group_still_needs(told: JourneyStore, clock: Clock) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    told.create("OB-2", ADULT, at=MONDAY, by="council")
    told.outbox.register("reports")
    drain(told, "webhooks")
    assert told.outbox.purge(older_than=timedelta(0)) == 0  # reports has acknowledged nothing
    batch = told.outbox.claim("reports", limit=1)
    told.outbox.ack(batch)
    assert told.outbox.purge(older_than=timedelta(days=31)) == 0  # too recent
    assert told.outbox.purge(older_than=timedelta(days=29)) == 1
    assert outbox_rows(told) == [("OB-2", 0)]
    told.outbox.forget("reports")
    assert told.outbox.groups() == ("webhooks",)
    assert told.outbox.purge(older_than=timedelta(0)) == 1
    assert told.outbox.size() == 0
    told.handoff("OB-1", "assess", by="council", at=MONDAY)  # told after the purge as before
    assert [(i.case_ref, i.seq) for i in drain(told, "webhooks")] == [("OB-1", 1)]


def test_arguments_are_checked_and_a_read_only_store_claims_nothing(
    told: JourneyStore, database: Database
) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    for bad in ("", "two words", "x" * 65, 7):
        with pytest.raises(InvalidRequest, match="consumer group"):
            told.outbox.claim(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="limit"):
        told.outbox.claim("g", limit=0)
    with pytest.raises(InvalidRequest, match="lease"):
        told.outbox.claim("g", lease=timedelta(0))
    batch = told.outbox.claim("g")
    with pytest.raises(InvalidRequest, match="after"):
        told.outbox.retry(batch, after=timedelta(seconds=-1))
    told.close()
    with JourneyStore(database.url, prefix=database.prefix, read_only=True) as reader:
        assert reader.outbox.pending("g") == 1
        with pytest.raises(ReadOnlyStore):
            reader.outbox.claim("g")
        with pytest.raises(ReadOnlyStore):
            reader.outbox.ack(batch)


def test_pathways_db_outbox_counts_registers_and_purges(
    told: JourneyStore, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    told.create("OB-1", ADULT, at=MONDAY, by="council")
    told.handoff("OB-1", "assess", by="council", at=MONDAY)
    told.outbox.ack(told.outbox.claim("webhooks", limit=1))
    told.close()
    where = [database.url, "--prefix", database.prefix]
    assert main(["db", "outbox", *where]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2 event(s) in the outbox",
        "webhooks: 1 not acknowledged",
    ]
    assert main(["db", "outbox", *where, "--register", "reports", "--purge-days", "0"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "purged 0 event(s) acknowledged by every registered group",
        "2 event(s) in the outbox",
        "reports: 2 not acknowledged",
        "webhooks: 1 not acknowledged",
    ]
    assert main(["db", "outbox", *where, "--forget", "reports", "--purge-days", "0", "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["db", "outbox", *where]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1 event(s) in the outbox"
    assert main(["db", "outbox", *where, "--register", "two words"]) == 2
    assert "consumer group 'two words' is not allowed" in capsys.readouterr().err
