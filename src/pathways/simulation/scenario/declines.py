"""Declines: referrals the receiving stage's owner turns down (issue 15).

```yaml
declines:
  refer-to-nrm: {probability: 0.05}
  refer-to-outreach:
    reasons: {not-enough-information: 0.08, referred-in-error: 0.02}
    after: 3 days
```

Only a handoff the pathway says must be accepted (`require: acceptance`) may be declined. Each
referral made by it is declined with this probability (in total, or for each reason the
pathway's `acceptance.reasons` declares); a declined referral waits with the referrer for the
answer (`after`, or the acceptance's `within`, or straight away if neither is given) and then
goes where the pathway says: `acceptance.declined_to`, or back to the stage it came from.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from pathways.definition.durations import Duration, DurationField
from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.schema import Handoff, Pathway
from pathways.errors import Location, Problem

__all__ = ["Decline", "answer_time", "check_declines"]


class _Placed(Protocol):
    """What a check needs of a loaded scenario (`scenario.loader.Scenario`)."""

    @property
    def document(self) -> Any: ...

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None: ...


class Decline(BaseModel):
    """How often a handoff's referrals are declined, in total or by reason, and when."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    probability: float | None = Field(
        default=None, ge=0.0, le=1.0, description="the share of referrals declined"
    )
    reasons: dict[str, float] = Field(
        default_factory=dict, description="the share of referrals declined for each reason"
    )
    after: DurationField | None = Field(
        default=None, description="how long the answer takes (the acceptance's `within` if none)"
    )
    description: str = Field(default="", description="free text, shown in reports")

    def shares(self, declared: tuple[str, ...]) -> dict[str, float]:
        """The probability of a decline for each reason (a total is put on the first reason)."""
        if self.reasons:
            return dict(self.reasons)
        return {declared[0]: self.probability or 0.0}


def answer_time(decline: Decline, handoff: Handoff) -> Duration | None:
    """How long the receiver takes to answer: the key's `after`, else the acceptance's `within`."""
    if decline.after is not None:
        return decline.after
    return handoff.acceptance.within if handoff.acceptance is not None else None


def _problem(message: str, at: Location | None, expected: str, hint: str) -> Problem:
    return Problem("bad-declines", message, at, expected=expected, hint=hint)


def check_declines(pathway: Pathway, scenario: _Placed) -> list[Problem]:
    """Problems with `declines`: handoffs that need no acceptance, undeclared reasons,
    probabilities outside 0 to 1, and a referral that could never be accepted."""
    problems = []
    needing = [n for n, h in pathway.handoffs.items() if h.require == "acceptance"]
    for name, decline in scenario.document.declines.items():
        at = scenario.location("declines", name) or scenario.location("declines")
        handoff = pathway.handoffs.get(name)
        if handoff is None or handoff.acceptance is None:
            problems.append(
                _problem(
                    f"declines names '{name}', which is not a handoff that must be accepted",
                    at,
                    one_of(needing) if needing else "a handoff with 'require: acceptance'",
                    did_you_mean(name, needing)
                    or "add 'require: acceptance' and 'acceptance:' to the handoff in the pathway",
                )
            )
            continue
        problems.extend(_check_one(name, decline, handoff, scenario))
    return problems


def _check_one(name: str, decline: Decline, handoff: Handoff, scenario: _Placed) -> list[Problem]:
    at = scenario.location("declines", name) or scenario.location("declines")
    declared = list(handoff.acceptance.reasons) if handoff.acceptance else []
    if (decline.probability is None) == (not decline.reasons):
        return [
            _problem(
                f"declines.{name} needs either 'probability' or 'reasons', not both or neither",
                at,
                "'probability: 0.1' or 'reasons: {<reason>: 0.1}'",
                "give one total, or one probability for each reason",
            )
        ]
    problems = []
    for reason, share in decline.reasons.items():
        where = scenario.location("declines", name, "reasons", reason) or at
        if reason not in declared:
            problems.append(
                _problem(
                    f"declines.{name} gives reason '{reason}', which the pathway does not "
                    f"declare for this handoff",
                    where,
                    one_of(declared),
                    did_you_mean(reason, declared) or "add the reason to 'acceptance.reasons'",
                )
            )
        if not 0.0 <= share <= 1.0:
            problems.append(
                _problem(
                    f"declines.{name}.reasons.{reason} is {share}, which is not a probability",
                    where,
                    "a number from 0 to 1",
                    "write 0.05 for 5%",
                )
            )
    total = sum(decline.shares(tuple(declared)).values())
    back = handoff.acceptance is not None and handoff.acceptance.declined_to is None
    if total > 1.0 or (back and total >= 1.0):
        problems.append(
            _problem(
                f"declines.{name} adds up to {total:g}, so "
                + (
                    "more than every referral is declined"
                    if total > 1.0
                    else "no referral is ever accepted"
                ),
                at,
                "probabilities adding up to less than 1",
                "a declined referral goes back to where it came from, so some must be accepted",
            )
        )
    return problems
