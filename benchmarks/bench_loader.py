"""Benchmark: loading and validating pathway files.

Run with `.venv/bin/python benchmarks/bench_loader.py`. It prints, measured in the same run:

1. the time to load and validate every bundled pathway under `pathways/` (each area file reads
   the national baseline it extends; a `Library` reads each file once, as `pathways validate`
   does), and the same with a fresh `Library` per file;
2. the time to load a generated pathway of 10,000 stages and 10,000 handoffs (a chain with
   conditions, sharing and time limits), against the baseline of only parsing its YAML with
   PyYAML's C safe loader (`yaml.load(text, CSafeLoader)`): the ratio says what the checks,
   positions and validation cost on top of reading the file.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pathways.definition.loader import Library, discover, load_text  # noqa: E402
from pathways.definition.yaml_reader import dump_yaml  # noqa: E402


def best_of(runs: int, work: Callable[[], Any]) -> float:
    """The fastest of `runs` timings of `work`, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def generated(stages: int) -> str:
    """A chain of `stages` stages with a side exit at every stage, as YAML text."""
    data: dict[str, Any] = {
        "id": "bench/generated",
        "title": "Generated pathway",
        "area": "Benchshire",
        "version": "1",
        "entry": "s0",
        "roles": {"worker": {"title": "Worker"}},
        "agencies": {"agency": {"name": "Agency", "roles": ["worker"]}},
        "profile": {
            "age_group": {"values": ["adult", "child"]},
            "consent": {"values": ["given", "declined"]},
        },
        "information": {"account": {"title": "Account", "sensitivity": "special-category"}},
        "stages": {},
        "handoffs": {},
    }
    for i in range(stages - 1):
        data["stages"][f"s{i}"] = {
            "title": f"Stage {i}",
            "owner": "worker",
            "kind": "support",
            "collects": ["account"] if i == 0 else [],
            "within": "5 working days",
        }
        data["handoffs"][f"h{i}"] = {
            "from": f"s{i}",
            "to": f"s{i + 1}" if i + 1 < stages - 1 else "done",
            "by": "worker",
            "when": "age_group == 'adult' or consent == 'given'",
            "shares": ["account"],
        }
    data["stages"]["done"] = {
        "title": "Done",
        "owner": "worker",
        "kind": "outcome",
        "outcome": "supported",
    }
    return dump_yaml(data)


def main() -> None:
    files = [f for f in discover([ROOT / "pathways"]) if f.is_file()]
    shared = best_of(5, lambda: _load_all(files))
    fresh = best_of(5, lambda: [Library().load(f) for f in files])
    print(f"bundled pathways: {len(files)} files")
    print(f"  one Library for all (as 'pathways validate'): {shared * 1000:8.1f} ms")
    print(f"  a fresh Library per file:                     {fresh * 1000:8.1f} ms")

    text = generated(10_000)
    size = len(text.encode())
    ours = best_of(3, lambda: load_text(text, path="generated.yaml"))
    parse_only = best_of(3, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    print(f"generated pathway: 10,000 stages, 9,999 handoffs, {size / 1e6:.1f} MB of YAML")
    print(f"  pathways load + validate:  {ours:6.2f} s")
    print(f"  baseline yaml CSafeLoader: {parse_only:6.2f} s (parse only, no checks)")
    print(f"  ratio: {ours / parse_only:.1f}x the bare parse")


def _load_all(files: list[Path]) -> list[Any]:
    library = Library()
    return [library.load(f) for f in files]


if __name__ == "__main__":
    main()
