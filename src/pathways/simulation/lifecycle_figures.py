"""Figures of the referral lifecycle (issue 15): the share of each declinable handoff's
referrals declined (`declines`), the days paused at each stage per journey (`pauses`), and
the days cases of each priority class wait in their queue (`priorities`).
Withdrawn journeys are counted as the outcome `withdrawn` with the other outcomes.

A scenario without these keys has none of these figures, so its reports are as they were.
"""

from __future__ import annotations

from pathways.simulation.results import ReplicationResult, Results

__all__ = ["WAITING", "declined_ways", "lifecycle_figures"]

#: How the figures of priority classes (`priorities`) begin: `days waiting for <entry>, class
#: <class> (mean)`, the mean days in the entry's queue of the cases of that class.
WAITING = "days waiting for "

_DECLINED = " declined ("


def declined_ways(way_names: tuple[str, ...]) -> dict[str, tuple[int, list[int]]]:
    """Per declinable handoff: its way's number and the numbers of its declined referrals' ways
    (named `<handoff> declined (<reason>)` or `<handoff> from <stage> declined (<reason>)`)."""
    found: dict[str, tuple[int, list[int]]] = {}
    numbers = {name: number for number, name in enumerate(way_names)}
    for number, name in enumerate(way_names):
        if _DECLINED not in name:
            continue
        handoff = name.split(_DECLINED)[0].split(" from ")[0]
        if handoff in numbers:
            found.setdefault(handoff, (numbers[handoff], []))[1].append(number)
    return found


def _declined_share(row: ReplicationResult, way: int, declined: list[int]) -> float:
    refused = sum(row.taken[number] for number in declined)
    made = refused + row.taken[way]
    return refused / made if made else float("nan")


def lifecycle_figures(results: Results) -> dict[str, list[float]]:
    """Each lifecycle figure's value in each replication, by name."""
    reps = results.replications
    figures: dict[str, list[float]] = {}
    for handoff, (way, declined) in declined_ways(results.way_names).items():
        figures[f"share of referrals by {handoff} declined"] = [
            _declined_share(row, way, declined) for row in reps
        ]
    for index, name in enumerate(results.stage_names):
        if any(row.paused and row.paused[index] > 0 for row in reps):
            figures[f"days paused at {name} per journey"] = [
                row.paused[index] / row.journeys if row.journeys else float("nan") for row in reps
            ]
    for index, label in enumerate(results.priority_classes):
        figures[f"{WAITING}{label} (mean)"] = [
            row.class_waits[index] if row.class_waits else float("nan") for row in reps
        ]
    return figures
