"""Benchmark: this engine against SimPy on the same models, and 1,000,000 journeys through Hull.

Run from the repository root (SimPy comes with the `bench` dependency group):

    pip install -e . --group bench
    python benchmarks/bench_simulation.py [--quick]

Three parts:

1. An 8-stage tandem line, every stage capacity-limited (caseworkers, exponential times), run in
   both engines; both must agree on the mean time from arrival to close within the confidence
   intervals (Welch's interval of the difference contains zero).
2. A bundled area pathway (Hull) run in both engines: SimPy here interprets the very tables the
   engine runs on (`SimModel`), as processes and resources, so only the engines differ.
3. 1,000,000 journeys through the Hull pathway in one process (arrivals and capacity scaled up
   together, so waits stay as in the scenario), against the 60-second target.

Times are CPU seconds of this process (`time.process_time`), which other work on a shared machine
disturbs far less than wall-clock time; the 1,000,000-journey run prints its wall-clock time too.
This engine's time always includes counting each replication's figures by calendar quarter
(`period_figures`: what `pathways simulate --periods quarter` adds to a run; the engine records
what they need in every run), so the targets are met with period statistics switched on. It
prints journeys per second for each engine, the ratio and whether each target is met.
Figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Generator
from itertools import accumulate
from pathlib import Path
from typing import Any

import simpy

from pathways.definition.loader import load, load_text
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import build_model, estimate, load_scenario, load_scenario_text
from pathways.simulation.compare import _welch
from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.period_stats import PeriodResult, period_result
from pathways.simulation.periods import Period, calendar_periods
from pathways.simulation.scenario.loader import Scenario

ROOT = Path(__file__).resolve().parent.parent


def tandem(stages: int = 8, per_day: float = 3.5, days: int = 2000) -> SimModel:
    """An 8-stage line, each stage with 2 caseworkers and exponential times (utilisation 0.7)."""
    agencies = "".join(f"  a{i}: {{name: Agency {i}}}\n" for i in range(stages))
    body = "".join(
        f"  s{i}: {{title: Stage {i}, owner: a{i}, kind: support}}\n" for i in range(stages)
    )
    ways = "".join(
        f"  h{i}: {{from: s{i}, to: {'s' + str(i + 1) if i + 1 < stages else 'done'}, by: a{i}}}\n"
        for i in range(stages)
    )
    pathway = load_text(
        "id: bench/tandem\ntitle: Tandem\narea: Bench\nversion: '1'\nentry: s0\n"
        f"agencies:\n{agencies}stages:\n{body}  done: {{title: Done, owner: a0, kind: outcome, "
        f"outcome: supported}}\nhandoffs:\n{ways}"
    )
    durations = "".join(
        f"  s{i}: {{distribution: exponential, mean: 0.4}}\n" for i in range(stages)
    )
    capacity = "".join(f"  a{i}: {{caseworkers: 2}}\n" for i in range(stages))
    scenario = load_scenario_text(
        "id: bench/tandem\ntitle: Tandem\npathway: bench/tandem\nstart: 2024-01-01\n"
        f"horizon: {days} days\nwarm_up: 100 days\narrivals: {{per_year: {per_day * 365.25}}}\n"
        f"durations:\n{durations}capacity:\n{capacity}"
    )
    return build_model(compile_pathway(pathway), scenario)


class SimPyRun:
    """SimPy interpreting a `SimModel`: resources for caseworkers, a process per panel and track.

    It covers what the area scenarios use at their first regime: Poisson arrivals and profiles,
    stage durations, caseworkers, weekly panels, branch probabilities, timeouts at stages without
    capacity, tracks and `waits_for`. Seasonality, dated changes and profile changes are left out
    of both engines' runs when they race (`scaled(..., comparable=True)`).
    """

    def __init__(self, model: SimModel, seed: int) -> None:
        self.model = model
        self.env = simpy.Environment()
        self.rng = random.Random(f"simpy:{seed}")
        self.clock = Clock(model.start, int(model.horizon) + 800)
        regime = model.regimes[0]
        self.samplers = [d.sampler(self.rng) if d else None for d in regime.durations]
        self.working = [bool(d and d.working) for d in regime.durations]
        self.resources = [
            None if pool.panel else simpy.Resource(self.env, capacity=pool.size[0])
            for pool in model.pools
        ]
        self.panel_queues: list[list[simpy.Event]] = [[] for _ in model.pools]
        self.to_close: list[float] = []
        self.count = 0

    def duration(self, stage: int, start: float) -> float:
        sampler = self.samplers[stage]
        if sampler is None:
            return 0.0
        drawn = sampler()
        return (
            self.clock.add_working(start, drawn) if self.working[stage] else start + drawn
        ) - start

    def choose(self, stage: int, profile: int, arrived: float, end: float) -> tuple[int, float]:
        option = self.model.option(0, stage, profile)
        if option is None:
            return -1, end
        if option.timeout >= 0:
            limit = self.model.ways[option.timeout].within
            if limit is not None:
                due = self.clock.overdue_at(arrived, limit[0], limit[1])
                if end >= due or not option.ways:
                    return option.timeout, due
        if len(option.ways) == 1:
            return option.ways[0], end
        return option.ways[bisect_right(option.cumulative, self.rng.random())], end

    def track(self, state: dict[str, Any], track: int, stage: int) -> Generator[Any, Any, None]:
        env, model = self.env, self.model
        while True:
            info = model.stages[stage]
            arrived = env.now
            if info.outcome is not None:
                state["done"][track].succeed()
                return
            if info.pool >= 0 and model.pools[info.pool].panel:
                ticket = env.event()
                self.panel_queues[info.pool].append(ticket)
                yield ticket
            request = None
            if info.pool >= 0 and not model.pools[info.pool].panel:
                resource = self.resources[info.pool]
                assert resource is not None
                request = resource.request()
                yield request
            end = env.now + self.duration(stage, env.now)
            way, end = self.choose(stage, state["profile"], arrived, end)
            if way < 0:
                return
            yield env.timeout(max(0.0, end - env.now))
            if request is not None:
                resource.release(request)
            ways = model.ways[way]
            for waited in ways.waits_for:
                if waited in state["started"]:
                    yield state["done"][waited]
            for started in ways.starts:
                if started not in state["started"]:
                    state["started"].add(started)
                    env.process(self.track(state, started, model.track_entries[started]))
            stage = ways.to

    def journey(self, profile: int) -> Generator[Any, Any, None]:
        env = self.env
        arrived = env.now
        done = [env.event() for _ in self.model.tracks]
        state = {"profile": profile, "started": {0}, "done": done}
        env.process(self.track(state, 0, self.model.entry))
        yield done[0]
        for track in list(state["started"]):
            yield done[track]
        if self.model.warm_up <= arrived:
            self.to_close.append(env.now - arrived)

    def panel(self, pool: int) -> Generator[Any, Any, None]:
        table = self.model.pools[pool]
        yield self.env.timeout(table.first)
        while True:
            queue = self.panel_queues[pool]
            for ticket in queue[: table.size[0]]:
                ticket.succeed()
            del queue[: table.size[0]]
            yield self.env.timeout(table.every)

    def source(self) -> Generator[Any, Any, None]:
        regime = self.model.regimes[0]
        rate = regime.per_year / 365.25
        numbers, cumulative = regime.profiles[0]
        while True:
            yield self.env.timeout(self.rng.expovariate(rate))
            if self.env.now >= self.model.horizon:
                return
            self.count += 1
            profile = numbers[bisect_right(cumulative, self.rng.random())]
            self.env.process(self.journey(profile))

    def run(self) -> SimPyRun:
        for index, pool in enumerate(self.model.pools):
            if pool.panel:
                self.env.process(self.panel(index))
        self.env.process(self.source())
        self.env.run(until=self.model.horizon * 4)
        return self


def simpy_tandem(model: SimModel, seed: int) -> tuple[int, list[float]]:
    """The tandem line written as SimPy's documentation writes a line of resources."""
    env = simpy.Environment()
    rng = random.Random(f"simpy:{seed}")
    servers = [simpy.Resource(env, capacity=pool.size[0]) for pool in model.pools]
    means = [d.mean if d else 0.0 for d in model.regimes[0].durations]
    rate = model.regimes[0].per_year / 365.25
    closed: list[float] = []
    count = 0

    def journey() -> Generator[Any, Any, None]:
        arrived = env.now
        for index, server in enumerate(servers):
            with server.request() as request:
                yield request
                yield env.timeout(rng.expovariate(1.0 / means[index]))
        if arrived >= model.warm_up:
            closed.append(env.now - arrived)

    def source() -> Generator[Any, Any, None]:
        nonlocal count
        while True:
            yield env.timeout(rng.expovariate(rate))
            if env.now >= model.horizon:
                return
            count += 1
            env.process(journey())

    env.process(source())
    env.run()
    return count, closed


