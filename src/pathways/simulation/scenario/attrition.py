"""Attrition: people who go missing or withdraw while at a stage, ending at a declared outcome.

```yaml
attrition:
  cg-decision:
    - {per_year: 0.04, to: missing, description: goes missing while waiting}
    - {per_year: 0.02, to: withdrawn}
  rg-decision: {per_year: 0.1, to: withdrawn}
```

Each entry is a hazard: from arrival at the stage, a journey leaves by it after a time drawn
from an exponential distribution with this rate per year, unless it has left the stage before
(so 0.05 a year, over a 600-day wait, loses about 8% of cases). Several entries at one stage
compete. `to` is an outcome stage of the pathway on the stage's track: the way a withdrawal or
a disappearance ends is declared in the pathway, like every other outcome.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.naming import Names, list_as_tuple
from pathways.definition.schema import Pathway
from pathways.errors import Location, Problem


class _Placed(Protocol):
    """What a check needs of a loaded scenario (`scenario.loader.Scenario`, which imports this
    module's model through the schema, so it is not imported here)."""

    @property
    def document(self) -> Any: ...

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None: ...


__all__ = ["Attrition", "AttritionList", "check_attrition"]


class Attrition(BaseModel):
    """One way of leaving a stage early (going missing, withdrawing), at a rate per year."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    per_year: float = Field(gt=0, description="the rate of leaving this way, per year at the stage")
    to: str = Field(description="the outcome stage it ends at")
    description: str = Field(default="", description="free text, shown in reports")
    cites: Names = Field(default=(), description="keys of `sources` that back this up")


def _one_or_more(value: object) -> object:
    """One way of leaving, or a list of them."""
    return (value,) if isinstance(value, dict) else list_as_tuple(value)


AttritionList = Annotated[tuple[Attrition, ...], BeforeValidator(_one_or_more)]


def check_attrition(pathway: Pathway, scenario: _Placed) -> list[Problem]:
    """Problems with `attrition`: stages that are not outcomes, leading to outcomes on their
    track."""
    problems = []
    stages = pathway.stages
    for name, entries in scenario.document.attrition.items():
        at = scenario.location("attrition", name) or scenario.location("attrition")
        stage = stages.get(name)
        if stage is None or stage.kind == "outcome":
            choices = [n for n, s in stages.items() if s.kind != "outcome"]
            problems.append(
                Problem(
                    "bad-attrition",
                    f"attrition names '{name}', which is not a stage a case can wait at",
                    at,
                    expected=one_of(choices),
                    hint=did_you_mean(name, choices) or "name a stage that is not an outcome",
                )
            )
            continue
        outcomes = [n for n, s in stages.items() if s.kind == "outcome" and s.track == stage.track]
        for entry in entries:
            if entry.to not in outcomes:
                problems.append(
                    Problem(
                        "bad-attrition",
                        f"attrition.{name} leads to '{entry.to}', which is not an outcome stage "
                        f"of the '{stage.track}' track",
                        at,
                        expected=one_of(outcomes),
                        hint=did_you_mean(entry.to, outcomes)
                        or "declare the outcome (such as 'withdrawn') in the pathway first",
                    )
                )
    return problems
