"""The pydantic model of a case-test file: cases of victims, written in the forum's own terms.

```yaml
pathway: humber/hull                 # optional: the pathway beside this file by default
cases:
  adult-consents:
    description: an adult found by the police in Hull, who consents to an NRM referral
    profile: {age_group: adult, consent: given}
    found_by: humberside-police
    expect:
      reaches: recovery-support
      within: 60 working days
      passes_through: [nrm-referral]
      asked_for_account_at_most: 1
      never_handed_to: [police]
```

Like pathway files, every model here is strict (the text "no" never becomes `False`), frozen and
refuses unknown keys. Names of stages, handoffs, agencies and profile attributes are checked
against the pathway by `pathways.casetests.loading`, which knows where each is written.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from pathways.definition.durations import DurationField
from pathways.definition.naming import Names
from pathways.definition.profiles import Value

__all__ = ["Case", "CaseFile", "Expect", "Step"]

_STRICT = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


#: What an expectation must give at least one of (else the loader says `nothing-expected`).
_EXPECTATIONS = (
    "reaches",
    "always_reaches",
    "never",
    "never_handed_to",
    "asked_for_account_at_most",
    "asked_at_most",
)


def _step(value: object) -> object:
    """A route step written as a bare name is a handoff: `refer-to-nrm`."""
    return {"handoff": value} if isinstance(value, str) else value


def _steps(value: object) -> object:
    return tuple(_step(item) for item in value) if isinstance(value, list) else value


class _Model(BaseModel):
    model_config = _STRICT


def _given(*keys: str) -> list[Any]:
    """For `anyOf`: at least one of `keys` is given, and not empty."""
    filled = {"not": {"type": "null"}, "minLength": 1, "minItems": 1, "minProperties": 1}
    return [{"required": [key], "properties": {key: filled}} for key in keys]


class Step(_Model):
    """One step of a route: a handoff (made by `by`, or by any agency allowed), or a change to
    the victim's profile that the pathway declares (`becomes: {age_group: adult}`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["handoff"], "not": {"required": ["becomes"]}},
                {
                    "required": ["becomes"],
                    "not": {"anyOf": [{"required": ["handoff"]}, {"required": ["by"]}]},
                },
            ]
        }
    )

    handoff: str | None = Field(default=None, description="the handoff to make")
    by: str | None = Field(default=None, description="the agency making it")
    becomes: dict[str, Value] | None = Field(
        default=None, description="profile attributes that change here, such as turning 18"
    )


Steps = Annotated[
    tuple[Step, ...], BeforeValidator(_steps, json_schema_input_type=list[str | Step])
]


class Expect(_Model):
    """What should happen to the victim.

    `reaches` holds if *some* route open to the victim gets there; `always_reaches` only if
    *every* route does. `within` (counted from when the journey opens, or from arriving at
    `counting_from`) and `passes_through` qualify whichever of the two is given.
    `never`, `never_handed_to` and the `asked_...` limits hold for every route.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "not": {"required": ["reaches", "always_reaches"]},
            "anyOf": _given(*_EXPECTATIONS),
        }
    )

    reaches: str | None = Field(default=None, description="a stage some route reaches")
    always_reaches: str | None = Field(default=None, description="a stage every route reaches")
    within: DurationField | None = Field(
        default=None, description="how soon, counting every stage's full time limit"
    )
    counting_from: str | None = Field(
        default=None,
        description="the stage `within` is counted from (by default, when the journey opens)",
    )
    passes_through: Names = Field(default=(), description="stages on the way")
    never: Names = Field(default=(), description="stages or handoffs no route reaches or takes")
    never_handed_to: Names = Field(
        default=(), description="roles or agencies that no route hands the victim to"
    )
    asked_for_account_at_most: int | None = Field(
        default=None, ge=0, description="how often the victim may be asked for their account"
    )
    asked_at_most: dict[str, int] = Field(
        default_factory=dict, description="how often the victim may be asked for each item"
    )


class Case(_Model):
    """One victim (or a group of similar victims) and what the pathway should do for them."""

    model_config = ConfigDict(json_schema_extra={"not": {"required": ["route", "starts_with"]}})

    description: str = Field(default="", description="the victim, in a sentence")
    profile: dict[str, Value] = Field(
        default_factory=dict,
        description="profile values; an attribute not given takes each of its values in turn",
    )
    found_by: str | None = Field(default=None, description="the agency that opens the journey")
    starts_on: str | None = Field(
        default=None,
        description="the date the journey opens (YYYY-MM-DD); a Monday by default",
        json_schema_extra={"format": "date"},
    )
    route: Steps | None = Field(default=None, description="the exact route to follow")
    starts_with: Steps | None = Field(
        default=None, description="the first steps; the runner then explores every route"
    )
    expect: Expect = Field(description="what should happen to the victim")


class CaseFile(_Model):
    """A file of cases for one pathway."""

    pathway: str | None = Field(
        default=None, description="the pathway's id or file; by default the one beside this file"
    )
    cases: dict[str, Case] = Field(
        description="the cases, by name", json_schema_extra={"minProperties": 1}
    )
