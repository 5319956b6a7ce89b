"""Sweeps: the points of a grid, a value put into a scenario, and the same numbers serially, in
local processes and on a two-worker Dask LocalCluster on loopback."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.parquet import read_table
from pathways.simulation import load_scenario_text
from pathways.simulation.sweep import (
    Grid,
    Point,
    SweepValueError,
    apply_point,
    load_grid,
    point_file,
    points,
    run_on_dask,
    run_sweep,
    summarise,
    sweep_tasks,
)
from simulation.engine.test_loop import PATHWAY, SCENARIO

pytest.importorskip("pyarrow", reason="sweeps write Parquet (the analysis extra)")

GRID = {
    "replications": 2,
    "seed": 3,
    "parameters": {
        "capacity.council.caseworkers": (1, 2, 3),
        "branches.rg.rg-positive": (0.4, 0.55, 0.7),
    },
    "outputs": ("journeys", "closed", "share:supported", "wait:consent"),
}


@pytest.fixture(scope="module")
def pathway() -> Any:
    return load_text(PATHWAY)


@pytest.fixture(scope="module")
def scenario() -> Any:
    return load_scenario_text(SCENARIO)


def _contents(folder: Path, tasks: list[Any]) -> list[dict[str, list[object]]]:
    return [read_table(point_file(folder, t.point))[0] for t in tasks]


def test_a_grid_is_every_combination_in_order() -> None:
    found = points(Grid.model_validate(GRID))
    assert len(found) == 9
    assert found[1].values == (
        ("capacity.council.caseworkers", 1.0),
        ("branches.rg.rg-positive", 0.55),
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 3), st.integers(0, 10**6))
def test_a_latin_hypercube_puts_one_point_in_each_stratum(
    count: int, width: int, seed: int
) -> None:
    grid = Grid.model_validate(
        {
            "sample": "latin-hypercube",
            "points": count,
            "seed": seed,
            "parameters": {
                f"durations.d{i}.mean": {"low": 10.0, "high": 10.0 + width} for i in range(3)
            },
        }
    )
    found = points(grid)
    assert len(found) == count
    for index in range(3):
        strata = sorted(int((p.values[index][1] - 10.0) / width * count) for p in found)
        assert strata == list(range(count))
    assert points(grid) == found  # the same file, the same points


def test_a_share_is_put_in_and_the_other_choices_scaled(scenario: Any) -> None:
    changed = apply_point(scenario, Point(0, (("branches.rg.rg-positive", 0.8),)))
    weights = dict(changed.document.branches["rg"].weights)
    assert weights["rg-positive"] == 0.8
    assert math.isclose(weights["rg-negative"], 0.2)
    assert dict(scenario.document.branches["rg"].weights)["rg-positive"] == 0.55  # unchanged


def test_a_count_must_be_whole_and_a_path_must_exist(scenario: Any) -> None:
    with pytest.raises(SweepValueError, match=r"is a count: 1\.5 is not a whole number"):
        apply_point(scenario, Point(0, (("capacity.council.caseworkers", 1.5),)))
    with pytest.raises(SweepValueError, match=r"no 'counsel' here \(expected one of: council"):
        apply_point(scenario, Point(0, (("capacity.counsel.caseworkers", 1),)))


def test_a_sweep_file_with_a_range_in_a_grid_is_refused_with_its_place(tmp_path: Path) -> None:
    file = tmp_path / "grid.yaml"
    file.write_text("parameters:\n  arrivals.per_year: {low: 1, high: 2}\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_grid(file)
    [problem] = caught.value.problems
    assert problem.location is not None
    assert problem.location.line == 1
    assert "latin-hypercube" in problem.message


def test_serial_local_processes_and_dask_give_identical_files(
    pathway: Any, scenario: Any, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra runs the cluster")
    grid = Grid.model_validate(GRID)
    serial = sweep_tasks(pathway, scenario, grid, tmp_path / "serial")
    assert run_sweep(serial) == (9, 0)
    local = sweep_tasks(pathway, scenario, grid, tmp_path / "local")
    assert run_sweep(local, workers=2) == (9, 0)
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        timeout=60,
    )
    try:
        on_dask = sweep_tasks(pathway, scenario, grid, tmp_path / "dask")
        assert run_on_dask(on_dask, cluster) == (9, 0)
    finally:
        cluster.close(timeout=30)
    expected = _contents(tmp_path / "serial", serial)
    assert _contents(tmp_path / "local", local) == expected
    assert _contents(tmp_path / "dask", on_dask) == expected
    journeys = [row["journeys"] for row in expected]
    assert len({tuple(j) for j in journeys}) == 1  # the same arrivals at every point


def test_a_finished_point_is_not_run_again(pathway: Any, scenario: Any, tmp_path: Path) -> None:
    grid = Grid.model_validate(GRID)
    tasks = sweep_tasks(pathway, scenario, grid, tmp_path)
    run_sweep(tasks)
    before = _contents(tmp_path, tasks)
    point_file(tmp_path, tasks[4].point).unlink()
    assert run_sweep(tasks) == (1, 8)
    assert _contents(tmp_path, tasks) == before
    more = Grid.model_validate({**GRID, "replications": 3})
    assert run_sweep(sweep_tasks(pathway, scenario, more, tmp_path)) == (9, 0)
    summary = summarise(sweep_tasks(pathway, scenario, more, tmp_path))
    assert all(dict(s.outputs)["journeys"].n == 3 for s in summary)
