"""Benchmark: journey handoffs and binding stored journeys, against plain `transitions`.

Run with `.venv/bin/python benchmarks/bench_journey.py [pathway.yaml]` (default: the Hull
pathway, `pathways/humber/hull.yaml`). Everything is measured in the same run on this machine:

1. One handoff: `Journey.handoff` (authorisation, condition, join, sharing check, driving the
   shared machine and recording the event) against a bare trigger (`model.trigger(name)`) on an
   equivalent machine: the same states and transitions, built by plain `transitions` with the
   model added by `add_model`. Measured twice: with the same guards on the bare machine, and with
   no guards at all. Target: at most 1.5x.
2. Binding 100,000 stored journeys (snapshots decoded from JSON) so that each can be handed off,
   against creating a model and `add_model`-ing it to a plain machine at the same stage. Target:
   at least 20x faster, and under 2 KB of memory per bound journey (measured with `tracemalloc`,
   counting everything the journeys keep, their snapshot data included).

`add_model` slows down as a machine holds more models (it checks the model list), so it is
measured on 10,000 journeys added to a fresh machine, its cheapest case, and compared per journey.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from transitions.extensions.nesting import HierarchicalMachine  # noqa: E402

from pathways.definition.loader import load  # noqa: E402
from pathways.runtime.compiler import CompiledPathway, compile_pathway  # noqa: E402
from pathways.runtime.guards import HandoffRule  # noqa: E402
from pathways.runtime.journey import Journey  # noqa: E402
from pathways.runtime.opening import bind, start  # noqa: E402

LONDON = ZoneInfo("Europe/London")
AT = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
HANDOFFS = 20_000
ROUNDS = 5
BOUND = 100_000
ADDED = 10_000


class Case:
    """A plain model for the bare `transitions` machine."""


def first_handoff(compiled: CompiledPathway) -> tuple[dict[str, Any], HandoffRule, str]:
    """A profile, a handoff from the entry open to it (preferring one that starts no track)."""
    names = list(compiled.pathway.profile)
    domains = [compiled.pathway.profile[n].domain for n in names]
    found: list[tuple[dict[str, Any], HandoffRule, str]] = []
    for values in itertools.product(*domains):
        profile = dict(zip(names, values, strict=True))
        positions = {"main": compiled.pathway.entry}
        for rule in compiled.entry.exits:
            for agency in sorted(rule.agencies):
                if compiled.refusal(positions, profile, rule.name, agency, tuple(rule.shares)):
                    continue
                found.append((profile, rule, agency))
    if not found:
        raise SystemExit("no handoff leaves the entry stage for any profile")
    found.sort(key=lambda f: (bool(f[1].starts), f[1].condition is None, -len(f[1].shares)))
    return found[0]


def plain_machine(compiled: CompiledPathway) -> type[HierarchicalMachine]:
    """Plain `transitions` for the baseline: its own transition class, only the state names'
    separator set to the compiled machine's (so the same definition loads)."""
    return type(
        "PlainMachine", (HierarchicalMachine,), {"state_cls": type(compiled.machine).state_cls}
    )


def time_handoffs(compiled: CompiledPathway) -> tuple[float, float, float, str]:
    profile, rule, agency = first_handoff(compiled)
    shares = tuple(sorted(rule.shares))
    machine_class = plain_machine(compiled)
    guarded = dict(compiled.machine_definition)
    bare = dict(guarded)
    bare["transitions"] = [
        {k: v for k, v in t.items() if k != "conditions"} for t in guarded["transitions"]
    ]
    initial = compiled.machine_state({"main": compiled.pathway.entry})
    ours, with_guards, without_guards = [], [], []
    for _ in range(ROUNDS):
        journeys = [start(compiled, f"B-{i}", profile, AT, agency) for i in range(HANDOFFS)]
        t0 = time.perf_counter()
        for journey in journeys:
            journey.handoff(rule.name, by=agency, at=AT, shares=shares)
        ours.append((time.perf_counter() - t0) / HANDOFFS)
        for definition, into in ((guarded, with_guards), (bare, without_guards)):
            models = []
            for _ in range(HANDOFFS):
                model = Case()
                model.profile = profile  # type: ignore[attr-defined]
                models.append(model)
            machine_class(model=models, **{**definition, "initial": initial})
            t0 = time.perf_counter()
            for model in models:
                model.trigger(rule.name, by=agency, shares=shares)  # type: ignore[attr-defined]
            into.append((time.perf_counter() - t0) / HANDOFFS)
            assert all(m.machine_state != initial for m in models)  # type: ignore[attr-defined]
        del journeys
        gc.collect()
    label = f"'{rule.name}' by {agency}" + (", starting a track" if rule.starts else "")
    return min(ours), min(with_guards), min(without_guards), label


