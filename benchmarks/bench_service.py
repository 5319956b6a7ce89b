"""Benchmark: handoffs per second over HTTP (`pathways serve`, 4 workers) against the in-process
journey store, on the same PostgreSQL, in the same run.

Run with `.venv/bin/python benchmarks/bench_service.py [--clients 16] [--journeys 240]
[--postgres URL]` (default URL: PATHWAYS_TEST_DATABASE_URL). Each side opens its own journeys on
the Hull pathway and makes the same three handoffs on each (start-assessment,
adult-to-consent-discussion, refer-adult-to-nrm) from `--clients` threads, each on journeys of its
own. The in-process side calls `JourneyStore.handoff`; the HTTP side posts to the service on
loopback with keep-alive connections, an `Idempotency-Key` and `If-Match` on every request.
Prints handoffs per second and p50/p99 latency for both, the ratio and `met` or `not met`
against the target of 0.5x.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from pathways import load
from pathways.service.keys import KeyRing
from pathways.store import JourneyStore

ROOT = Path(__file__).resolve().parents[1]
HULL = ROOT / "pathways" / "humber" / "hull.yaml"
STEPS = ("start-assessment", "adult-to-consent-discussion", "refer-adult-to-nrm")
PROFILE = {"age_group": "adult", "consent": "given"}
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
TARGET = 0.5


def _open(store: JourneyStore, refs: list[str]) -> None:
    for ref in refs:
        store.create(ref, PROFILE, at=T0, by="hull-city-council")


def _run(
    clients: int, refs: list[str], move: Callable[[str, int, int], None]
) -> tuple[float, list[float]]:
    """Every client moves its share of `refs` through STEPS; (handoffs/s, latencies in ms)."""
    shares = [refs[i::clients] for i in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        barrier.wait()
        for ref in shares[index]:
            for step in range(len(STEPS)):
                began = time.perf_counter()
                move(ref, step, index)
                latencies[index].append(1000 * (time.perf_counter() - began))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - began
    flat = [x for row in latencies for x in row]
    return len(flat) / took, flat


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--journeys", type=int, default=240)
    parser.add_argument("--postgres", default=os.environ.get("PATHWAYS_TEST_DATABASE_URL"))
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("name a PostgreSQL server: --postgres URL or PATHWAYS_TEST_DATABASE_URL")
    prefix = f"bs{uuid.uuid4().hex[:8]}_"
    hull = load(HULL)
    store = JourneyStore(args.postgres, pathways=[hull], prefix=prefix)
    local = [f"in-{n:05d}" for n in range(args.journeys)]
    remote = [f"http-{n:05d}" for n in range(args.journeys)]
    _open(store, local + remote)

    def in_process(ref: str, step: int, _: int) -> None:
        at = T0 + timedelta(hours=step + 1)
        store.handoff(ref, STEPS[step], by="hull-city-council", at=at, key=f"{ref}-{step}")

    rate_in, lat_in = _run(args.clients, local, in_process)
    folder = Path(tempfile.mkdtemp())
    _, key = KeyRing(folder / "keys.json").add("hull-city-council")
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from pathways.cli import main; raise SystemExit(main())",
        "serve",
        "--port",
        str(port),
        "--db",
        args.postgres,
        "--prefix",
        prefix,
        "--keys",
        str(folder / "keys.json"),
        "--workers",
        "4",
    ]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, cwd=folder)
    sessions = [
        httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            timeout=30,
            headers={"Authorization": f"Bearer {key}"},
        )
        for _ in range(args.clients)
    ]
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if sessions[0].get("/ready").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the service did not start within 180 s")
            time.sleep(0.3)

        def over_http(ref: str, step: int, index: int) -> None:
            at = (T0 + timedelta(hours=step + 1)).isoformat()
            answer = sessions[index].post(
                f"/journeys/{ref}/handoffs",
                json={"handoff": STEPS[step], "at": at},
                headers={"Idempotency-Key": f"{ref}-{step}", "If-Match": f'"{step + 1}"'},
            )
            if answer.status_code != 200:
                raise RuntimeError(f"{ref} step {step}: {answer.status_code} {answer.text}")

        rate_http, lat_http = _run(args.clients, remote, over_http)
    finally:
        for session in sessions:
            session.close()
        server.terminate()
        server.wait(timeout=60)
    print(f"PostgreSQL, {args.clients} clients, {3 * args.journeys} handoffs a side")
    for label, rate, latencies in (
        ("in-process store", rate_in, lat_in),
        ("HTTP, 4 workers", rate_http, lat_http),
    ):
        print(
            f"{label}: {rate:.0f} handoffs/s, p50 {statistics.median(latencies):.1f} ms, "
            f"p99 {_percentile(latencies, 0.99):.1f} ms"
        )
    ratio = rate_http / rate_in
    verdict = "met" if ratio >= TARGET else "not met"
    print(f"HTTP / in-process: {ratio:.2f}x (target {TARGET}x): {verdict}")


if __name__ == "__main__":
    main()
