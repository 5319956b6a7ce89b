"""Run replications, one after another or in parallel processes, with identical results.

Each replication draws only from its own streams, seeded by `(seed, replication)` (see
`engine`), and is summarised where it ran; results are put back in replication order. So a
parallel run gives exactly the numbers of a serial run. Worker processes are started with
`spawn`, the one start method every platform has, and receive the plain tables of `SimModel`.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from pathways.definition.schema import Pathway
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation.engine.build import build_model
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.recorder import JourneyRecord
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.periods import Period, calendar_periods
from pathways.simulation.results import ReplicationResult, Results, summarise
from pathways.simulation.scenario.loader import Scenario

__all__ = ["replicate", "run_model", "simulate", "trace"]

Progress = Callable[[int, int], None]


def replicate(
    model: SimModel, seed: int | str, replication: int, periods: str | None = None
) -> ReplicationResult:
    """Run and summarise one replication (with figures by calendar period on the grid
    `periods`, one of `GRIDS`, when given)."""
    grid = _calendar(model, periods)
    return summarise(Engine(model, seed, replication).run(), replication, grid)


def _calendar(model: SimModel, periods: str | None) -> tuple[Period, ...]:
    if periods is None:
        return ()
    return calendar_periods(periods, model.start, model.warm_up, model.horizon)


def trace(model: SimModel, seed: int | str, replication: int, journeys: int) -> list[JourneyRecord]:
    """The first `journeys` counted journeys of a replication, with their events kept."""
    engine = Engine(model, seed, replication, trace=journeys)
    return engine.run().traced


def run_model(
    model: SimModel,
    *,
    replications: int = 10,
    seed: int | str = 1,
    workers: int = 1,
    progress: Progress | None = None,
    title: str = "",
    periods: str | None = None,
) -> Results:
    """Run `replications` of `model`, in `workers` processes (1: in this process); with
    `periods` (`month`, `quarter`, `year` or `financial-year`), figures by calendar period too
    (`Results.periods()`)."""
    calendar = _calendar(model, periods)
    if replications < 1:
        raise ValueError("replications must be at least 1")
    found: dict[int, ReplicationResult] = {}
    if workers <= 1 or replications == 1:
        for index in range(replications):
            found[index] = replicate(model, seed, index, periods)
            if progress is not None:
                progress(len(found), replications)
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(workers, replications), mp_context=context) as pool:
            futures = [pool.submit(replicate, model, seed, i, periods) for i in range(replications)]
            for future in as_completed(futures):
                result = future.result()
                found[result.replication] = result
                if progress is not None:
                    progress(len(found), replications)
    return Results(
        pathway=model.pathway,
        scenario=model.scenario,
        title=title,
        seed=seed,
        replications=tuple(found[i] for i in range(replications)),
        stage_names=tuple(s.name for s in model.stages),
        stage_titles=tuple(s.title for s in model.stages),
        stage_limits=tuple(s.within is not None for s in model.stages),
        outcome_kinds=tuple(s.outcome for s in model.stages),
        pool_names=tuple(p.name for p in model.pools),
        way_names=tuple(w.name for w in model.ways),
        way_limits=tuple(w.within is not None and not w.timeout for w in model.ways),
        every=model.every,
        warm_up=model.warm_up,
        horizon=model.horizon,
        start=model.start.isoformat(),
        notes=model.notes,
        stage_tracks=tuple(s.track for s in model.stages),
        track_names=model.tracks,
        warnings=model.warnings,
        calendar=calendar,
        way_branches=model.milestones.branches,
        priority_classes=_priority_classes(model),
    )


def _priority_classes(model: SimModel) -> tuple[str, ...]:
    """The priority classes of the model's capacity entries, as `<entry>, class <class>`."""
    return tuple(
        f"{model.pools[pool].name}, class {name}"
        for pool in sorted(model.priorities)
        for name in model.priorities[pool][0]
    )


def simulate(
    pathway: Pathway | CompiledPathway,
    scenario: Scenario,
    *,
    replications: int = 10,
    seed: int | str = 1,
    workers: int = 1,
    progress: Progress | None = None,
    periods: str | None = None,
) -> Results:
    """Simulate `scenario` on `pathway`: `replications` independent runs from `seed`; with
    `periods`, figures by calendar period too (see `run_model`)."""
    compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
    model = build_model(compiled, scenario)
    return run_model(
        model,
        replications=replications,
        seed=seed,
        workers=workers,
        progress=progress,
        title=scenario.title,
        periods=periods,
    )