def period_figures(record: Recorder, grid: tuple[Period, ...]) -> PeriodResult:
    """The figures by period of one replication, as `results.summarise` counts them."""
    running = [
        list(accumulate(series[: record.samples]))
        for series in (*record.backlog, record.open_backlog)
    ]
    return period_result(record, running, grid)


def mean_close(values: Any) -> float:
    return math.fsum(values) / len(values) if len(values) else math.nan


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (the Erlang C formula)."""
    load = arrival_rate / service_rate
    top = load**servers / math.factorial(servers) / (1.0 - load / servers)
    below = sum(load**k / math.factorial(k) for k in range(servers))
    return top / (below + top) / (servers * service_rate - arrival_rate)


def race(
    name: str,
    model: SimModel,
    replications: int,
    canonical: bool = False,
    exact: float | None = None,
) -> float:
    """Both engines on `model`; prints speeds and agreement; returns the speed ratio."""
    ours, theirs = [], []
    ours_time = theirs_time = 0.0
    ours_count = theirs_count = 0
    grid = calendar_periods("quarter", model.start, model.warm_up, model.horizon)
    for replication in range(replications):
        began = time.process_time()
        record = Engine(model, 1, replication).run()
        period_figures(record, grid)
        ours_time += time.process_time() - began
        ours_count += record.count
        ours.append(mean_close(record.to_close))
        began = time.process_time()
        if canonical:
            count, closed = simpy_tandem(model, replication)
        else:
            other = SimPyRun(model, replication).run()
            count, closed = other.count, other.to_close
        theirs_time += time.process_time() - began
        theirs_count += count
        theirs.append(mean_close(closed))
    difference = _welch(theirs, ours)
    a, b = estimate(ours), estimate(theirs)
    ratio = (ours_count / ours_time) / (theirs_count / theirs_time)
    print(f"{name}: {replications} replications, {ours_count:,} journeys")
    print(
        f"  mean days to close   this engine {a.mean:.3f} ± {a.half_width:.3f}   "
        f"SimPy {b.mean:.3f} ± {b.half_width:.3f}"
    )
    verdict = "agree" if difference.covers(0.0) else "DISAGREE"
    print(f"  difference {difference.mean:+.3f} ± {difference.half_width:.3f}: engines {verdict}")
    if exact is not None:
        inside = [label for label, e in (("this engine", a), ("SimPy", b)) if e.covers(exact)]
        print(f"  exact (Jackson network) {exact:.3f}: inside the interval of {', '.join(inside)}")
    print(f"  CPU seconds          this engine {ours_time:.2f}   SimPy {theirs_time:.2f}")
    print(
        f"  journeys/s           this engine {ours_count / ours_time:,.0f}   "
        f"SimPy {theirs_count / theirs_time:,.0f}   ratio {ratio:.1f}x "
        f"(target at least 3x: {'met' if ratio >= 3.0 else 'not met'})"
    )
    return ratio


def _scale_capacity(capacity: dict[str, Any], factor: float) -> dict[str, Any]:
    scaled_capacity = {}
    for name, entry in capacity.items():
        if entry.panel is not None:
            panel = entry.panel.model_copy(update={"cases": math.ceil(entry.panel.cases * factor)})
            scaled_capacity[name] = entry.model_copy(update={"panel": panel})
        else:
            workers = math.ceil((entry.caseworkers or 0) * factor)
            scaled_capacity[name] = entry.model_copy(update={"caseworkers": workers})
    return scaled_capacity


def _scale_arrivals(arrivals: Any, factor: float) -> Any:
    return (
        None
        if arrivals is None
        else arrivals.model_copy(update={"per_year": arrivals.per_year * factor})
    )


def scaled(scenario: Scenario, factor: float, comparable: bool = False) -> Scenario:
    """The scenario with arrivals, caseworkers, panel cases and backlog multiplied by `factor`.

    With `comparable`, also without what `SimPyRun` does not model: seasonality, dated changes
    and profile changes.
    """
    document = scenario.document
    changes = tuple(
        change.model_copy(
            update={
                "arrivals": _scale_arrivals(change.arrivals, factor),
                "capacity": _scale_capacity(change.capacity, factor),
            }
        )
        for change in document.changes or ()
    )
    arrivals = _scale_arrivals(document.arrivals, factor)
    update: dict[str, Any] = {
        "arrivals": arrivals,
        "capacity": _scale_capacity(document.capacity, factor),
        "backlog": {
            name: entry.model_copy(update={"cases": round(entry.cases * factor)})
            for name, entry in document.backlog.items()
        },
        "changes": changes,
    }
    if comparable:
        update.update(
            arrivals=arrivals.model_copy(update={"seasonality": ()}),
            changes=(),
            profile_changes=(),
        )
    bigger = document.model_copy(update=update)
    return Scenario(bigger, scenario.lineage, scenario.files, scenario.places)


def million(pathway_file: Path, scenario_file: Path, journeys: int) -> None:
    scenario = load_scenario(scenario_file)
    document = scenario.document
    assert document.arrivals is not None
    assert document.horizon is not None
    expected = document.arrivals.per_year * document.horizon / 365.25
    model = build_model(compile_pathway(load(pathway_file)), scaled(scenario, journeys / expected))
    grid = calendar_periods("quarter", model.start, model.warm_up, model.horizon)
    began, wall = time.process_time(), time.perf_counter()
    record = Engine(model, 1, 0).run()
    result = period_figures(record, grid)
    elapsed = time.process_time() - began
    wall = time.perf_counter() - wall
    waiting = sum(cases for _, cases, _ in model.backlog)
    met = "met" if record.count >= 1_000_000 and elapsed < 60.0 else "not met"
    decided = sum(result.figures["CG decisions"])
    print(
        f"Hull at scale, with figures by quarter: {record.count:,} journeys "
        f"({record.count - waiting:,} arrivals and {waiting:,} cases waiting on day 0) in "
        f"{elapsed:.1f} CPU seconds on one core ({wall:.1f} s wall clock; "
        f"{record.count / elapsed:,.0f} journeys per CPU second; "
        f"{decided:,.0f} CG decisions counted by quarter; "
        f"target 1,000,000 in under 60 s: {met})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument("--pathway", type=Path, default=ROOT / "pathways/humber/hull.yaml")
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios/humber/hull.yaml")
    parser.add_argument(
        "--only",
        choices=("tandem", "area", "scale"),
        help="run one part only, e.g. to compare two versions of the engine back to back",
    )
    args = parser.parse_args()
    replications = 4 if args.quick else 10
    if args.only in (None, "tandem"):
        line = tandem(days=500 if args.quick else 2000)
        exact = 8 * (erlang_c_wait(3.5, 2.5, 2) + 0.4)
        race("8-stage tandem line", line, 4 * replications, canonical=True, exact=exact)
    if args.only in (None, "area"):
        area = build_model(compile_pathway(load(args.pathway)), load_scenario(args.scenario))
        bigger = build_model(
            compile_pathway(load(args.pathway)), scaled(load_scenario(args.scenario), 50.0, True)
        )
        print(f"(area pathway: {area.pathway}, arrivals and capacity x50 for steadier timings)")
        race(f"area pathway {area.pathway}", bigger, replications)
    if args.only in (None, "scale"):
        million(args.pathway, args.scenario, 100_000 if args.quick else 1_000_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
