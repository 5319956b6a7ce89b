"""The webhook dispatcher: the consumer of the store's outbox group `webhooks`.

It runs as a thread in each worker process of `pathways serve` (started and stopped with the
application; `dispatch: false` in the configuration's `webhooks:` block turns it off), so
there is no other process to deploy, and several workers share the group: the outbox hands
each item to one consumer at a time, in order per journey, leased for 4 times the send timeout
(at least 10 seconds), and hands it out again when a consumer dies and its lease runs out. A
batch stops taking new items at half its lease and gives the rest back at once.

For each outbox item it finds the subscriptions that get the event (`payloads.recipients`),
records a delivery for each (its id, `msg_<outbox item>_<subscription>`, is the `webhook-id`
on every attempt) and attempts those not yet delivered, recording every attempt. An item is
acknowledged only when each of its deliveries has had a 2xx answer or has been recorded as
dead (every attempt failed, or the receiver answered 410 Gone, which also marks the
subscription `gone`); otherwise it goes back to the outbox to be tried again after an
exponential back-off with jitter (`Retries`), or after the `Retry-After` a 429 or 503 asked
this worker for. A journey's later events wait behind its earlier ones, so each receiver sees a
journey's events in order. A receiver that is down therefore loses nothing: its events stay
in the outbox until it answers or until they are in the dead-letter list, from which an operator
replays them (`replay`, `pathways serve webhooks replay`).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pathways.errors import JourneyNotFound, PathwayError
from pathways.service.webhooks import payloads, sender, signing
from pathways.service.webhooks.settings import Retries
from pathways.store import JourneyStore
from pathways.store.webhooks import Delivery, Subscription, Tried, WebhookRecords

__all__ = ["GROUP", "Dispatcher"]

#: The outbox consumer group of the webhooks.
GROUP = "webhooks"
_LOG = logging.getLogger("pathways.service.webhooks")


@dataclass
class _Outcome:
    finished: bool
    wait: float


class Dispatcher:
    """Sends the outbox's events to their subscriptions (see the module's docstring)."""

    def __init__(
        self,
        store: JourneyStore,
        *,
        retries: Retries | None = None,
        timeout: float = 10.0,
        allow_private: bool = False,
        batch: int = 20,
        poll: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.records = WebhookRecords(store.engine, store.tables.prefix)
        self.retries = retries or Retries()
        self.timeout, self.allow_private = timeout, allow_private
        self.batch, self.poll, self.clock = batch, poll, clock
        self._held: dict[str, float] = {}  # subscription -> monotonic time of Retry-After
        self._gone: set[str] = set()  # subscriptions that answered 410 Gone
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="pathways-webhook")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Attempts

    def _send(self, delivery: Delivery, subscription: Subscription) -> sender.Outcome:
        data = payloads.body(delivery.payload)
        headers = signing.headers(subscription.secret, delivery.id, int(time.time()), data)
        return sender.post(
            subscription.url, data, headers, timeout=self.timeout, allow_private=self.allow_private
        )

    def attempt_all(
        self, due: Sequence[tuple[Delivery, Subscription]], *, last: bool = False
    ) -> list[Delivery]:
        """Send each delivery once (at the same time, a few at once) and record the attempts
        in one transaction: delivered, pending, or dead (after its last attempt, or `last`)."""
        if not due:
            return []
        outcomes = list(self._pool.map(lambda pair: self._send(*pair), due))
        tried = []
        for (delivery, subscription), outcome in zip(due, outcomes, strict=True):
            if outcome.delivered:
                state = "delivered"
            elif last or outcome.status == 410 or delivery.attempts + 1 >= self.retries.attempts:
                state = "dead"
            else:
                state = "pending"
            if outcome.status == 410:
                self.records.set_state(subscription.id, "gone")
                self._gone.add(subscription.id)
            if outcome.retry_after is not None:
                self._held[subscription.id] = time.monotonic() + outcome.retry_after
            tried.append(
                Tried(delivery.id, outcome.status, outcome.error, outcome.ms, self.clock(), state)
            )
        recorded = self.records.record_all(tried)
        for attempt, delivery in zip(tried, recorded, strict=True):
            _LOG.info(
                '{"webhook": "%s", "attempt": %d, "status": %s, "error": "%s", "state": "%s"}',
                delivery.id,
                delivery.attempts,
                "null" if attempt.status is None else attempt.status,
                attempt.error or "",
                delivery.state,
            )
        return recorded

    # One outbox item

    def _wait(self, delivery: Delivery, subscription: Subscription) -> float:
        """Seconds before `delivery` may be attempted again (0: now): its back-off since its
        last attempt (with jitter drawn from its id, so every worker works out the same), or
        the `Retry-After` its receiver asked this worker for."""
        held = self._held.get(subscription.id, 0.0) - time.monotonic()
        if delivery.attempts == 0:
            return max(0.0, held)
        rng = random.Random(f"{delivery.id}:{delivery.attempts}")
        due = delivery.updated_at + timedelta(seconds=self.retries.delay(delivery.attempts, rng))
        return max(0.0, held, (due - self.clock()).total_seconds())

    def handle(self, item: Any, subscriptions: Sequence[Subscription]) -> _Outcome:
        """Deliver one outbox item to its subscriptions: finished, or wait this long first."""
        try:
            journey = self.store.load(item.case_ref)
        except JourneyNotFound:
            return _Outcome(True, 0.0)
        now = self.clock()
        wanted: list[Delivery] = []
        chosen: dict[str, Subscription] = {}
        for subscription in payloads.recipients(journey, item.kind, subscriptions):
            data = payloads.payload(journey, item.seq, subscription.agency)
            if data is None or subscription.id in self._gone:
                continue
            ident = f"msg_{item.id}_{subscription.id}"
            chosen[ident] = subscription
            wanted.append(
                Delivery(
                    ident, subscription.id, item.case_ref, item.seq, item.kind, data,
                    "pending", 0, now, now,
                )
            )  # fmt: skip
        deliveries = self.records.open_deliveries(wanted)
        due = [
            (d, chosen[d.id])
            for d in deliveries
            if d.state == "pending" and self._wait(d, chosen[d.id]) == 0
        ]
        tried = {d.id: d for d in self.attempt_all(due)}
        waits = [
            max(0.05, self._wait(d, chosen[d.id]))
            for d in (tried.get(d.id, d) for d in deliveries)
            if d.state == "pending"
        ]
        return _Outcome(not waits, min(waits, default=0.0))

    def handle_all(
        self, items: Iterable[Any], until: float = float("inf")
    ) -> tuple[list[Any], list[float]]:
        """Handle claimed items in order: those finished, and the waits of the others (a
        journey's later items wait behind its first unfinished one). Items not started by
        `until` (a `time.monotonic()`) are left, to be given back at once."""
        subscriptions = self.records.subscriptions()
        finished: list[Any] = []
        waits: list[float] = []
        blocked: set[str] = set()
        for item in items:
            if time.monotonic() > until:
                waits.append(0.0)
                break
            if item.case_ref in blocked:
                continue
            outcome = self.handle(item, subscriptions)
            if outcome.finished:
                finished.append(item)
            else:
                waits.append(outcome.wait)
                blocked.add(item.case_ref)
        return finished, waits

    # The outbox

    def run_once(self) -> int:
        """Claim one batch from the outbox, deliver it, acknowledge what is finished and give
        the rest back until the soonest of their waits; the number of items claimed."""
        outbox = self.store.outbox
        lease = max(10.0, 4 * self.timeout)
        claimed = outbox.claim(GROUP, limit=self.batch, lease=timedelta(seconds=lease))
        if not claimed.items:
            return 0
        try:
            finished, waits = self.handle_all(claimed.items, time.monotonic() + lease / 2)
        except PathwayError:
            outbox.retry(claimed, after=timedelta(seconds=1))
            raise
        if finished:
            outbox.ack(claimed, finished)
        if waits:
            outbox.retry(claimed, after=timedelta(seconds=min(waits)))
        return len(claimed.items)

    def run(self) -> None:
        """Deliver until `stop`: a batch at a time, pausing `poll` seconds when there is none."""
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception as exc:  # the database failed, or worse: log it and keep going
                # (what was claimed is given back, or handed out again when its lease runs out)
                _LOG.warning('{"webhooks": "dispatch failed", "error": "%s"}', type(exc).__name__)
                busy = 0
            if not busy:
                self._stop.wait(self.poll)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="pathways-webhooks", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait)
            self._thread = None

    # Replays

    def replay(self, deliveries: Iterable[Delivery]) -> list[Delivery]:
        """Send each delivery once more now (an operator's replay of the dead-letter list or of
        anything a receiver lost), recording the attempt; a removed subscription is skipped."""
        due = []
        for delivery in deliveries:
            subscription = self.records.subscription(delivery.subscription_id)
            if subscription.state != "removed":
                due.append((delivery, subscription))
        return self.attempt_all(due, last=True)
