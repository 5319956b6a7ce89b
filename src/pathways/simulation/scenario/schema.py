"""The pydantic model of a scenario file: how many victims arrive, who they are, how long each
stage takes and how much capacity each agency has.

Like pathway files, scenario models are strict, frozen and refuse unknown keys. Two small value
types are parsed by hand so their messages are plain: durations (see `distributions`) and
*choices*, a probability for each of a few names, optionally depending on one profile attribute:

```yaml
age_group: {child: 0.58, adult: 0.42}     # probabilities adding up to 1
consent:                                  # depends on another attribute
  depends_on: age_group
  by: {adult: {given: 0.64, declined: 0.36}, child: given}
needs_accommodation: 0.4                  # a yes/no attribute: the chance of yes
```
Cross-references (stages, handoffs, agencies, attribute values) are checked by `loading`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from pathways.definition.durations import DurationField
from pathways.definition.naming import ID_PATTERN, Names, list_as_tuple
from pathways.definition.schema import SourceRef
from pathways.simulation.scenario.attrition import AttritionList
from pathways.simulation.scenario.calendars import Absence
from pathways.simulation.scenario.declines import Decline
from pathways.simulation.scenario.distributions import (
    DurationSpec,
    duration_spec_json_schema,
    parse_duration_spec,
)
from pathways.simulation.scenario.pauses import Pause
from pathways.simulation.scenario.times import DateField, Span, WarmUp
from pathways.simulation.scenario.unknown import Unknown
from pathways.simulation.scenario.withdrawals import Withdrawals

__all__ = [
    "Arrivals",
    "Backlog",
    "Capacity",
    "Channel",
    "Choice",
    "Panel",
    "Priority",
    "ProfileChange",
    "RegimeChange",
    "ScenarioDocument",
    "parse_choice",
]

_TOLERANCE = 1e-6
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _name(key: object) -> str:
    """Profile values as text: YAML `true`/`false` keys become 'true'/'false'."""
    return str(key).lower() if isinstance(key, bool) else str(key)


@dataclass(frozen=True, slots=True)
class Choice:
    """Probabilities over names; if `depends_on` is set, one choice per value of that attribute."""

    weights: tuple[tuple[str, float], ...] = ()
    depends_on: str | None = None
    by: tuple[tuple[str, Choice], ...] = ()
    flag_probability: bool = False

    def names(self) -> tuple[str, ...]:
        """Every name given a probability, in the order written."""
        if self.depends_on is None:
            return tuple(name for name, _ in self.weights)
        seen: dict[str, None] = {}
        for _, inner in self.by:
            seen.update(dict.fromkeys(inner.names()))
        return tuple(seen)

    def for_value(self, parent: str | None) -> Choice | None:
        """The unconditional choice that applies when the parent attribute has value `parent`."""
        if self.depends_on is None:
            return self
        return dict(self.by).get(parent or "")


def _bad(message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError("bad-choice", message, context)


def _weights(raw: object, nested: bool) -> Choice:
    if isinstance(raw, Choice):
        return raw
    if isinstance(raw, (bool, str)):
        return Choice(((_name(raw), 1.0),))
    if isinstance(raw, int | float):
        if not 0.0 <= raw <= 1.0:
            raise _bad("a chance of yes should be between 0 and 1, but it is {raw}", raw=raw)
        return Choice((("true", float(raw)), ("false", 1.0 - float(raw))), flag_probability=True)
    if not isinstance(raw, dict) or not raw:
        raise _bad("write probabilities as a mapping such as {{child: 0.6, adult: 0.4}}")
    if "depends_on" in raw and not nested:
        return _conditional(raw)
    weights = []
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise _bad("the probability of '{key}' should be a number from 0 to 1", key=key)
        weights.append((_name(key), float(value)))
    total = math.fsum(w for _, w in weights)
    if abs(total - 1.0) > _TOLERANCE:
        raise _bad("the probabilities should add up to 1, but they add up to {total}", total=total)
    return Choice(tuple(weights))


def _conditional(raw: dict[Any, Any]) -> Choice:
    extra = set(raw) - {"depends_on", "by"}
    if extra:
        raise _bad(
            "with 'depends_on', give only 'by' (found '{key}')", key=sorted(map(str, extra))[0]
        )
    parent = raw["depends_on"]
    by = raw.get("by")
    if not isinstance(parent, str):
        raise _bad("'depends_on' should name a profile attribute")
    if not isinstance(by, dict) or not by:
        raise _bad(
            "'by' should give, for each value of '{parent}', its probabilities", parent=parent
        )
    return Choice(depends_on=parent, by=tuple((_name(k), _weights(v, True)) for k, v in by.items()))


def parse_choice(value: object) -> Choice:
    """Read a choice as written in a scenario file (see the module docstring)."""
    return _weights(value, nested=False)


def _choice_json_schema() -> dict[str, Any]:
    """A choice as `parse_choice` reads it: one name, a chance of yes, or probabilities."""
    weights = {
        "type": "object",
        "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
        "minProperties": 1,
        "description": "the probability of each value, adding up to 1",
    }
    simple = [
        {"type": "boolean"},
        {"type": "string", "description": "always this value"},
        {"type": "number", "minimum": 0, "maximum": 1, "description": "the chance of yes"},
    ]
    depends = {
        "type": "object",
        "properties": {
            "depends_on": {"type": "string", "description": "the attribute this depends on"},
            "by": {
                "type": "object",
                "additionalProperties": {"anyOf": [*simple, weights]},
                "minProperties": 1,
                "description": "for each value of that attribute, its own probabilities",
            },
        },
        "required": ["depends_on", "by"],
        "additionalProperties": False,
    }
    top = {**weights, "not": {"required": ["depends_on"]}}
    return {"anyOf": [*simple, top, depends]}


ChoiceField = Annotated[Choice, PlainValidator(parse_choice), WithJsonSchema(_choice_json_schema())]
DurationSpecField = Annotated[
    DurationSpec, PlainValidator(parse_duration_spec), WithJsonSchema(duration_spec_json_schema())
]


Numbers = Annotated[tuple[float, ...], BeforeValidator(list_as_tuple)]
_TEXT = "free text, shown in reports"
_CITES = "keys of `sources` that back this up"


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


class Channel(_Model):
    """An entry channel (police, council, NGO ...): its share of arrivals and profile mix."""

    share: float = Field(ge=0, le=1, description="the share of arrivals, from 0 to 1")
    profile: dict[str, ChoiceField] = Field(
        default_factory=dict, description="the profile mix of victims arriving this way"
    )
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Arrivals(_Model):
    """New journeys: a Poisson stream of `per_year` on average, optionally seasonal."""

    per_year: float = Field(gt=0, description="new journeys a year, on average")
    seasonality: Numbers = Field(
        default=(), description="4 quarterly or 12 monthly weights (relative to their mean)"
    )
    channels: dict[str, Channel] = Field(
        default_factory=dict, description="entry channels, by the agency that opens the journey"
    )
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Panel(_Model):
    """A panel that meets at a fixed interval and decides up to `cases` waiting cases."""

    every: DurationField = Field(description="how often it meets, such as '2 weeks'")
    day: Literal[WEEKDAYS] | None = Field(  # type: ignore[valid-type]
        default=None, description="the day of the week it meets"
    )
    cases: int = Field(ge=1, description="the most cases it decides at one meeting")


class Capacity(_Model):
    """An agency's capacity for the stages it owns: caseworkers, or a panel."""

    caseworkers: int | None = Field(default=None, ge=0, description="people working cases")
    panel: Panel | None = Field(default=None, description="a panel deciding cases in batches")
    stages: Names = Field(default=(), description="default: the stages only this agency owns")
    agency: str | None = Field(
        default=None,
        description="for a team: the agency it belongs to (the entry's name is then the team's)",
    )
    durations: dict[str, DurationSpecField] = Field(
        default_factory=dict, description="how long this team takes at its stages, if different"
    )
    absences: Annotated[tuple[Absence, ...], BeforeValidator(list_as_tuple)] = Field(
        default=(), description="recurring absences: weekly on some days, or yearly"
    )
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Priority(_Model):
    """Priority classes in a capacity entry's queue (`scenario.priorities`): their order, most
    urgent first, and the share of cases in each."""

    classes: Annotated[tuple[str, ...], BeforeValidator(list_as_tuple)] = Field(
        min_length=2, description="the classes, most urgent first"
    )
    shares: ChoiceField = Field(description="the share of cases in each class, maybe by profile")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Backlog(_Model):
    """Cases already waiting at a stage when the simulation starts."""

    cases: int = Field(ge=0, description="how many cases are waiting")
    remaining: DurationSpecField | None = Field(
        default=None, description="how long each still has to wait"
    )
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class ProfileChange(_Model):
    """A profile change during a journey (a child turns 18), at a rate per year of waiting."""

    attribute: str = Field(description="the profile attribute that changes")
    from_: str | bool = Field(alias="from", description="its value before")
    to: str | bool = Field(description="its value after")
    per_year: float = Field(gt=0, description="the rate of change per year of waiting")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class RegimeChange(_Model):
    """Values that change from a date on (e.g. the recovery period from 30 January 2023)."""

    from_: DateField = Field(alias="from", description="the date the change takes effect")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)
    arrivals: Arrivals | None = Field(default=None, description="arrivals from that date")
    profile: dict[str, ChoiceField] = Field(
        default_factory=dict, description="profile mix from that date"
    )
    branches: dict[str, ChoiceField] = Field(
        default_factory=dict, description="branch probabilities from that date"
    )
    durations: dict[str, DurationSpecField] = Field(
        default_factory=dict, description="stage durations from that date"
    )
    capacity: dict[str, Capacity] = Field(
        default_factory=dict, description="capacity from that date"
    )