def stored_journeys(compiled: CompiledPathway, count: int) -> list[str]:
    """JSON snapshots of journeys part-way along the pathway, as a store would hold them."""
    rng = random.Random(2025)
    names = list(compiled.pathway.profile)
    domains = [compiled.pathway.profile[n].domain for n in names]
    agencies = sorted(compiled.pathway.agencies)
    samples: list[dict[str, Any]] = []
    for index in range(300):
        profile = {n: rng.choice(d) for n, d in zip(names, domains, strict=True)}
        journey = start(compiled, f"S-{index}", profile, AT, rng.choice(agencies))
        when = AT
        for _ in range(rng.randint(0, 6)):
            when += timedelta(hours=rng.randint(1, 72))
            choices = [
                (o.trigger, a) for a in agencies for o in journey.available(by=a, at=when) if o.open
            ]
            if not choices:
                break
            trigger, agency = rng.choice(choices)
            journey.handoff(trigger, by=agency, at=when)
        samples.append(journey.snapshot())
    texts = []
    for index in range(count):
        snapshot = dict(samples[index % len(samples)])
        snapshot["case_ref"] = f"HU-{index:07d}"
        texts.append(json.dumps(snapshot))
    return texts


def bind_ours(compiled: CompiledPathway, decoded: list[dict[str, Any]]) -> list[Journey]:
    return [bind(compiled, snapshot) for snapshot in decoded]


def add_models(compiled: CompiledPathway, decoded: list[dict[str, Any]]) -> list[Case]:
    machine = plain_machine(compiled)(model=None, **compiled.machine_definition)
    regions = compiled.tracks
    models = []
    for snapshot in decoded:
        model = Case()
        model.case_ref = snapshot["case_ref"]  # type: ignore[attr-defined]
        model.profile = snapshot["profile"]  # type: ignore[attr-defined]
        tracks = snapshot["tracks"]
        state = [
            f"journey.{t}.{tracks[t]['stage']}" if t in tracks else f"journey.{t}.not started"
            for t in regions
        ]
        machine.add_model(model, initial=state if len(state) > 1 else state[0])
        models.append(model)
    return models


def timed(fn: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def memory_per_item(texts: list[str], build: Callable[[list[dict[str, Any]]], list[Any]]) -> float:
    """Bytes kept per item: decoding and building traced, the decoded data then dropped."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    decoded = [json.loads(text) for text in texts]
    built = build(decoded)
    del decoded
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    per_item = kept / len(built)
    del built
    return per_item


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "pathways" / "humber" / "hull.yaml"
    compiled = compile_pathway(load(path))
    pathway = compiled.pathway
    print(f"pathway: {pathway.id} {pathway.version} ({path.name})")
    print(
        f"  {len(pathway.stages)} stages, {len(pathway.handoffs)} handoffs, "
        f"{len(compiled.tracks)} tracks, machine {compiled.fingerprint[:12]}"
    )
    print(f"  Python {sys.version.split()[0]}")

    ours, guarded, bare, label = time_handoffs(compiled)
    print(f"\n1. One handoff ({label}), best of {ROUNDS} rounds of {HANDOFFS:,}")
    row("Journey.handoff", f"{ours * 1e6:.1f} us")
    row("bare trigger, same guards", f"{guarded * 1e6:.1f} us", f"ratio {ours / guarded:.2f}x")
    row("bare trigger, no guards", f"{bare * 1e6:.1f} us", f"ratio {ours / bare:.2f}x")
    worst = ours / min(guarded, bare)
    print(f"   target at most 1.5x: {verdict(worst <= 1.5)} (worst {worst:.2f}x)")

    texts = stored_journeys(compiled, BOUND)
    decoded = [json.loads(text) for text in texts]
    ours_time, bound = timed(lambda: bind_ours(compiled, decoded))
    check = bound[len(bound) // 2]
    assert check.positions == compiled.positions(check.machine_state)
    del bound
    added_time, models = timed(lambda: add_models(compiled, decoded[:ADDED]))
    del models
    per_bind, per_add = ours_time / BOUND, added_time / ADDED
    ours_bytes = memory_per_item(texts, lambda d: bind_ours(compiled, d))
    added_bytes = memory_per_item(texts[:ADDED], lambda d: add_models(compiled, d))
    print(f"\n2. Binding {BOUND:,} stored journeys so each can be handed off")
    row(f"bind, all {BOUND:,}", f"{ours_time:.2f} s", f"{per_bind * 1e6:.1f} us each")
    row(
        f"add_model, {ADDED:,} (fresh machine)",
        f"{added_time:.2f} s",
        f"{per_add * 1e6:.1f} us each (x{BOUND // ADDED}: {per_add * BOUND:.1f} s)",
    )
    speed = per_add / per_bind
    print(f"   bind is {speed:.1f}x faster; target at least 20x: {verdict(speed >= 20)}")
    row("memory per bound journey", f"{ours_bytes:,.0f} bytes")
    row(
        "memory per add_model journey",
        f"{added_bytes:,.0f} bytes",
        f"bound journey is {ours_bytes / added_bytes:.2f}x of it",
    )
    print(f"   target under 2 KB per bound journey: {verdict(ours_bytes < 2048)}")


def row(label: str, value: str, note: str = "") -> None:
    print(f"   {label:<36} {value:>14}   {note}".rstrip())


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


if __name__ == "__main__":
    main()
