"""The pydantic model of a pathway: what a forum lead writes, as typed, frozen data.

Every model is strict (no quiet conversions: the text "no" never becomes `False`), frozen and
refuses unknown keys, so a typo is an error rather than a silently ignored line. Cross-references
(a handoff naming a stage that does not exist, a condition naming an unknown attribute) are
checked by the loader, which knows where each thing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from pathways.definition.checks_config import ChecksConfig
from pathways.definition.condition_parser import ConditionSyntaxError, parse
from pathways.definition.conditions import Condition, to_text
from pathways.definition.durations import DurationField
from pathways.definition.lawful_basis import LawfulBasis, WithLawfulBasis
from pathways.definition.lifecycle import Acceptance, Actions, Pause, Transfer
from pathways.definition.located import Positions
from pathways.definition.naming import ID_PATTERN, NAME_PATTERN, Names, Section, list_as_tuple
from pathways.definition.profiles import ProfileSpace, Value
from pathways.definition.vocabulary import DOMAIN_TAGS, OutcomeKind, Sensitivity, StageKind
from pathways.errors import Location

__all__ = [
    "MAIN_TRACK",
    "Agency",
    "Change",
    "ConditionField",
    "Duty",
    "Handoff",
    "InformationItem",
    "Origin",
    "Pathway",
    "PathwayDocument",
    "ProfileAttribute",
    "Removals",
    "Replacements",
    "Role",
    "SourceRef",
    "Stage",
    "Track",
]

MAIN_TRACK = "main"


_STRICT = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


_TAGS = {"enum": list(DOMAIN_TAGS)}
_Tags = Annotated[Names, WithJsonSchema({"anyOf": [_TAGS, {"type": "array", "items": _TAGS}]})]
_Tracks = Annotated[
    dict[str, "Track"],
    Field(
        json_schema_extra={"propertyNames": {"pattern": NAME_PATTERN, "not": {"const": MAIN_TRACK}}}
    ),
]
_TEXT = "free text, shown in reports and diagrams"
_CITES = "keys of `sources` that back this up"
_BASIS = "the lawful basis for sharing it (UK GDPR Articles 6 and 9, DPA 2018 Schedule 1)"


def _parse_condition(value: object) -> Condition:
    if not isinstance(value, str):
        raise PydanticCustomError("wrong-type", "a condition must be written as text")
    try:
        return parse(value)
    except ConditionSyntaxError as exc:
        problem = exc.problems[0]
        raise PydanticCustomError(
            problem.code,
            problem.message,
            {"offset": exc.offset, "expected": problem.expected, "hint": problem.hint},
        ) from None


ConditionField = Annotated[
    Condition,
    PlainValidator(_parse_condition),
    PlainSerializer(to_text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A condition over the victim profile, for example "
            "age_group == 'adult' and consent in ['declined', 'unsure']",
        }
    ),
]


class _Model(BaseModel):
    model_config = _STRICT


class SourceRef(_Model):
    """A public source a pathway file relies on, cited by its key."""

    title: str = Field(description="the source's title, as published")
    url: str | None = Field(default=None, description="where to read it")
    published: str | None = Field(default=None, description="date or version, as published")


class Role(_Model):
    """A part someone plays on the pathway (first responder, police, ...), filled by agencies."""

    title: str = Field(description="the role as people say it, such as 'First responder'")
    description: str = Field(default="", description=_TEXT)


class Agency(_Model):
    """A real organisation in this area, and the roles it fills."""

    name: str = Field(description="the organisation's own name")
    roles: Names = Field(default=(), description="keys of `roles` this agency fills")
    first_responder: bool = Field(
        default=False, description="a First Responder Organisation that may refer into the NRM"
    )
    public_authority: bool = Field(
        default=False,
        description="a specified public authority with the duty to notify (MSA 2015 s52)",
    )
    duties: Names = Field(default=(), description="keys of `duties` this agency carries")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Duty(_Model):
    """A statutory duty, the legislation it comes from and the role that owns it."""

    title: str = Field(description="the duty in a few words")
    statute: str = Field(description="the legislation, such as 'Modern Slavery Act 2015 s52'")
    owner: str = Field(description="the role or agency that owns the duty")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Change(_Model):
    """One way a profile attribute may change during a journey (a child turns 18)."""

    from_: Value = Field(alias="from", description="the value before the change")
    to: Value = Field(description="the value after it")
    by: Names = Field(
        default=(),
        description="the roles or agencies that may record this change; any agency if none given",
    )
    description: str = Field(default="", description=_TEXT)


class ProfileAttribute(_Model):
    """A coarse attribute of the victim with a small, fixed set of values."""

    description: str = Field(default="", description=_TEXT)
    values: Names = Field(default=(), description="the attribute's values, such as adult, child")
    flag: bool = Field(default=False, description="a yes/no attribute: values are true and false")
    changes: Annotated[tuple[Change, ...], BeforeValidator(list_as_tuple)] = Field(
        default=(), description="changes allowed mid-journey"
    )

    @property
    def domain(self) -> tuple[Value, ...]:
        """The attribute's values, in declaration order (`(False, True)` for a flag)."""
        return (False, True) if self.flag else self.values


