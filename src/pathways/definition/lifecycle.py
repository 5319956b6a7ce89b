"""The pathway language's keys for the referral lifecycle (issue 15), as strict, frozen models.

A handoff may `require: acceptance` by the receiving stage's owner (`Acceptance`: the reasons
it may be declined for, where a decline goes, how long the answer may take); a stage may let
its clock be paused (`Pause`); a pathway may declare journey-level actions (`Actions`:
withdrawal and closing early, each with its reasons) and moves to other areas' pathways
(`Transfer`, with the stage each stage maps to). `pathways.definition.schema` uses them.

```yaml
handoffs:
  refer-to-nrm:
    from: nrm-referral
    to: rg-decision
    by: [first-responder]
    require: acceptance
    acceptance:
      reasons: [not-enough-information, referred-in-error]
      within: 2 working days
stages:
  recovery-period:
    pause: {reasons: [hospital-stay, victim-uncontactable]}
actions:
  withdraw: {reasons: [victim-withdraws-consent]}
transfers:
  to-north-lincolnshire:
    to: humber/north-lincolnshire
    stages: {recovery-period: recovery-period}
```
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pathways.definition.durations import DurationField
from pathways.definition.naming import ID_PATTERN, Names

__all__ = ["Acceptance", "Action", "Actions", "Pause", "Transfer"]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


class Acceptance(_Model):
    """How the receiving stage's owner answers a referral: the reasons it may decline it for,
    where a declined referral goes, and how long it has to answer."""

    reasons: Names = Field(min_length=1, description="the reasons a referral may be declined for")
    declined_to: str | None = Field(
        default=None, description="the stage a declined referral goes to; the referrer's if none"
    )
    within: DurationField | None = Field(default=None, description="time limit to answer")


class Pause(_Model):
    """The reasons a stage's clock may be paused for (waiting on the victim, a hospital stay)."""

    reasons: Names = Field(min_length=1, description="the reasons the clock may stop for")


class Action(_Model):
    """A journey-level action every journey may have: withdrawal or closing early."""

    reasons: Names = Field(min_length=1, description="the reasons it may be taken for")
    by: Names = Field(default=(), description="the roles or agencies that may take it; any if none")


class Actions(_Model):
    """The journey-level actions of this pathway."""

    withdraw: Action | None = Field(default=None, description="the victim withdraws")
    close: Action | None = Field(default=None, description="the journey is closed early")


class Transfer(_Model):
    """A move of a journey to another area's pathway, and which stage there each stage maps to."""

    to: str = Field(pattern=ID_PATTERN, description="the id of the other area's pathway")
    stages: dict[str, str] = Field(
        min_length=1, description="each stage here that may move, and its stage there"
    )
    by: Names = Field(default=(), description="the roles or agencies that may transfer")
