"""Benchmark: handoffs per second over HTTP (`pathways serve`, 4 workers) against the in-process
journey store, on the same PostgreSQL, in the same run, driven the same way.

Run with `.venv/bin/python benchmarks/bench_service.py [--clients 16] [--processes 1]
[--workers 4] [--journeys 240] [--rounds 2] [--postgres URL]` (default URL:
PATHWAYS_TEST_DATABASE_URL).

Each side opens its own journeys on the Hull pathway and makes the same three handoffs on each
(start-assessment, adult-to-consent-discussion, refer-adult-to-nrm), each with an idempotency
key and the revision expected, from `--clients` clients: threads spread over `--processes`
processes, each client on journeys of its own, all released at once after a warm-up (the
pathway read and compiled; over HTTP, each connection opened with one read). In-process, each
process opens its own `JourneyStore` and the clients call `JourneyStore.handoff`; over HTTP,
each client keeps one keep-alive connection (`http.client`, the leanest client in the standard
library, so that the load generator takes little of the CPU the service needs) and posts with
`Idempotency-Key` and `If-Match`. A handoff the database failed (503 over HTTP) is tried
again with the same key, on both sides, and counted. One process of 16 threads is the
in-process store's best on two cores (more processes take CPU from PostgreSQL), so it is the
default for both sides.

The sides take turns over `--rounds` rounds (in-process then HTTP, then HTTP then in-process,
...), each on its share of the journeys, so that a machine getting busier or quieter during the
run weighs on both alike. Prints handoffs per second and p50/p99 latency for both, the CPU
time each side used per handoff (clients, and the service's processes; not PostgreSQL's), which
a busy machine disturbs less than the rates, the ratio and `met` or `not met` against the
target of 0.5x. The tables are dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
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
from typing import Any

from pathways import load
from pathways.errors import DatabaseFailure
from pathways.service.keys import KeyRing
from pathways.store import JourneyStore

ROOT = Path(__file__).resolve().parents[1]
HULL = ROOT / "pathways" / "humber" / "hull.yaml"
STEPS = ("start-assessment", "adult-to-consent-discussion", "refer-adult-to-nrm")
PROFILE = {"age_group": "adult", "consent": "given"}
BY = "hull-city-council"
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
TARGET = 0.5
RETRIES = 8  # a request the database failed is sent again (same key), at most this often


def _at(step: int) -> datetime:
    return T0 + timedelta(hours=step + 1)


def _in_process(job: dict[str, Any], ready: Callable[[], None]) -> Any:
    """One client: every journey of its share through STEPS with the store's own call."""
    store: JourneyStore = job["store"]
    ready()
    latencies, retries = [], 0
    for ref in job["refs"]:
        for step, name in enumerate(STEPS):
            began = time.monotonic()
            for attempt in range(RETRIES + 1):
                try:
                    store.handoff(
                        ref, name, by=BY, at=_at(step), key=f"{ref}-{step}", expected=step + 1
                    )
                    break
                except DatabaseFailure:  # e.g. the server's connections all taken: again
                    if attempt == RETRIES:
                        raise
                    retries += 1
                    time.sleep(min(2.0, 0.1 * 2**attempt))
            latencies.append(time.monotonic() - began)
    return latencies, retries


