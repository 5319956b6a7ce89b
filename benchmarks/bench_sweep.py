"""Sweep speed: 50 points x 10 replications of the Hull scenario, run serially, in 2 local
processes and on a 2-worker Dask LocalCluster (loopback), with the same numbers each way.

Targets: local processes at least 1.7x faster than serial, Dask at least 1.5x. The Dask workers
have the library imported before the clock starts, as on a cluster already running. Prints each
time, the ratios against serial measured in this run, `met` or `not met`, and checks that the
three runs wrote identical Parquet files.

    python benchmarks/bench_sweep.py [--points 50] [--replications 10]
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
from pathlib import Path
from typing import Any

import dask as dask_config
from distributed import Client, LocalCluster

from pathways import load
from pathways.parquet import read_table
from pathways.simulation import load_scenario
from pathways.simulation.sweep import Grid, point_file, run_on_dask, run_sweep, sweep_tasks

ROOT = Path(__file__).resolve().parents[1]


def _grid(points: int, replications: int) -> Grid:
    return Grid.model_validate(
        {
            "sample": "latin-hypercube",
            "points": points,
            "replications": replications,
            "seed": 1,
            "parameters": {
                "capacity.hull-city-council.caseworkers": (1, 2, 3),
                "branches.rg-decision.rg-positive": {"low": 0.4, "high": 0.9},
                "arrivals.per_year": {"low": 60.0, "high": 140.0},
            },
            "outputs": ("journeys", "closed", "support_share", "days_to_support"),
        }
    )


def _timed(label: str, run: Any) -> float:
    began = time.perf_counter()
    run()
    took = time.perf_counter() - began
    print(f"{label}: {took:.1f} s")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--replications", type=int, default=10)
    args = parser.parse_args()
    pathway = load(ROOT / "pathways" / "humber" / "hull.yaml")
    scenario = load_scenario(ROOT / "scenarios" / "humber" / "hull.yaml")
    grid = _grid(args.points, args.replications)
    print(f"Hull scenario, {args.points} points x {args.replications} replications")
    with tempfile.TemporaryDirectory() as scratch:
        folders = {k: Path(scratch) / k for k in ("serial", "local", "dask")}
        tasks = {k: sweep_tasks(pathway, scenario, grid, f) for k, f in folders.items()}
        serial = _timed("serial (1 process)", lambda: run_sweep(tasks["serial"]))
        local = _timed("local processes (2)", lambda: run_sweep(tasks["local"], workers=2))
        # CPU-bound pure-Python tasks: the worker's statistical profiler (a thread sampling the
        # task's stack every 10 ms) competes with them for the GIL; docs/sweeps.md says the same
        with dask_config.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
            )
        try:
            with Client(cluster) as client:  # a running cluster has the library imported already
                client.run(importlib.import_module, "pathways.simulation.sweep.runner")
            dask = _timed(
                "Dask LocalCluster (2 workers)", lambda: run_on_dask(tasks["dask"], cluster)
            )
        finally:
            cluster.close()
        same = all(
            read_table(point_file(folders["serial"], a.point))[0]
            == read_table(point_file(folders[k], b.point))[0]
            for k in ("local", "dask")
            for a, b in zip(tasks["serial"], tasks[k], strict=True)
        )
    print(f"identical Parquet contents: {'yes' if same else 'NO'}")
    for label, took, target in (("local processes", local, 1.7), ("Dask", dask, 1.5)):
        ratio = serial / took
        verdict = "met" if ratio >= target and same else "not met"
        print(f"{label}: {ratio:.2f}x serial (target {target}x): {verdict}")


if __name__ == "__main__":
    main()
