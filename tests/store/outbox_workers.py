"""Worker processes for the outbox test with `SIGKILL`s (`test_outbox_kill.py`).

Imported as `store.outbox_workers`; the test forks the workers. Each worker appends lines
to a log of its own with `os.write` on a file opened `O_APPEND`: a line written is in the
kernel's hands, so it survives the process being killed the moment after. Times are
`time.monotonic_ns()`, one clock for every process on the machine.

- `writer`: hands off on random journeys with idempotency keys, retrying lost races. Before
  sending it logs `send KEY CASE TRIGGER`, after the store returns `done KEY CASE SEQ`. A writer
  started again first sends its last request that has no `done` once more, with the same key
  (replayed if it was stored, made now otherwise, or refused if it no longer applies).
- `consumer`: claims batches for the group `webhooks`; logs `got TIME CASE SEQ ID DIGEST LEASE`
  for each item it delivers (`DIGEST` is a SHA-256 of the item's event, `LEASE` names the
  batch), then `ack TIME CASE SEQ`
  for each item just before it acknowledges the batch (one batch in ten is given back with
  `retry` instead, as after a failed delivery).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from datetime import timedelta
from pathlib import Path

from pathways.errors import ConcurrentUpdate, JourneyError
from pathways.store import JourneyStore, retry
from store.helpers import MONDAY, flip

GROUP = "webhooks"
LEASE = timedelta(seconds=3)


def digest(event: dict[str, object]) -> str:
    """A fingerprint of an event's canonical dictionary."""
    return hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()[:16]


def _line(handle: int, *words: object) -> None:
    os.write(handle, (" ".join(str(w) for w in words) + "\n").encode())


def _unfinished(log: Path) -> tuple[str, str, str] | None:
    """The last request this writer sent without a `done`, if any."""
    if not log.exists():
        return None
    sent: dict[str, tuple[str, str, str]] = {}
    for line in log.read_text().splitlines():
        words = line.split()
        if words[0] == "send" and len(words) == 4:
            sent[words[1]] = (words[1], words[2], words[3])
        elif words[0] in ("done", "refused") and len(words) >= 2:
            sent.pop(words[1], None)
    return next(reversed(sent.values()), None)


def writer(url: str, prefix: str, cases: list[str], number: int, life: int, log: str) -> None:
    """Hand off until `stop` exists beside the log, or after 400 handoffs."""
    path = Path(log)
    stop = path.with_name("stop")
    rng = random.Random(f"{number}-{life}")
    with JourneyStore(url, prefix=prefix, upgrade=False) as store:
        handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        _line(handle, "start", life)
        again = _unfinished(path)
        if again is not None:
            _send(store, handle, *again)
        for turn in range(400):
            if stop.exists():
                return
            case_ref = rng.choice(cases)
            key = f"w{number}-{life}-{turn}"
            trigger = flip(store.load(case_ref, history=False).stage)
            _send(store, handle, key, case_ref, trigger)


def _send(store: JourneyStore, handle: int, key: str, case_ref: str, trigger: str) -> None:
    _line(handle, "send", key, case_ref, trigger)

    def work() -> object:
        return store.handoff(case_ref, trigger, by="council", at=MONDAY, key=key)

    try:
        applied = retry(work, attempts=10, delay=0.002)
    except (JourneyError, ConcurrentUpdate):  # another writer moved the journey first
        _line(handle, "refused", key)
        return
    seq = applied.events[0].seq  # type: ignore[attr-defined]
    _line(handle, "done", key, case_ref, seq)


def consumer(url: str, prefix: str, number: int, life: int, log: str) -> None:
    """Claim, deliver (log) and acknowledge until `stop-consumers` exists beside the log."""
    path = Path(log)
    stop = path.with_name("stop-consumers")
    rng = random.Random(f"c{number}-{life}")
    with JourneyStore(url, prefix=prefix, upgrade=False) as store:
        handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        _line(handle, "start", life)
        while not stop.exists():
            try:
                batch = store.outbox.claim(GROUP, limit=rng.randint(1, 20), lease=LEASE)
            except ConcurrentUpdate:
                continue
            if not batch:
                time.sleep(0.05)
                continue
            for item in batch.items:
                _line(handle, "got", time.monotonic_ns(), item.case_ref, item.seq, item.id,
                      digest(item.event), batch.lease)  # fmt: skip
            time.sleep(rng.random() * 0.02)  # a kill may fall between delivery and ack
            if rng.random() < 0.1:
                store.outbox.retry(batch)  # as after a failed delivery: handed out again
                continue
            for item in batch.items:
                _line(handle, "ack", time.monotonic_ns(), item.case_ref, item.seq)
            store.outbox.ack(batch)
