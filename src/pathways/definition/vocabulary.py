"""The national vocabulary a pathway file uses: kinds of stage, outcomes, domain tags.

These words are fixed by this library, not by a forum: the checks, the board report and the
simulator read a stage's kind, outcome and tags to know what it *is* in national terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

__all__ = ["DOMAIN_TAGS", "OUTCOMES", "STAGE_KINDS", "OutcomeKind", "Sensitivity", "StageKind"]

STAGE_KINDS = (
    "identification",
    "safeguarding",
    "referral",
    "decision",
    "support",
    "investigation",
    "outcome",
)
StageKind = Literal[
    "identification",
    "safeguarding",
    "referral",
    "decision",
    "support",
    "investigation",
    "outcome",
]

OUTCOMES = (
    "supported",
    "moved-on",
    "exited",
    "closed-without-support",
    "referred-elsewhere",
    "charged",
    "no-further-action",
)
OutcomeKind = Literal[
    "supported",
    "moved-on",
    "exited",
    "closed-without-support",
    "referred-elsewhere",
    "charged",
    "no-further-action",
]

Sensitivity = Literal["low", "personal", "sensitive", "special-category"]

#: Tags that tell the domain checks what a stage *is* in national terms.
DOMAIN_TAGS: Mapping[str, str] = {
    "helpline": "a report to the Modern Slavery & Exploitation Helpline",
    "place-of-safety": "short pre-referral safe accommodation (up to 3 working days nationally)",
    "consent-discussion": "the first responder explains the NRM and asks an adult for consent",
    "nrm-referral": "a referral into the National Referral Mechanism by a first responder",
    "duty-to-notify": "an anonymous notification to the Home Office under MSA 2015 s52",
    "childrens-services-referral": "a referral to the local authority's children's social care",
    "crime-recorded": "the police record the case as a crime",
    "reasonable-grounds": "the reasonable grounds decision",
    "recovery-period": "the recovery period of support after a positive reasonable grounds "
    "decision",
    "conclusive-grounds": "the conclusive grounds decision",
    "move-on": "move-on support after a positive conclusive grounds decision",
    "reconsideration": "a request to reconsider a negative decision",
}
