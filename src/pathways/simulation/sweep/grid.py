"""The sweep file: which scenario parameters to vary, over which values, with how many
replications.

```yaml
replications: 10
seed: 1
sample: grid            # every combination; or latin-hypercube with `points: 50`
parameters:
  capacity.hull-city-council.caseworkers: [1, 2, 3]
  branches.rg-decision.rg-positive: [0.5, 0.6, 0.7]
  durations.cg-decision.mean: {low: 300, high: 600}   # a range: latin-hypercube only
outputs: [journeys, closed, share:supported, wait:cg-decision]
```

A parameter is a path into the scenario, as it is written: a section, an entry, a field
(`durations.cg-decision.mean`, `arrivals.per_year`, `capacity.<agency>.caseworkers`,
`backlog.<stage>.cases`); for a branch or a profile mix the last part names one choice
(`branches.rg-decision.rg-positive`) and the other choices are scaled so the shares still add up
to 1. `changes.<n>.` reaches a dated change. Each value is a number.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pathways.definition.messages import problems_from
from pathways.definition.yaml_reader import read_file
from pathways.errors import DefinitionError, Problem

__all__ = ["Grid", "Range", "load_grid"]

Number = Annotated[float, Field(allow_inf_nan=False)]


class Range(BaseModel):
    """A parameter's range for a Latin hypercube sample."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError("'low' must be below 'high'")
        return self


class Grid(BaseModel):
    """A sweep: parameters and their values, the sampling, replications and seed."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    parameters: dict[str, tuple[Number, ...] | Range] = Field(min_length=1)
    sample: Literal["grid", "latin-hypercube"] = "grid"
    points: int | None = Field(default=None, ge=1, le=100_000)
    replications: int = Field(default=10, ge=1, le=10_000)
    seed: int | str = 1
    outputs: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sampling(self) -> Grid:
        if self.sample == "grid":
            ranges = [name for name, v in self.parameters.items() if isinstance(v, Range)]
            if ranges:
                raise ValueError(
                    f"a grid needs a list of values for each parameter; {ranges[0]} gives a "
                    "range (use sample: latin-hypercube with points: N for ranges)"
                )
            if any(len(v) == 0 for v in self.parameters.values() if isinstance(v, tuple)):
                raise ValueError("every parameter needs at least one value")
        elif self.points is None:
            raise ValueError("a latin-hypercube sample needs 'points:', how many to draw")
        return self


def load_grid(file: str | os.PathLike[str]) -> Grid:
    """Read a sweep file; every problem raises `DefinitionError` with its line and column."""
    source = read_file(file)
    if not isinstance(source.data, dict):
        raise DefinitionError(
            [
                Problem(
                    "not-a-sweep",
                    "the sweep file is empty or not a set of keys and values",
                    source.positions.nearest(()),
                    expected="'parameters:' with a list of values for each",
                    hint="see the sweep section of docs/simulation.md",
                )
            ]
        )
    data = dict(source.data)
    params = data.get("parameters")
    if isinstance(params, dict):  # lists are read as lists: the model wants tuples
        data["parameters"] = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    if isinstance(data.get("outputs"), list):
        data["outputs"] = tuple(data["outputs"])
    try:
        return Grid.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(problems_from(exc, Grid, source.positions)) from None
