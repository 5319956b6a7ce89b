"""The outbox's promises for any interleaving of writes, claims, acknowledgements, retries and
leases running out (a Hypothesis state machine on SQLite, against a model of the promises).

After every claim: each journey's items follow on from what the group acknowledged, in event
order; no journey held by a lease that is still running (or waiting out a retry) is handed out
again; and a batch with room to spare left no claimable journey out. At the end, with time moved
on, everything not yet acknowledged is handed out and acknowledged: every event was delivered.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pathways.errors import InvalidRequest
from pathways.store import JourneyStore, OutboxBatch
from store.helpers import ADULT, MONDAY, compiled_v1, flip

GROUP = "g"
CASES = ["P-0", "P-1", "P-2"]


@dataclass
class Journey:
    """The model of one journey in the group: its events and the group's progress."""

    events: int = 0
    acked: int = -1
    holder: str | None = None  # the lease of the batch holding it
    until: datetime | None = None
    leased_to: int = -1
    not_before: datetime | None = None
    attempts: int = 0
    stage: str = "identified"
    delivered: set[int] = field(default_factory=set)

    def held(self, now: datetime) -> bool:
        leased = self.holder is not None and self.until is not None and self.until > now
        return leased or (self.not_before is not None and self.not_before > now)


class OutboxMachine(RuleBasedStateMachine):
    @initialize()
    def open_store(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.now = MONDAY + timedelta(days=1)
        self.store = JourneyStore(
            f"sqlite:///{Path(self.folder.name) / 'outbox.sqlite3'}",
            pathways=[compiled_v1()],
            clock=lambda: self.now,
        )
        self.journeys: dict[str, Journey] = {}
        self.batches: list[OutboxBatch] = []

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            self.folder.cleanup()

    @rule(case_ref=st.sampled_from(CASES))
    def write(self, case_ref: str) -> None:
        journey = self.journeys.get(case_ref)
        if journey is None:
            self.store.create(case_ref, ADULT, at=MONDAY, by="council")
            self.journeys[case_ref] = Journey(events=1)
            return
        trigger = flip(journey.stage)
        applied = self.store.handoff(case_ref, trigger, by="council", at=MONDAY)
        journey.events += 1
        journey.stage = applied.events[0].to_stage or journey.stage

    @rule(limit=st.integers(1, 5), lease=st.integers(1, 60))
    def claim(self, limit: int, lease: int) -> None:
        batch = self.store.outbox.claim(GROUP, limit=limit, lease=timedelta(seconds=lease))
        by_journey: dict[str, list[int]] = {}
        for item in batch.items:
            by_journey.setdefault(item.case_ref, []).append(item.seq)
        for case_ref, seqs in by_journey.items():
            journey = self.journeys[case_ref]
            assert not journey.held(self.now), (case_ref, "handed out while held")
            assert seqs == list(range(journey.acked + 1, journey.acked + 1 + len(seqs)))
            journey.holder, journey.until = batch.lease, batch.lease_until
            journey.leased_to, journey.not_before = seqs[-1], None
            journey.attempts += 1
            journey.delivered.update(seqs)
        for item in batch.items:
            assert item.attempts == self.journeys[item.case_ref].attempts
        if len(batch) < limit:  # room to spare: nothing claimable was left out
            for case_ref, journey in self.journeys.items():
                waiting = journey.events - 1 > journey.acked and not journey.held(self.now)
                assert not waiting or case_ref in by_journey, (case_ref, "left out")
                if case_ref in by_journey:
                    assert by_journey[case_ref][-1] == journey.events - 1
        self.batches.append(batch)

    @precondition(lambda self: self.batches)
    @rule(data=st.data())
    def ack(self, data: st.DataObject) -> None:
        batch = data.draw(st.sampled_from(self.batches), label="batch")
        count = data.draw(st.integers(0, len(batch)), label="items")
        chosen = batch.items[:count]
        skip = [i for i in batch.items[1:count] if i.case_ref == batch.items[0].case_ref]
        if skip and data.draw(st.booleans(), label="out of order"):
            first = self.journeys[batch.items[0].case_ref]
            if first.acked < batch.items[0].seq:  # leaving the first out skips an event
                with pytest.raises(InvalidRequest):
                    self.store.outbox.ack(batch, items=skip)
                return
        self.store.outbox.ack(batch, items=chosen)
        for case_ref in {i.case_ref for i in chosen}:
            journey = self.journeys[case_ref]
            journey.acked = max(journey.acked, *(i.seq for i in chosen if i.case_ref == case_ref))
            if journey.holder == batch.lease and journey.acked >= journey.leased_to:
                journey.holder = journey.until = None
                journey.attempts = 0

    @precondition(lambda self: self.batches)
    @rule(data=st.data(), after=st.integers(0, 30))
    def retry(self, data: st.DataObject, after: int) -> None:
        batch = data.draw(st.sampled_from(self.batches), label="batch")
        self.store.outbox.retry(batch, after=timedelta(seconds=after))
        for case_ref in {i.case_ref for i in batch.items}:
            journey = self.journeys[case_ref]
            if journey.holder == batch.lease:
                journey.holder = journey.until = None
                journey.not_before = self.now + timedelta(seconds=after)

    @rule(seconds=st.integers(0, 90))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @invariant()
    def pending_counts_what_is_not_acknowledged(self) -> None:
        if hasattr(self, "store"):
            left = sum(j.events - 1 - j.acked for j in self.journeys.values())
            assert self.store.outbox.pending(GROUP) == left

    @rule()
    def everything_is_delivered_in_the_end(self) -> None:
        self.now += timedelta(hours=1)
        while batch := self.store.outbox.claim(GROUP, limit=7):
            for item in batch.items:
                journey = self.journeys[item.case_ref]
                assert item.seq == journey.acked + 1
                journey.acked = item.seq
                journey.delivered.add(item.seq)
            self.store.outbox.ack(batch)
        for journey in self.journeys.values():
            journey.holder = journey.until = journey.not_before = None
            journey.attempts = 0
            assert journey.delivered == set(range(journey.events))


TestOutboxMachine = OutboxMachine.TestCase
TestOutboxMachine.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
