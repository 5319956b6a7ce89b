"""Withdrawals: victims who withdraw from the pathway (`actions.withdraw`, issue 15).

```yaml
withdrawals:
  per_year: 0.04                    # at every stage of the main track a case waits at
  stages: {rg-decision: 0.1}        # or, at these stages, this rate instead
```

A withdrawal is a hazard, like `attrition`: from arrival at a stage, a journey withdraws after a
time drawn from an exponential distribution with the stage's rate per year, unless it has left
the stage before. Unlike attrition, which leads to an outcome stage the pathway declares, a
withdrawal is the pathway's journey-level action: the journey ends as `withdrawn`, counted in
results as an outcome of its own. It needs the pathway to declare `actions: {withdraw: ...}`.
Tracks started before the withdrawal (support, say) run on as they would.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.naming import Names
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.errors import Location, Problem

__all__ = ["WITHDRAWN", "Withdrawals", "check_withdrawals", "withdrawal_rates"]

#: The outcome row a withdrawn journey is counted under.
WITHDRAWN = "withdrawn"


class _Placed(Protocol):
    """What a check needs of a loaded scenario (`scenario.loader.Scenario`)."""

    @property
    def document(self) -> Any: ...

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None: ...


class Withdrawals(BaseModel):
    """How often victims withdraw: one rate per year at every stage, or a rate per stage."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    per_year: float | None = Field(
        default=None, gt=0, description="the rate of withdrawing, per year at any stage"
    )
    stages: dict[str, float] = Field(
        default_factory=dict, description="per stage: the rate of withdrawing there, per year"
    )
    description: str = Field(default="", description="free text, shown in reports")
    cites: Names = Field(default=(), description="keys of `sources` that back this up")


def _waiting_stages(pathway: Pathway) -> list[str]:
    return [
        name for name, s in pathway.stages.items() if s.kind != "outcome" and s.track == MAIN_TRACK
    ]


def withdrawal_rates(pathway: Pathway, withdrawals: Withdrawals | None) -> dict[str, float]:
    """The rate of withdrawing per year at each stage where there is one."""
    if withdrawals is None:
        return {}
    if withdrawals.stages:
        return {name: rate for name, rate in withdrawals.stages.items() if rate > 0}
    rate = withdrawals.per_year or 0.0
    return dict.fromkeys(_waiting_stages(pathway), rate) if rate > 0 else {}


def check_withdrawals(pathway: Pathway, scenario: _Placed) -> list[Problem]:
    """Problems with `withdrawals`: a pathway that does not let victims withdraw, both or
    neither of `per_year` and `stages`, stages a case cannot wait at, negative rates."""
    withdrawals = scenario.document.withdrawals
    if withdrawals is None:
        return []
    at = scenario.location("withdrawals")
    if pathway.actions is None or pathway.actions.withdraw is None:
        return [
            Problem(
                "bad-withdrawals",
                "the scenario gives withdrawals, but the pathway does not let victims withdraw",
                at,
                expected="'actions: {withdraw: {reasons: [...]}}' in the pathway",
                hint="declare the withdrawal action in the pathway first",
            )
        ]
    if (withdrawals.per_year is None) == (not withdrawals.stages):
        return [
            Problem(
                "bad-withdrawals",
                "withdrawals needs either 'per_year' or 'stages', not both or neither",
                at,
                expected="'per_year: 0.05' or 'stages: {<stage>: 0.05}'",
                hint="give one rate for every stage, or a rate for each stage",
            )
        ]
    problems = []
    choices = _waiting_stages(pathway)
    for name, rate in withdrawals.stages.items():
        where = scenario.location("withdrawals", "", "stages", name) or at
        if name not in choices:
            problems.append(
                Problem(
                    "bad-withdrawals",
                    f"withdrawals names '{name}', which is not a stage of the main track a "
                    f"case can wait at",
                    where,
                    expected=one_of(choices),
                    hint=did_you_mean(name, choices) or "name a stage that is not an outcome",
                )
            )
        elif rate < 0:
            problems.append(
                Problem(
                    "bad-withdrawals",
                    f"withdrawals.stages.{name} is {rate}, but a rate cannot be negative",
                    where,
                    expected="a rate per year, 0 or more",
                    hint="write 0.05 for 5% a year",
                )
            )
    return problems
