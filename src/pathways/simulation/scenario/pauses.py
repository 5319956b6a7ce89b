"""Pauses: a stage's clock stopped for a while (a hospital stay, a victim out of contact; issue 15).

```yaml
pauses:
  recovery-period: {probability: 0.2, duration: {lognormal: {mean: 21 days, sd: 10 days}}}
```

Only a stage the pathway says may be paused (`pause: {reasons: [...]}`) may have one. Each visit
to the stage is paused with this probability, for a time drawn from `duration` (any duration
the scenario's `durations` accept); the journey stays at the stage that much longer, but the
stage's clock stops meanwhile, so a visit is over its time limit only if it is over without the
paused time.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.naming import Names
from pathways.definition.schema import Pathway
from pathways.errors import Location, Problem
from pathways.simulation.scenario.distributions import (
    DurationSpec,
    duration_spec_json_schema,
    parse_duration_spec,
)

__all__ = ["Pause", "check_pauses"]


class _Placed(Protocol):
    """What a check needs of a loaded scenario (`scenario.loader.Scenario`)."""

    @property
    def document(self) -> Any: ...

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None: ...


class Pause(BaseModel):
    """How often a visit to a stage is paused, and for how long."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    probability: float = Field(ge=0.0, le=1.0, description="the share of visits paused")
    duration: Annotated[
        DurationSpec,
        PlainValidator(parse_duration_spec),
        WithJsonSchema(duration_spec_json_schema()),
    ] = Field(description="how long a pause lasts")
    description: str = Field(default="", description="free text, shown in reports")
    cites: Names = Field(default=(), description="keys of `sources` that back this up")


def check_pauses(pathway: Pathway, scenario: _Placed) -> list[Problem]:
    """Problems with `pauses`: stages the pathway does not let be paused."""
    problems = []
    choices = [name for name, stage in pathway.stages.items() if stage.pause is not None]
    for name in scenario.document.pauses:
        stage = pathway.stages.get(name)
        if stage is None or stage.pause is None:
            at = scenario.location("pauses", name) or scenario.location("pauses")
            problems.append(
                Problem(
                    "bad-pauses",
                    f"pauses names '{name}', which is not a stage whose clock may be paused",
                    at,
                    expected=one_of(choices) if choices else "a stage with 'pause:'",
                    hint=did_you_mean(name, choices)
                    or "add 'pause: {reasons: [...]}' to the stage in the pathway",
                )
            )
    return problems
