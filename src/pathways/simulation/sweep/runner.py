"""Running a sweep: every point's replications, one Parquet file per point, resumable.

Each point is one task: its scenario is made (`apply_point`), checked against the pathway,
built into a model, and its replications run from the sweep's seed. Replication `r` of every
point draws from the same streams (common random numbers: the same arrivals and profiles), so
differences between points come from the parameters, and a point's numbers depend on its values
and the replication only, never on which worker ran it or in what order.

The task writes `points/point-<n>.parquet` (one row per replication: the parameter values,
`replication`, then each output) by writing a temporary file and renaming it, so a file that
exists is complete; a point whose file exists with the same values, seed, replications and
outputs is not run again.

Tasks run in this process (`workers=1`), in local processes (`workers=N`: forked from this
process on Linux when it runs no other thread, and then the workers inherit the tasks, so only a
task's number is sent; else forked from a server that has already imported the simulator, or
spawned where there is none), or on a
Dask cluster (`pathways.simulation.sweep.dask_run`). The numbers are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError
from pathways.parquet import read_table, write_table
from pathways.runtime.compiler import CompiledPathway, compile_pathway, fingerprint
from pathways.simulation.engine.build import build_model
from pathways.simulation.parallel import replicate
from pathways.simulation.scenario.consistency import check_scenario
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.sweep.grid import Grid
from pathways.simulation.sweep.outputs import output_names, read_outputs
from pathways.simulation.sweep.points import Point, apply_point, points

__all__ = [
    "Task",
    "done",
    "lightened",
    "point_file",
    "run_shared",
    "run_sweep",
    "run_task",
    "sweep_tasks",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Task:
    """One point to run: everything a worker needs, and nothing it must look up."""

    pathway: Pathway
    scenario: Scenario
    point: Point
    replications: int
    seed: int | str
    outputs: tuple[str, ...]
    folder: str


def point_file(folder: str | Path, point: Point) -> Path:
    return Path(folder) / "points" / f"point-{point.number:04d}.parquet"


def _metadata(task: Task) -> dict[str, str]:
    return {
        "pathways.point": task.point.key,
        "pathways.replications": str(task.replications),
        "pathways.seed": str(task.seed),
        "pathways.outputs": ",".join(task.outputs),
    }


def done(task: Task) -> bool:
    """True when the point's file exists and was written for these values and settings."""
    path = point_file(task.folder, task.point)
    if not path.is_file():
        return False
    try:
        _, metadata = read_table(path)
    except Exception:  # an unreadable file is run again, never trusted
        return False
    return all(metadata.get(k) == v for k, v in _metadata(task).items())


def run_shared(shared: tuple[Pathway, Scenario], task: Task) -> int:
    """`run_task` for a task sent without its pathway and scenario, which come in `shared` (sent
    to each worker once, as Dask does with scattered data)."""
    pathway, scenario = shared
    return run_task(replace(task, pathway=pathway, scenario=scenario))


def lightened(task: Task) -> Task:
    """`task` without its pathway and scenario (for `run_shared`)."""
    return replace(task, pathway=None, scenario=None)  # type: ignore[arg-type]


def run_task(task: Task) -> int:
    """Run one point's replications and write its file; returns the point's number."""
    scenario = apply_point(task.scenario, task.point)
    problems = check_scenario(task.pathway, scenario)
    if problems:
        raise DefinitionError(problems)
    model = build_model(_compiled(task.pathway), scenario)
    seed = task.seed
    columns: dict[str, list[object]] = {name: [] for name, _ in task.point.values}
    columns["replication"] = []
    for name in task.outputs:
        columns[name] = []
    for replication in range(task.replications):
        result = replicate(model, seed, replication)
        for name, value in task.point.values:
            columns[name].append(value)
        columns["replication"].append(replication)
        for name, value in zip(
            task.outputs, read_outputs(model, task.outputs, result), strict=True
        ):
            columns[name].append(value)
    path = point_file(task.folder, task.point)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(write_table(columns, _metadata(task)))
    os.replace(temporary, path)
    return task.point.number


_COMPILED: dict[str, CompiledPathway] = {}


def _compiled(pathway: Pathway) -> CompiledPathway:
    """Each worker compiles a pathway once (a compiled pathway does not travel by pickle)."""
    key = fingerprint(pathway)
    if key not in _COMPILED:
        _COMPILED.clear()  # a worker runs one sweep's pathway at a time
        _COMPILED[key] = compile_pathway(pathway)
    return _COMPILED[key]


def sweep_tasks(
    pathway: Pathway | CompiledPathway, scenario: Scenario, grid: Grid, folder: str | Path
) -> list[Task]:
    """Every point of `grid` as a task, with the outputs checked against the model."""
    compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
    model = build_model(compiled, scenario)
    outputs = output_names(model, grid.outputs)
    return [
        Task(compiled.pathway, scenario, point, grid.replications, grid.seed, outputs, str(folder))
        for point in points(grid)
    ]


#: The tasks of the sweep being run, for workers forked from this process (`_run_inherited`).
_INHERITED: list[Task] = []


def _run_inherited(index: int) -> int:
    """`run_task` for the task a forked worker inherited at `index`."""
    return run_task(_INHERITED[index])


def _context() -> multiprocessing.context.BaseContext:
    """Worker processes forked from this one on Linux when it runs no other thread (the quickest
    start: nothing is imported again), else forked from a server that has the simulator imported
    already, where the platform has one, else spawned (every platform has that)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pathways.simulation.sweep.runner"])
        return context
    return multiprocessing.get_context("spawn")


def run_sweep(
    tasks: Sequence[Task], *, workers: int = 1, progress: Progress | None = None
) -> tuple[int, int]:
    """Run the tasks not yet done, in this process or `workers` local processes; returns how
    many were run and how many were already done."""
    todo = [task for task in tasks if not done(task)]
    skipped = len(tasks) - len(todo)
    finished = 0
    if workers <= 1 or len(todo) <= 1:
        for task in todo:
            run_task(task)
            finished += 1
            if progress is not None:
                progress(finished, len(todo))
        return finished, skipped
    context = _context()
    with ProcessPoolExecutor(min(workers, len(todo)), mp_context=context) as pool:
        if context.get_start_method() == "fork":
            # forked workers inherit the tasks: only their numbers travel, nothing is pickled
            _INHERITED[:] = todo
            futures = [pool.submit(_run_inherited, i) for i in range(len(todo))]
        else:
            futures = [pool.submit(run_task, task) for task in todo]
        try:
            for future in as_completed(futures):
                future.result()
                finished += 1
                if progress is not None:
                    progress(finished, len(todo))
        finally:
            _INHERITED.clear()
    return finished, skipped
