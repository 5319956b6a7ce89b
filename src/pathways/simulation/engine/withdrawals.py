"""Withdrawals as the engine's tables (`withdrawals`, see
`pathways.simulation.scenario.withdrawals`).

A withdrawn journey ends at an outcome stage the engine adds after the pathway's own (named
`withdrawn`, or `withdrawn (action)` if the pathway has a stage of that name), so results count
it as an outcome row of its own. Withdrawing is then one more way of leaving a stage early,
competing with the stage's `attrition`: the rates add up, and one draw of the stage's attrition
stream says when the journey leaves and another which way.
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.definition.schema import Pathway
from pathways.runtime.compiler import CompiledPathway
from pathways.simulation.engine.tables import StageTable
from pathways.simulation.scenario.attrition import Attrition
from pathways.simulation.scenario.withdrawals import WITHDRAWN, Withdrawals, withdrawal_rates

__all__ = ["leaving_ways", "withdrawn_name", "withdrawn_stage"]


def withdrawn_name(compiled: CompiledPathway, withdrawals: Withdrawals | None) -> str | None:
    """The name of the outcome stage for withdrawn journeys (None: no withdrawals)."""
    if withdrawals is None:
        return None
    return WITHDRAWN if WITHDRAWN not in compiled.stages else f"{WITHDRAWN} (action)"


def withdrawn_stage(name: str) -> StageTable:
    """The outcome stage withdrawn journeys end at, on the main track."""
    return StageTable(
        name=name,
        title="Withdrawn",
        track=0,
        kind="outcome",
        outcome=WITHDRAWN,
        support=False,
        pool=-1,
        at_least=None,
        within=None,
        collects=0,
        timed=False,
        only_way=-1,
    )


def leaving_ways(
    pathway: Pathway,
    attrition: Mapping[str, tuple[Attrition, ...]],
    withdrawals: Withdrawals | None,
    withdrawn: str | None,
) -> dict[str, tuple[Attrition, ...]]:
    """Per stage: its `attrition`, then withdrawing to `withdrawn` at the stage's rate."""
    found = dict(attrition)
    if withdrawn is None:
        return found
    for stage, rate in withdrawal_rates(pathway, withdrawals).items():
        found[stage] = (*found.get(stage, ()), Attrition(per_year=rate, to=withdrawn))
    return found