#: The milestones a scenario can name stages for (the pathway's own national stage tags).
MilestoneTag = Literal["nrm-referral", "duty-to-notify", "reasonable-grounds", "conclusive-grounds"]


class ScenarioDocument(_Model):
    """One scenario file as written, before `extends` is applied."""

    id: str = Field(pattern=ID_PATTERN, description="the file's path without .yaml")
    title: str = Field(description="the scenario's name, as shown in results")
    pathway: str | None = Field(default=None, description="the pathway's id or file")
    extends: str | None = Field(default=None, description="id of the scenario it builds on")
    about: str = Field(default="", description="what the scenario is for")
    sources: dict[str, SourceRef] = Field(default_factory=dict, description="sources cited")
    assumptions: dict[str, str] = Field(
        default_factory=dict, description="what the scenario assumes where sources are silent"
    )
    start: DateField | None = Field(default=None, description="the first simulated day")
    horizon: Span | None = Field(default=None, description="how long to simulate")
    warm_up: WarmUp | None = Field(
        default=None, description="time simulated before counting, or the date counting starts"
    )
    backlog_every: Span | None = Field(default=None, description="how often to count backlogs")
    arrivals: Arrivals | None = Field(default=None, description="how many victims arrive")
    profile: dict[str, ChoiceField] = Field(
        default_factory=dict, description="who they are: the mix of each profile attribute"
    )
    profile_changes: Annotated[tuple[ProfileChange, ...] | None, BeforeValidator(list_as_tuple)] = (
        Field(default=None, description="profile changes while victims wait")
    )
    branches: dict[str, ChoiceField] = Field(
        default_factory=dict, description="the probability of each handoff where routes branch"
    )
    durations: dict[str, DurationSpecField] = Field(
        default_factory=dict, description="how long each stage takes"
    )
    capacity: dict[str, Capacity] = Field(
        default_factory=dict, description="each agency's capacity"
    )
    backlog: dict[str, Backlog] = Field(
        default_factory=dict, description="cases waiting at each stage at the start"
    )
    unknown: dict[str, Unknown] = Field(
        default_factory=dict,
        description="per profile attribute: the share of victims it is unknown for, and the "
        "value they are routed as",
    )
    attrition: dict[str, AttritionList] = Field(
        default_factory=dict,
        description="per stage: rates per year of going missing or withdrawing, to an outcome",
    )
    declines: dict[str, Decline] = Field(
        default_factory=dict,
        description="per handoff that must be accepted: how often the receiver declines it",
    )
    pauses: dict[str, Pause] = Field(
        default_factory=dict, description="per stage that may be paused: how often, how long"
    )
    withdrawals: Withdrawals | None = Field(
        default=None, description="how often victims withdraw (the pathway's `actions.withdraw`)"
    )
    split: dict[str, ChoiceField] = Field(
        default_factory=dict,
        description="for a stage served by several teams or agencies: the share each takes",
    )
    priorities: dict[str, Priority] = Field(
        default_factory=dict,
        description="per capacity entry: priority classes its queue serves in order",
    )
    changes: Annotated[tuple[RegimeChange, ...] | None, BeforeValidator(list_as_tuple)] = Field(
        default=None, description="values that change from a date on"
    )
    backlog_table: (
        Annotated[tuple[dict[str, str | int | bool], ...], BeforeValidator(list_as_tuple)]
        | str
        | None
    ) = Field(
        default=None,
        description="cases open on day 0, by stage, referral date and profile: a CSV or YAML "
        "file beside the scenario, or a list of rows (stage, referred, cases, attributes)",
    )
    milestones: dict[MilestoneTag, Names] = Field(
        default_factory=dict,
        description="stages counted as an NRM referral, a Duty to Notify report or an RG or CG "
        "decision, besides those the pathway tags so",
    )

    def warm_up_days(self) -> float:
        """The warm-up in days from `start` (a warm-up given as a date is counted from it)."""
        if isinstance(self.warm_up, date):
            return float((self.warm_up - self.start).days) if self.start is not None else 0.0
        return self.warm_up or 0.0