class InformationItem(_Model, WithLawfulBasis):
    """A piece of information a stage collects or a handoff shares (recorded by name only)."""

    title: str = Field(description="what the information is, in a few words")
    sensitivity: Sensitivity = Field(description="how carefully it must be handled")
    lawful_basis: LawfulBasis | None = Field(default=None, description=_BASIS)
    description: str = Field(default="", description=_TEXT)


class Track(_Model):
    """A parallel track of the journey (police investigation, safeguarding, ...)."""

    title: str = Field(description="the track in a few words")
    entry: str = Field(description="the stage of this track where it starts")
    description: str = Field(default="", description=_TEXT)


class Stage(_Model):
    """A stage of the victim's journey, owned by one role or agency."""

    title: str = Field(description="the stage in a few words, as shown in diagrams")
    owner: str = Field(description="the role or agency responsible for the stage")
    kind: StageKind = Field(description="what sort of stage it is, in national terms")
    track: str = Field(default=MAIN_TRACK, description="the track it belongs to")
    outcome: OutcomeKind | None = Field(default=None, description="for an outcome stage: which")
    collects: Names = Field(default=(), description="information asked of the victim here")
    needs: Names = Field(default=(), description="information this stage must have to work")
    within: DurationField | None = Field(default=None, description="time limit to leave stage")
    at_least: DurationField | None = Field(default=None, description="minimum time in stage")
    pause: Pause | None = Field(default=None, description="whether its clock may be paused")
    basis: Names = Field(default=(), description="statutory duties this stage discharges")
    tags: _Tags = Field(default=(), description="what the stage is in national terms")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Handoff(_Model, WithLawfulBasis):
    """A move of the journey from one stage to another, performed by a role or agency."""

    from_: Names = Field(alias="from", description="the stage or stages it leaves")
    to: str = Field(description="the stage it arrives at")
    by: Names = Field(description="the roles or agencies that may make it")
    when: ConditionField | None = Field(default=None, description="only for these victims")
    shares: Names = Field(default=(), description="information that may travel with it")
    lawful_basis: LawfulBasis | None = Field(
        default=None, description=_BASIS + "; for what this handoff shares, in place of theirs"
    )
    within: DurationField | None = Field(default=None, description="deadline, from arrival")
    timeout: bool = Field(default=False, description="happens by itself when `within` runs out")
    starts: Names = Field(default=(), description="parallel tracks this handoff starts")
    waits_for: Names = Field(default=(), description="tracks that must reach an outcome first")
    require: Literal["acceptance"] | None = Field(default=None, description="acceptance first")
    acceptance: Acceptance | None = Field(default=None, description="how it may be declined")
    description: str = Field(default="", description=_TEXT)
    cites: Names = Field(default=(), description=_CITES)


class Replacements(_Model):
    """Stages and handoffs of the base pathway that an area replaces outright."""

    stages: Section[Stage] = Field(default_factory=dict, description="base stages, rewritten")
    handoffs: Section[Handoff] = Field(default_factory=dict, description="base handoffs, rewritten")


class Removals(_Model):
    """Stages, handoffs and tracks of the base pathway that an area removes.

    A track is removed with its stages: an area that is not an Independent Child Trafficking
    Guardian site removes the guardian track, its stages and the handoffs that start it.
    """

    stages: Names = Field(default=(), description="base stages this area does not have")
    handoffs: Names = Field(default=(), description="base handoffs this area does not have")
    tracks: Names = Field(default=(), description="base tracks removed, with their stages")


