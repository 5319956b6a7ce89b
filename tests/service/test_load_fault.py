"""The service's load and fault test (issue 17): on loopback against PostgreSQL, `pathways serve`
with 4 worker processes; 16 concurrent clients with retries and idempotency keys; one worker
killed with SIGKILL during the run; the webhook receiver taken down and brought back. Then: no
handoff lost or made twice, every event delivered to the receiver at least once with a valid
signature (checked by the specification's verification written in `test_webhook_signing`),
nothing delivered to an agency the journey does not involve, and `db verify` clean."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from paths import HULL
from pathways import load
from pathways.runtime.opening import start
from pathways.service.keys import KeyRing
from pathways.service.visibility import involved
from pathways.service.webhooks import subscribe
from pathways.store import JourneyStore, check_database
from pathways.store.webhooks import WebhookRecords
from service.receiver import Receiver
from service.test_serve import _command, _free_port, _wait
from service.test_webhook_signing import independent_verify
from store.helpers import drop_prefix

URL = os.environ.get("PATHWAYS_TEST_DATABASE_URL")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not URL, reason="PATHWAYS_TEST_DATABASE_URL names no PostgreSQL"),
]
CLIENTS, JOURNEYS_EACH, WORKERS = 16, 2, 4
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
PROFILE = {"age_group": "adult", "consent": "given"}
SUBSCRIBED = ("hull-city-council", "humberside-police", "salvation-army")
DEADLINE = 90.0  # seconds for the whole run, deliveries included


def _route() -> list[tuple[str, str, str]]:
    """The steps of a Hull journey (action, handoff, agency), each allowed, worked out with the
    library itself."""
    journey = start(load(HULL), "route", PROFILE, at=T0, by="hull-city-council")
    steps: list[tuple[str, str, str]] = []
    for number in range(8):
        at = T0 + timedelta(days=number + 1)
        pending = journey.awaiting()
        if pending:
            track, waiting = sorted(pending.items())[0]
            agency = journey.compiled.stages[journey.positions[track]].owners[0]
            journey.accept(waiting.handoff, by=agency, at=at)
            steps.append(("accept", waiting.handoff, agency))
            continue
        options = sorted(
            (option.trigger, agency)
            for agency in sorted(journey.compiled.pathway.agencies)
            for option in journey.available(by=agency)
            if option.open
        )
        if not options:
            break
        journey.handoff(options[0][0], by=options[0][1], at=at)
        steps.append(("handoff", *options[0]))
    return steps


class Client(threading.Thread):
    """One case system: its journeys, every request retried until it has an answer."""

    def __init__(self, number: int, base: str, keys: dict[str, str], route: list[Any]) -> None:
        super().__init__(daemon=True)
        self.number, self.base, self.keys, self.route = number, base, keys, route
        self.retries = 0
        self.failures: list[str] = []

    def call(self, path: str, body: dict[str, Any], agency: str, key: str) -> int:
        data = json.dumps(body).encode()
        headers = {
            "Authorization": f"Bearer {self.keys[agency]}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        for attempt in range(60):
            request = urllib.request.Request(self.base + path, data=data, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=15) as answer:  # loopback
                    return int(answer.status)
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return int(exc.code)
            except OSError:  # the worker died, or the connection was reset
                pass
            self.retries += 1
            time.sleep(min(2.0, 0.05 * 2**attempt))
        return 0

    def run(self) -> None:
        for j in range(JOURNEYS_EACH):
            ref = f"LOAD-{self.number:02d}-{j}"
            body = {"case_ref": ref, "profile": PROFILE, "at": T0.isoformat()}
            status = self.call("/journeys", body, "hull-city-council", f"{ref}-open")
            if status != 201:
                self.failures.append(f"{ref} open: {status}")
                continue
            for step, (action, handoff, agency) in enumerate(self.route):
                at = (T0 + timedelta(days=step + 1)).isoformat()
                path = f"/journeys/{ref}/{'accept' if action == 'accept' else 'handoffs'}"
                status = self.call(path, {"handoff": handoff, "at": at}, agency, f"{ref}-{step}")
                if status != 200:
                    self.failures.append(f"{ref} step {step} {handoff}: {status}")


def _workers(server: subprocess.Popen[str]) -> list[int]:
    """The worker processes of uvicorn's supervisor."""
    found = []
    for task in Path(f"/proc/{server.pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return [p for p in found if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()]


def test_load_with_a_worker_killed_and_the_receiver_down(tmp_path: Path) -> None:
    assert URL is not None
    prefix = f"b17b{uuid.uuid4().hex[:8]}_"
    hull = load(HULL)
    route = _route()
    assert len(route) >= 4
    ring = KeyRing(tmp_path / "keys.json")
    keys = {agency: ring.add(agency)[1] for agency in sorted(hull.agencies)}
    receiver = Receiver().start()
    with JourneyStore(URL, pathways=[hull], prefix=prefix) as store:
        records = WebhookRecords(store.engine, prefix)
        secrets = {}
        for agency in SUBSCRIBED:
            _made, secret = subscribe.add(
                records, agency, f"{receiver.url}/{agency}", allow_private=True
            )
            secrets[f"/hooks/{agency}"] = secret
    port = _free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "PATHWAYS_WEBHOOKS_PRIVATE": "true",
        "PATHWAYS_WEBHOOKS_FIRST_RETRY": "0.2",
        "PATHWAYS_WEBHOOKS_MAX_WAIT": "1",
        "PATHWAYS_WEBHOOKS_ATTEMPTS": "1000",
        "PATHWAYS_WEBHOOKS_TIMEOUT": "2",
    }
    server = subprocess.Popen(
        _command(
            "serve",
            "--port",
            str(port),
            "--db",
            URL,
            "--prefix",
            prefix,
            "--pathway",
            str(HULL),
            "--keys",
            str(tmp_path / "keys.json"),
            "--workers",
            str(WORKERS),
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=tmp_path,
    )
    began = time.monotonic()
    try:
        _wait(f"http://127.0.0.1:{port}/ready", 60)
        clients = [Client(n, f"http://127.0.0.1:{port}", keys, route) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        time.sleep(1.0)
        receiver.stop()  # the receiver goes down ...
        time.sleep(1.0)
        workers = _workers(server)
        assert len(workers) == WORKERS
        os.kill(workers[0], signal.SIGKILL)  # ... and a worker dies mid-run
        time.sleep(2.0)
        receiver.start()  # ... and the receiver comes back, on the same port
        for client in clients:
            client.join(max(1.0, DEADLINE - (time.monotonic() - began)))
        assert not any(c.is_alive() for c in clients), "clients still running at the deadline"
        assert [f for c in clients for f in c.failures] == []
        with JourneyStore(URL, prefix=prefix) as store:
            while store.outbox.pending("webhooks") and time.monotonic() - began < DEADLINE:
                time.sleep(0.5)
            assert store.outbox.pending("webhooks") == 0, "webhooks still waiting at the deadline"
            _check(store, route, receiver, secrets)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=60)
        finally:
            receiver.stop()
            drop_prefix(URL, prefix)


def _check(store: JourneyStore, route: list[Any], receiver: Receiver, secrets: Any) -> None:
    # 0 lost, 0 made twice: every journey holds exactly its route, in order
    refs = [f"LOAD-{n:02d}-{j}" for n in range(CLIENTS) for j in range(JOURNEYS_EACH)]
    for ref in refs:
        made = [(e.what, e.trigger, e.by) for e in store.events(ref)]
        assert made[1:] == [
            ("accepted" if a == "accept" else "handoff", h, by) for a, h, by in route
        ], ref
    assert check_database(store) == []
    # every event delivered at least once, signed, and only to agencies the journey involves
    got: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for received in receiver.received:
        assert independent_verify(secrets[received.path], received.headers, received.body)
        event = json.loads(received.body)["data"]
        agency = received.path.rsplit("/", 1)[1]
        assert involved(store.load(event["case_ref"]), agency)
        got[agency].add((event["case_ref"], event["event"]["seq"]))
    for ref in refs:
        for event in store.events(ref):
            assert (ref, event.seq) in got["hull-city-council"], (ref, event.seq)
    # the receiver's time down shows: attempts refused, retried, then delivered
    deliveries = WebhookRecords(store.engine, store.tables.prefix).deliveries(limit=100_000)
    assert {d.state for d in deliveries} == {"delivered"}
    assert any(d.attempts > 1 for d in deliveries)
