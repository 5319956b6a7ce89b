"""A journey that can never stop moving: the simulation is stopped with a clear problem.

At a stage without capacity the engine moves a track on at once (`Flow.advance`), stage after
stage, until it reaches an outcome, a stage with capacity or a handoff that waits for another
track. When the pathway and the scenario together leave a loop of such stages no way out (a
loop `pathways check` reports as `no-trap-loop`, or a way out the scenario's `branches` give
no chance), that would go on for ever. So a track that moves `ENDLESS` times in one go is
followed for `FOLLOWED` more moves, and the simulation stops with the problem
`endless-loop`, naming the stages it went round, where the first is written.

No real journey comes near `ENDLESS`: a loop with a way out taken even one time in a
hundred is left within a few thousand moves, almost surely.
"""

from __future__ import annotations

from collections.abc import Sequence

from pathways.errors import DefinitionError, Problem
from pathways.simulation.engine.tables import SimModel

__all__ = ["ENDLESS", "FOLLOWED", "endless_loop"]

#: Moves of one track in one go after which it is taken to be going round a loop for ever.
ENDLESS = 100_000
#: Moves then followed to find the loop's stages.
FOLLOWED = 1_000


def endless_loop(model: SimModel, seen: Sequence[int]) -> DefinitionError:
    """The problem for a track that went round the stages `seen` (numbers, in order)."""
    stages = [model.stages[number] for number in dict.fromkeys(seen)]
    names = " -> ".join(f"'{s.title}' ({s.name})" for s in stages)
    first = stages[0]
    place = model.stage_places[seen[0]] if seen[0] < len(model.stage_places) else None
    return DefinitionError(
        [
            Problem(
                "endless-loop",
                f"in scenario '{model.scenario}', journeys go round {names} and never leave: "
                f"a track made {ENDLESS:,} moves there without reaching an outcome or a stage "
                "with capacity, so the simulation was stopped",
                place,
                expected=f"a way out of the loop through '{first.title}' that some victims take",
                hint="add a handoff out of the loop (pathways check reports a loop with no way "
                "out as no-trap-loop), or give the way out a chance above 0 under 'branches:' "
                "in the scenario",
            )
        ]
    )
