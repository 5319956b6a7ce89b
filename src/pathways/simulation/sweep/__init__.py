"""Sweeps: a scenario run over many combinations of its parameters, with replications.

```python
from pathways import load
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import load_scenario
from pathways.simulation.sweep import load_grid, run_sweep, summarise, sweep_tasks

tasks = sweep_tasks(compile_pathway(load("pathways/humber/hull.yaml")),
                    load_scenario("scenarios/humber/hull.yaml"),
                    load_grid("hull-grid.yaml"), "hull-sweep")
run_sweep(tasks, workers=2)          # or run_on_dask(tasks, "tcp://scheduler:8786")
for point in summarise(tasks):
    print(point.values, point.outputs)
```

See `grid` (the sweep file), `points` (the combinations and how a value is put in the
scenario), `runner` (one Parquet file per point, resumable, the same numbers however it runs),
`dask_run` (Dask) and `summary` (tables and charts).
"""

from __future__ import annotations

from pathways.simulation.sweep.dask_run import run_on_dask
from pathways.simulation.sweep.grid import Grid, Range, load_grid
from pathways.simulation.sweep.outputs import DEFAULT, OutputError, output_names
from pathways.simulation.sweep.points import Point, SweepValueError, apply_point, describe, points
from pathways.simulation.sweep.runner import (
    Task,
    done,
    point_file,
    run_sweep,
    run_task,
    sweep_tasks,
)
from pathways.simulation.sweep.summary import (
    PointSummary,
    effects,
    summarise,
    swing_chart,
    table_csv,
    table_json,
)

__all__ = [
    "DEFAULT",
    "Grid",
    "OutputError",
    "Point",
    "PointSummary",
    "Range",
    "SweepValueError",
    "Task",
    "apply_point",
    "describe",
    "done",
    "effects",
    "load_grid",
    "output_names",
    "point_file",
    "points",
    "run_on_dask",
    "run_sweep",
    "run_task",
    "summarise",
    "sweep_tasks",
    "swing_chart",
    "table_csv",
    "table_json",
]