class _Body(_Model):
    id: str = Field(pattern=ID_PATTERN, description="the file's path without .yaml: humber/hull")
    title: str = Field(description="the pathway's name, as shown in reports")
    area: str = Field(description="the area it covers, such as 'Hull'")
    version: str = Field(description='your own version label; quote numbers: "1.2"')
    status: Literal["illustrative", "draft", "agreed"] = Field(
        default="draft", description="how far the forum has agreed it"
    )
    baseline: bool = Field(default=False, description="speaks in roles; needs no agencies")
    about: str = Field(default="", description="what the pathway is for, in a few sentences")
    sources: Section[SourceRef] = Field(default_factory=dict, description="public sources cited")
    assumptions: dict[str, str] = Field(
        default_factory=dict, description="what the file assumes where sources are silent"
    )
    roles: Section[Role] = Field(default_factory=dict, description="parts people play")
    agencies: Section[Agency] = Field(default_factory=dict, description="organisations here")
    duties: Section[Duty] = Field(default_factory=dict, description="statutory duties")
    profile: Section[ProfileAttribute] = Field(
        default_factory=dict, description="attributes of the victim that change the route"
    )
    information: Section[InformationItem] = Field(
        default_factory=dict, description="information collected and shared, by name"
    )
    tracks: _Tracks = Field(default_factory=dict, description="parallel tracks besides 'main'")
    stages: Section[Stage] = Field(default_factory=dict, description="stages of the journey")
    handoffs: Section[Handoff] = Field(default_factory=dict, description="moves between stages")
    actions: Actions | None = Field(default=None, description="withdrawal and closing early")
    transfers: Section[Transfer] = Field(default_factory=dict, description="moves to other areas")
    checks: ChecksConfig | None = Field(default=None, description="how `pathways check` judges it")


class PathwayDocument(_Body):
    """One pathway file as written, before `extends` is applied."""

    entry: str | None = Field(default=None, description="the stage every journey starts at")
    extends: str | None = Field(default=None, description="id of the pathway this one builds on")
    replace: Replacements | None = Field(default=None, description="base entries rewritten")
    remove: Removals | None = Field(default=None, description="base entries this area lacks")


@dataclass(frozen=True)
class Origin:
    """Where a loaded pathway came from: its files and where each element is written.

    `places` maps `(section, name)`, for example `("stages", "triage")`, to the positions of
    the file that wrote it and the key path of that element in the file.
    """

    lineage: tuple[str, ...]
    files: tuple[str, ...]
    places: Mapping[tuple[str, str], tuple[Positions, tuple[str | int, ...]]]


class Pathway(_Body):
    """A whole pathway with `extends` applied: what the compiler, checks and simulator read."""

    entry: str

    _origin: Origin | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when the definitions are equal, wherever they were loaded from."""
        if not isinstance(other, Pathway):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in type(self).model_fields)

    __hash__ = None  # type: ignore[assignment]  # mutable dict fields: not hashable

    @property
    def lineage(self) -> tuple[str, ...]:
        """The ids of this pathway and the ones it extends, nearest first."""
        return self._origin.lineage if self._origin else (self.id,)

    @property
    def files(self) -> tuple[str, ...]:
        """The files this pathway was loaded from, this area's first."""
        return self._origin.files if self._origin else ()

    def location(self, section: str, name: str, *rest: str | int) -> Location | None:
        """Where `section.name[.rest...]` is written (for example `stages`, `triage`, `within`)."""
        if self._origin is None:
            return None
        place = self._origin.places.get((section, name))
        if place is None:
            return None
        positions, prefix = place
        if not rest:
            return positions.key(prefix) or positions.nearest(prefix)
        return positions.nearest((*prefix, *rest))

    @cached_property
    def profile_space(self) -> ProfileSpace:
        """Every combination of profile values, for reasoning about all victims at once."""
        return ProfileSpace({name: attr.domain for name, attr in self.profile.items()})

    def fix_place(
        self,
        found: Location | None,
        fix: str = "extends",
        causes: Iterable[tuple[str | int, ...]] = (),
    ) -> tuple[Location | None, Location | None]:
        """Where to report a problem found at `found`, and where it was inherited from: for a
        place in a file this one extends, the first of `causes` ((section, name, key...))
        written in this file, the key that brings the problem in; else this file's `extends:`
        line (or, with `fix` "agencies", its `agencies:`), where a forum lead fixes it. A
        problem found in this file is reported where it is found."""
        if found is None or not self.files or found.path == self.files[0]:
            return found, None
        for section, name, *rest in causes:
            place = self.location(str(section), str(name), *rest)
            if place is not None and place.path == self.files[0]:
                return place, found
        return self.location("file", fix) or found, found

    def owner_agencies(self, owner: str) -> tuple[str, ...]:
        """The agencies that fill `owner` (a role or an agency id), sorted."""
        if owner in self.agencies:
            return (owner,)
        return tuple(sorted(a for a, agency in self.agencies.items() if owner in agency.roles))

    def handoffs_from(self, stage: str) -> tuple[str, ...]:
        """Ids of the handoffs that leave `stage`, in the order they are written."""
        return self._handoffs_by_source.get(stage, ())

    @cached_property
    def _handoffs_by_source(self) -> dict[str, tuple[str, ...]]:
        by_source: dict[str, list[str]] = {}
        for name, handoff in self.handoffs.items():
            for source in handoff.from_:
                by_source.setdefault(source, []).append(name)
        return {stage: tuple(names) for stage, names in by_source.items()}
