"""The shapes of the service's requests and answers, which the OpenAPI document publishes.

Requests are strict about unknown keys: in particular no request names the acting agency or
member of staff (`by`, `staff`); they come from the caller's key.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "IDEMPOTENCY_KEY",
    "Amend",
    "Answer",
    "Decline",
    "EventModel",
    "HandoffRequest",
    "JourneyModel",
    "OptionModel",
    "PathwayModel",
    "Pause",
    "ProblemModel",
    "ProfileChangeRequest",
    "Reasoned",
    "Resume",
    "StartJourney",
    "Transfer",
    "Void",
]

#: The `Idempotency-Key` header: the store's own idempotency key rule.
IDEMPOTENCY_KEY = Header(
    default=None,
    pattern=r"^[A-Za-z0-9._:/-]{1,128}$",
    description="repeat a request safely: the same key and request are applied once",
)
_NAME = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
_AT = Field(default=None, description="when it happened (with a time zone); default: now")


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StartJourney(_Request):
    case_ref: str = Field(min_length=1, max_length=128, description="an opaque case reference")
    pathway: str | None = Field(default=None, max_length=200, description="a registered id")
    profile: dict[str, str | bool] = Field(description="one value per profile attribute")
    at: datetime | None = _AT


class HandoffRequest(_Request):
    handoff: str = _NAME
    shares: list[str] = Field(default_factory=list, max_length=50)
    at: datetime | None = _AT


class Answer(_Request):
    handoff: str = _NAME
    at: datetime | None = _AT


class Decline(Answer):
    reason: str = _NAME


class ProfileChangeRequest(_Request):
    attribute: str = _NAME
    value: str | bool
    at: datetime | None = _AT


class Reasoned(_Request):
    reason: str = _NAME
    at: datetime | None = _AT


class Pause(Reasoned):
    track: str = Field(default="main", max_length=100)


class Resume(_Request):
    track: str = Field(default="main", max_length=100)
    at: datetime | None = _AT


class Transfer(_Request):
    transfer: str = Field(max_length=100, description="the name of the transfer in the pathway")
    pathway: str = Field(max_length=200, description="the registered id of the other pathway")
    at: datetime | None = _AT


class Void(Reasoned):
    event: int = Field(ge=1, le=1_000_000)


class Amend(_Request):
    event: int = Field(ge=1, le=1_000_000)
    to: datetime
    at: datetime | None = _AT


class PathwayModel(BaseModel):
    id: str
    version: str
    area: str


class JourneyModel(BaseModel):
    case_ref: str
    pathway: str
    version: str
    revision: int
    closed: bool
    positions: dict[str, str]
    profile: dict[str, str | bool]
    awaiting: list[str] = Field(description="referrals waiting for an answer (handoff names)")
    due: list[dict[str, str | bool | None]]


class EventModel(BaseModel):
    seq: int
    what: str
    at: str
    by: str | None
    handoff: str | None
    from_stage: str | None
    to_stage: str | None
    shares: list[str] = Field(description="only where the handoff shared them with your agency")
    reason: str | None = None


class OptionModel(BaseModel):
    handoff: str
    from_stage: str
    to_stage: str
    open: bool
    reason: str | None
    shares: list[str]


class ProblemModel(BaseModel):
    """RFC 9457 problem details, with a journey's refusal in the library's own terms."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    journey: str | None = None
    stage: str | None = None
    handoff: str | None = None
    agency: str | None = None
    allowed: list[str] | None = None
