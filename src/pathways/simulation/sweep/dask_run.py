"""Running a sweep's points on a Dask cluster, the one home of Dask (`pip install
'referral-pathways[dask]'`).

Give the address of a running scheduler (`tcp://10.0.0.5:8786`); every worker needs pathways
installed at the same version (and pyarrow), and the sweep's output folder must be one all
workers can write to (a shared file system), because each task writes its own point's file.
Tasks are the same as for local processes, so the numbers are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pathways.plotting import MissingExtra
from pathways.simulation.sweep.runner import Task, done, lightened, run_shared, run_task

__all__ = ["run_on_dask"]


def _client(address: str | Any) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise MissingExtra(
            "running on Dask needs it installed: pip install 'referral-pathways[dask]'"
        ) from None
    return Client(address, timeout="30s")  # type: ignore[no-untyped-call]  # no annotations


def run_on_dask(
    tasks: Sequence[Task],
    address: str | Any,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Run the tasks not yet done on the cluster at `address` (or a `LocalCluster` given
    itself); returns how many were run and how many were already done."""
    from distributed import as_completed

    todo = [task for task in tasks if not done(task)]
    client = _client(address)
    try:
        first = todo[0] if todo else None
        if first is not None and all(
            t.pathway is first.pathway and t.scenario is first.scenario for t in todo
        ):
            # the pathway and the scenario go to every worker once, not with every point; not
            # hashed (hash=False): Dask's tokenising of a pathway's object tree costs seconds
            shared = client.scatter((first.pathway, first.scenario), broadcast=True, hash=False)
            light = [lightened(task) for task in todo]
            futures = client.map(run_shared, [shared] * len(light), light, pure=False)
        else:
            futures = client.map(run_task, todo, pure=False)
        finished = 0
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            future.result()
            finished += 1
            if progress is not None:
                progress(finished, len(todo))
    finally:
        client.close()
    return finished, len(tasks) - len(todo)
