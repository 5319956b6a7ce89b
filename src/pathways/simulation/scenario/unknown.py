"""Unknown values: victims for whom a profile attribute is not known, routed as a known value.

```yaml
unknown:
  age_group: {share: 0.04, as: child}
```

A share of victims (here 4%) arrive with the attribute unknown, whatever their other values.
They are counted under the value `unknown` wherever profiles are reported, and follow the
pathway's ways on, branch probabilities and shares as if the value were `as` (here, treated as
a child until their age is assessed, as national guidance says). A pathway that declares a
value for "not known" itself needs none of this: give that value a probability in `profile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.naming import Names
from pathways.definition.profiles import Value
from pathways.definition.schema import Pathway, ProfileAttribute
from pathways.errors import Location, Problem


class _Placed(Protocol):
    """What a check needs of a loaded scenario (`scenario.loader.Scenario`, which imports this
    module's model through the schema, so it is not imported here)."""

    @property
    def document(self) -> Any: ...

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None: ...


__all__ = ["UNKNOWN", "Unknown", "check_unknown", "routed", "with_unknown"]

#: The value an unknown attribute has in a simulated profile.
UNKNOWN = "unknown"


class Unknown(BaseModel):
    """The share of victims with an attribute unknown, and the value they are routed as."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)

    share: float = Field(ge=0, le=1, description="the share of victims it is unknown for")
    as_: str | bool = Field(alias="as", description="the value they are routed as")
    description: str = Field(default="", description="free text, shown in reports")
    cites: Names = Field(default=(), description="keys of `sources` that back this up")


def _as_value(entry: Unknown, attribute: ProfileAttribute) -> Value:
    name = str(entry.as_).lower() if isinstance(entry.as_, bool) else entry.as_
    for value in attribute.domain:
        if (str(value).lower() if isinstance(value, bool) else value) == name:
            return value
    raise KeyError(name)


def with_unknown(
    mix: Mapping[tuple[Value, ...], float],
    unknown: Mapping[str, Unknown],
    profile: Mapping[str, ProfileAttribute],
) -> dict[tuple[Value, ...], float]:
    """`mix` with, for each attribute in `unknown`, its share of every profile made unknown."""
    result = dict(mix)
    for position, name in enumerate(profile):
        entry = unknown.get(name)
        if entry is None or entry.share == 0.0:
            continue
        grown: dict[tuple[Value, ...], float] = {}
        for values, weight in result.items():
            if weight * (1.0 - entry.share) > 0.0:
                grown[values] = grown.get(values, 0.0) + weight * (1.0 - entry.share)
            hidden = (*values[:position], UNKNOWN, *values[position + 1 :])
            grown[hidden] = grown.get(hidden, 0.0) + weight * entry.share
        result = grown
    return result


def routed(
    values: tuple[Value, ...],
    unknown: Mapping[str, Unknown],
    profile: Mapping[str, ProfileAttribute],
) -> tuple[Value, ...]:
    """The profile a victim is routed as: each unknown value replaced by its `as` value."""
    if not unknown or UNKNOWN not in values:
        return values
    return tuple(
        _as_value(unknown[name], attribute) if value == UNKNOWN and name in unknown else value
        for value, (name, attribute) in zip(values, profile.items(), strict=True)
    )


def check_unknown(pathway: Pathway, scenario: _Placed) -> list[Problem]:
    """Problems with `unknown`: attributes of the pathway, routed as one of their values."""
    problems = []
    for name, entry in scenario.document.unknown.items():
        at = scenario.location("unknown", name) or scenario.location("unknown")
        attribute = pathway.profile.get(name)
        if attribute is None:
            problems.append(
                Problem(
                    "bad-unknown",
                    f"unknown.{name}: '{name}' is not a profile attribute of the pathway",
                    at,
                    expected=one_of(pathway.profile),
                    hint=did_you_mean(name, pathway.profile) or "check the spelling",
                )
            )
            continue
        names = [str(v).lower() if isinstance(v, bool) else str(v) for v in attribute.domain]
        if UNKNOWN in names:
            problems.append(
                Problem(
                    "bad-unknown",
                    f"the pathway already has a value '{UNKNOWN}' for {name}",
                    at,
                    expected=f"a probability for '{UNKNOWN}' under 'profile: {name}:'",
                    hint="the pathway routes it itself: give it a share in 'profile' instead",
                )
            )
            continue
        try:
            _as_value(entry, attribute)
        except KeyError:
            problems.append(
                Problem(
                    "bad-unknown",
                    f"unknown.{name} routes victims as '{entry.as_}', which is not a value of "
                    f"{name}",
                    at,
                    expected=one_of(names),
                    hint=did_you_mean(str(entry.as_), names) or "name one of its values",
                )
            )
    return problems
