"""The outbox under fire (PostgreSQL): 8 writer and 4 consumer processes, some killed with
`SIGKILL` and started again as they run; every committed event delivered, in order per journey.

The workers (`store.outbox_workers`) log what they do to files of their own. Afterwards:

- every event the store holds was delivered at least once (none lost), and what was delivered
  is what was stored (the same event dictionary: nothing delivered for an uncommitted change);
- in order per journey: every delivery of an event came after its journey's earlier event in
  the same batch, or after that event was being acknowledged (the `ack` line a consumer
  writes just before acknowledging);
- every handoff a writer saw stored is in the store, where the store said it was.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pathways.store import JourneyStore, check_database
from pathways.store.rows import entry_from_event_row
from store.helpers import ADULT, MONDAY, compiled_v1, drop_prefix, postgres_url
from store.outbox_workers import GROUP, consumer, digest, writer

WRITERS = 8
CONSUMERS = 4
CASES = [f"OK-{n:02d}" for n in range(24)]
KILLS = 12  # consumers killed (and started again), one every 1 to 2 seconds; every third
# time a writer too
DRAIN = 60.0  # at most this long for the consumers to catch up afterwards


class Crew:
    """The worker processes of one kind, each started again (a new life) after a kill.

    They are forked from this process (which holds no connection by then), so a worker
    started again is at work at once."""

    def __init__(self, target: Any, args: list[tuple[Any, ...]], logs: list[Path]) -> None:
        self.context = multiprocessing.get_context("fork")
        self.target, self.args, self.logs = target, args, logs
        self.lives = [0] * len(args)
        self.processes = [self._start(n) for n in range(len(args))]

    def _start(self, number: int) -> Any:
        args = (*self.args[number], number, self.lives[number], str(self.logs[number]))
        process = self.context.Process(target=self.target, args=args, daemon=True)
        process.start()
        return process

    def kill_and_restart(self, number: int) -> None:
        self.processes[number].kill()
        self.processes[number].join(10)
        self.lives[number] += 1
        self.processes[number] = self._start(number)

    def join(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        for process in self.processes:
            process.join(max(0.1, end - time.monotonic()))

    def kill_all(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join(10)


def _started(logs: list[Path], timeout: float) -> None:
    """Wait until every worker has started (and logged so)."""
    end = time.monotonic() + timeout
    while not all(log.exists() and log.stat().st_size for log in logs):
        assert time.monotonic() < end, "the workers did not start in time"
        time.sleep(0.2)


def _stored(store: JourneyStore) -> dict[tuple[str, int], str]:
    e = store.tables.events
    with store.engine.connect() as conn:
        rows = conn.execute(select(e)).all()
    return {(r.case_ref, r.seq): digest(entry_from_event_row(r).data) for r in rows}


@pytest.mark.postgres
@pytest.mark.slow
def test_killed_consumers_and_writers_lose_no_event_and_keep_each_journeys_order(
    tmp_path: Path,
) -> None:
    url = postgres_url()
    prefix = f"o{uuid.uuid4().hex[:10]}_"
    rng = random.Random(20261203)
    writers = consumers = None
    try:
        with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as store:
            store.outbox.register(GROUP)
            for case_ref in CASES:
                store.create(case_ref, ADULT, at=MONDAY, by="council")
        writer_logs = [tmp_path / f"writer-{n}.log" for n in range(WRITERS)]
        consumer_logs = [tmp_path / f"consumer-{n}.log" for n in range(CONSUMERS)]
        writers = Crew(writer, [(url, prefix, CASES)] * WRITERS, writer_logs)
        consumers = Crew(consumer, [(url, prefix)] * CONSUMERS, consumer_logs)
        _started([*writer_logs, *consumer_logs], timeout=60)
        for turn in range(KILLS):
            time.sleep(rng.uniform(1.0, 2.0))
            consumers.kill_and_restart(rng.randrange(CONSUMERS))
            if turn % 3 == 2:
                writers.kill_and_restart(rng.randrange(WRITERS))
        (tmp_path / "stop").touch()
        writers.join(30)
        with JourneyStore(url, prefix=prefix, upgrade=False) as store:
            deadline = time.monotonic() + DRAIN
            while store.outbox.pending(GROUP) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert store.outbox.pending(GROUP) == 0, "the consumers did not catch up in time"
            (tmp_path / "stop-consumers").touch()
            consumers.join(15)
            stored = _stored(store)
            assert check_database(store) == []
        _check(stored, consumer_logs, writer_logs)
        assert sum(consumers.lives) == KILLS
        assert sum(writers.lives) == KILLS // 3
    finally:
        for crew in (writers, consumers):
            if crew is not None:
                crew.kill_all()
        drop_prefix(url, prefix)


def _check(
    stored: dict[tuple[str, int], str], consumer_logs: list[Path], writer_logs: list[Path]
) -> None:
    got: list[tuple[int, tuple[str, int], str]] = []  # (time, event, batch), as delivered
    before: dict[str, set[tuple[str, int]]] = defaultdict(set)  # a batch's items so far
    first_ack: dict[tuple[str, int], int] = {}
    for log in consumer_logs:
        for line in log.read_text().splitlines():
            words = line.split()
            if words[0] == "got" and len(words) == 7:
                event = (words[2], int(words[3]))
                assert stored.get(event) == words[5], f"{event} delivered but never stored so"
                lease = words[6]
                # within a batch, a journey's events come in order
                assert (event[0], event[1] + 1) not in before[lease], event
                got.append((int(words[1]), event, lease))
                before[lease].add(event)
            elif words[0] == "ack" and len(words) == 4:
                event, at = (words[2], int(words[3])), int(words[1])
                first_ack[event] = min(at, first_ack.get(event, at))
    delivered = Counter(event for _, event, _ in got)
    assert any(n > 1 for n in delivered.values())  # redeliveries happened, and were checked
    lost = sorted(set(stored) - set(delivered))
    assert not lost, f"{len(lost)} stored event(s) never delivered, first {lost[:3]}"
    for at, (case_ref, seq), lease in got:
        # handed out only with its journey's earlier event in the same batch, or once that
        # event was being acknowledged
        earlier = (case_ref, seq - 1)
        if seq > 0 and earlier not in before[lease]:
            acked = first_ack.get(earlier)
            assert acked is not None, f"{case_ref} event {seq} handed out, {seq - 1} never acked"
            assert acked < at, f"{case_ref} event {seq} handed out before {seq - 1} was acked"
    done: dict[str, set[int]] = defaultdict(set)
    for log in writer_logs:
        for line in log.read_text().splitlines():
            words = line.split()
            if words[0] == "done" and len(words) == 4:
                done[words[2]].add(int(words[3]))
    assert sum(len(s) for s in done.values()) > 100
    for case_ref, seqs in done.items():
        assert all((case_ref, seq) in stored for seq in seqs)