def _over_http(job: dict[str, Any], ready: Callable[[], None]) -> Any:
    """One client: the same handoffs posted on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=60)
    authorised = {"Authorization": f"Bearer {job['key']}"}
    latencies, retries = [], 0
    try:
        conn.request("GET", f"/journeys/{job['refs'][0]}", headers=authorised)  # warm up
        conn.getresponse().read()
        ready()
        for ref in job["refs"]:
            for step, name in enumerate(STEPS):
                body = json.dumps({"handoff": name, "at": _at(step).isoformat()}).encode()
                headers = {
                    **authorised,
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"{ref}-{step}",
                    "If-Match": f'"{step + 1}"',
                }
                began = time.monotonic()
                for attempt in range(RETRIES + 1):
                    conn.request("POST", f"/journeys/{ref}/handoffs", body, headers)
                    answer = conn.getresponse()
                    text = answer.read()
                    if answer.status != 503 or attempt == RETRIES:
                        break
                    retries += 1  # the database failed: again, with the same idempotency key
                    time.sleep(min(2.0, 0.1 * 2**attempt))
                latencies.append(time.monotonic() - began)
                if answer.status != 200:
                    raise RuntimeError(f"{ref} step {step}: {answer.status} {text[:300]!r}")
    finally:
        conn.close()
    return latencies, retries


def _process(
    side: str, shares: list[list[str]], setup: dict[str, Any], start: Any, out: Any
) -> None:
    """One client process: a thread per client, each warmed up, then all released at once
    (with the other processes' clients, by `start`)."""
    store = None
    if side == "in-process":
        store = JourneyStore(setup["url"], prefix=setup["prefix"], upgrade=False)
        store.load(shares[0][0])  # warm up: the pathway version read and compiled
    work = _in_process if side == "in-process" else _over_http
    results: list[Any] = [None] * len(shares)
    warmed, go = (threading.Barrier(len(shares) + 1, timeout=600) for _ in range(2))

    def ready() -> None:
        warmed.wait()
        go.wait()

    def client(index: int) -> None:
        try:
            results[index] = work({**setup, "store": store, "refs": shares[index]}, ready)
        except Exception as exc:  # reported to the parent, which stops the run
            results[index] = f"{type(exc).__name__}: {exc}"
            warmed.abort()
            go.abort()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(shares))]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        warmed.wait()
    start.wait()
    began, cpu = time.monotonic(), time.process_time()
    with contextlib.suppress(threading.BrokenBarrierError):
        go.wait()
    for thread in threads:
        thread.join()
    out.put((began, time.monotonic(), results, time.process_time() - cpu))
    if store is not None:
        store.close()


def _run(side: str, refs: list[str], args: argparse.Namespace, setup: dict[str, Any]) -> Any:
    """The time one side took over `refs` (seconds), its latencies (ms), its retries and the
    CPU time its client processes used (seconds)."""
    context = multiprocessing.get_context("spawn")
    shares = [refs[i :: args.clients] for i in range(args.clients)]
    per = [shares[p :: args.processes] for p in range(args.processes)]
    start, out = context.Barrier(args.processes), context.Queue()
    workers = [
        context.Process(target=_process, args=(side, per[p], setup, start, out))
        for p in range(args.processes)
    ]
    for worker in workers:
        worker.start()
    done = [out.get(timeout=900) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    failures = [r for _, _, rs, _ in done for r in rs if isinstance(r, str)]
    if failures:
        raise SystemExit(f"{side}: {failures[0]}")
    took = max(d[1] for d in done) - min(d[0] for d in done)
    latencies = [1000 * x for _, _, rs, _ in done for r in rs for x in r[0]]
    retried = sum(r[1] for _, _, rs, _ in done for r in rs)
    return took, latencies, retried, sum(d[3] for d in done)


def _service_cpu(pid: int) -> float:
    """CPU seconds used so far by the service's processes (Linux /proc; 0 elsewhere)."""
    total, tick = 0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # the supervisor or a worker
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(args: argparse.Namespace, prefix: str, folder: Path) -> tuple[Any, int]:
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
        str(args.workers),
    ]
    # the service runs the same code as this script (PYTHONPATH=src would not hold in `folder`)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    # no webhook dispatcher: the in-process side tells no one either, so both sides do the same
    environment["PATHWAYS_WEBHOOKS_DISPATCH"] = "false"
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, cwd=folder, env=environment)
    deadline = time.monotonic() + 180
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/ready")
            if conn.getresponse().status == 200:
                conn.close()
                return server, port
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            raise SystemExit("the service did not start within 180 s")
        time.sleep(0.3)


