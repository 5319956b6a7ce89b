"""Which agencies may see a journey: only those it involves.

An agency is involved from the moment the pathway involves it: it opened the journey or made or
answered anything on it, it owns a stage the journey has been at (which includes being the
target of a referral), or the pathway lets it make a handoff from where the journey is now.
Information item names travel the same way: an agency sees the items a handoff shared only when
it made that handoff or owns the stage the handoff went to.
"""

from __future__ import annotations

from pathways.runtime.events import Event
from pathways.runtime.journey import Journey

__all__ = ["involved", "shared_with"]


def _owners(journey: Journey, stage: str | None) -> tuple[str, ...]:
    rule = journey.compiled.stages.get(stage or "")
    return rule.owners if rule is not None else ()


def involved(journey: Journey, agency: str) -> bool:
    """True when the journey involves `agency` (see the module docstring)."""
    for event in journey.history:
        if event.by == agency:
            return True
        if agency in _owners(journey, event.to_stage) or agency in _owners(
            journey, event.from_stage
        ):
            return True
    return any(option.open for option in journey.available(by=agency))


def shared_with(journey: Journey, event: Event, agency: str) -> tuple[str, ...]:
    """The items `event` shared, if `agency` may see their names, else none."""
    if event.by == agency or agency in _owners(journey, event.to_stage):
        return event.shares
    return ()