def _drop(url: str, prefix: str) -> None:
    from sqlalchemy import create_engine, text

    from pathways.store.tables import build_tables
    from pathways.store.webhook_tables import webhook_tables

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            webhook_tables(prefix).metadata.drop_all(conn)
            build_tables(prefix).metadata.drop_all(conn)
            conn.execute(text(f'DROP TABLE IF EXISTS "{prefix}alembic_version"'))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=1, help="client processes, each side")
    parser.add_argument("--workers", type=int, default=4, help="the service's worker processes")
    parser.add_argument("--journeys", type=int, default=240, help="journeys a side, in all")
    parser.add_argument("--rounds", type=int, default=2, help="alternate the sides this often")
    parser.add_argument("--postgres", default=os.environ.get("PATHWAYS_TEST_DATABASE_URL"))
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("name a PostgreSQL server: --postgres URL or PATHWAYS_TEST_DATABASE_URL")
    prefix = f"bs{uuid.uuid4().hex[:8]}_"
    store = JourneyStore(args.postgres, pathways=[load(HULL)], prefix=prefix)
    took = {"in-process": 0.0, "http": 0.0}
    retries = {"in-process": 0, "http": 0}
    cpu = {"in-process": 0.0, "http": 0.0, "service": 0.0}
    latencies: dict[str, list[float]] = {"in-process": [], "http": []}
    try:
        refs = {side: [f"{side}-{n:05d}" for n in range(args.journeys)] for side in took}
        for ref in refs["in-process"] + refs["http"]:
            store.create(ref, PROFILE, at=T0, by=BY)
        store.close()
        folder = Path(tempfile.mkdtemp())
        _, key = KeyRing(folder / "keys.json").add(BY)
        server, port = _serve(args, prefix, folder)
        setups = {
            "in-process": {"url": args.postgres, "prefix": prefix},
            "http": {"port": port, "key": key},
        }
        try:
            for round_ in range(args.rounds):  # in, http; http, in; ...: drift hits both sides
                order = ["in-process", "http"] if round_ % 2 == 0 else ["http", "in-process"]
                for side in order:
                    share = refs[side][round_ :: args.rounds]
                    served = _service_cpu(server.pid)
                    seconds, measured, again, used = _run(side, share, args, setups[side])
                    if side == "http":
                        cpu["service"] += _service_cpu(server.pid) - served
                    cpu[side] += used
                    took[side] += seconds
                    retries[side] += again
                    latencies[side] += measured
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        store.close()
        _drop(args.postgres, prefix)
    print(
        f"PostgreSQL, {args.clients} clients in {args.processes} process(es) a side, "
        f"{3 * args.journeys} handoffs a side in {args.rounds} alternating rounds"
    )
    rates = {side: len(latencies[side]) / took[side] for side in took}
    labels = {"in-process": "in-process store", "http": f"HTTP, {args.workers} workers"}
    for side, label in labels.items():
        print(
            f"{label}: {rates[side]:.0f} handoffs/s, p50 {statistics.median(latencies[side]):.1f} "
            f"ms, p99 {_percentile(latencies[side], 0.99):.1f} ms"
            + (f" ({retries[side]} retries after a database failure)" if retries[side] else "")
        )
    per = {k: 1000 * v / len(latencies["http" if k == "service" else k]) for k, v in cpu.items()}
    print(
        f"CPU per handoff (PostgreSQL not counted): in-process {per['in-process']:.2f} ms; "
        f"HTTP {per['http']:.2f} ms in the clients + {per['service']:.2f} ms in the service"
    )
    ratio = rates["http"] / rates["in-process"]
    verdict = "met" if ratio >= TARGET else "not met"
    print(f"HTTP / in-process: {ratio:.2f}x (target {TARGET}x): {verdict}")


if __name__ == "__main__":
    main()
