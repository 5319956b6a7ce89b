"""One victim's journey, step by step, without writing a case-test file (`pathways walk`).

```python
from pathways import load
from pathways.casetests.walkthrough import Walkthrough

walk = Walkthrough(load("pathways/humber/hull.yaml"), {"age_group": "adult", "consent": "given"})
for choice in walk.choices():       # the handoffs open now: who may make them, time limits
    print(choice.describe())
walk.choose("start-assessment")     # by name or by number; returns the story of the new events
print("\\n".join(walk.story()))      # the dated story, in the words of case-test failures
print(walk.as_case("adult-consents"))  # the walk as a case test to paste or save
```

The journey runs on the real runtime, with the case-test runner's time (`casetests.moves`):
each handoff happens at the last moment its limits allow, so the dates are the latest the
pathway permits. A timeout is chosen like any handoff: time passes until it happens.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pathways.casetests.expect import positions_after
from pathways.casetests.moves import Move, Mover, opening_time
from pathways.casetests.routes import Ending, Run, first_finder
from pathways.casetests.verdicts import describe_route
from pathways.definition.profiles import Value
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start

__all__ = ["CASE_REF", "Choice", "Walkthrough"]

#: The case reference of the journey a walk opens.
CASE_REF = "walk"


@dataclass(frozen=True, slots=True)
class Choice:
    """A handoff open now, numbered from 1 in the order `choices` lists them.

    `by` is who makes it unless told otherwise (None: it happens by itself when its time runs
    out); `allowed` names every agency that may make it; `limit` is its time limit in words with
    the last day allowed, or None when nothing limits when it happens.
    """

    number: int
    move: Move
    at: str
    to: str
    by: str | None
    allowed: tuple[str, ...]
    limit: str | None

    @property
    def handoff(self) -> str:
        return self.move.rule.name

    def describe(self) -> str:
        """One line: `1. 'refer-to-nrm' to 'NRM referral' (nrm-referral), by ...; within ...`."""
        if self.by is None:
            who = "happens by itself when its time runs out"
        else:
            who = f"by {' or '.join(self.allowed)}"
        limit = f"; {self.limit}" if self.limit else "; no time limit"
        return f"{self.number}. '{self.handoff}' to {self.to}, {who}{limit}"


class Walkthrough:
    """One journey of the victim with `profile` (every attribute given), moved by choices."""

    def __init__(
        self,
        pathway: Pathway | CompiledPathway,
        profile: Mapping[str, Value],
        *,
        found_by: str | None = None,
        starts_on: date | None = None,
    ) -> None:
        compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
        self.compiled = compiled
        self.pathway = self.compiled.pathway
        self.profile = dict(profile)
        self.found_by = found_by or first_finder(self.compiled)
        self.starts_on = starts_on
        self.mover = Mover(self.compiled, self.found_by)
        self.journey: Journey = start(
            self.compiled, CASE_REF, self.profile, opening_time(starts_on), self.found_by
        )
        self.timed: list[bool] = [True]
        self.steps: list[tuple[str, str | None]] = []

    # where the journey can go

    def choices(self) -> list[Choice]:
        """Every handoff open to this victim now, on every track, in the pathway's order."""
        found: list[Choice] = []
        for track in self.compiled.tracks:
            for move in self.mover.moves_on(self.journey, track):
                found.append(self._choice(len(found) + 1, track, move))
        return found

    def _choice(self, number: int, track: str, move: Move) -> Choice:
        rule = move.rule
        names = self.pathway.agencies
        allowed = tuple(names[a].name if a in names else a for a in sorted(rule.agencies))
        by = None if move.agency is None else names[move.agency].name
        return Choice(
            number=number,
            move=move,
            at=self._stage(self.journey.positions[track]),
            to=self._stage(rule.target),
            by=by,
            allowed=allowed,
            limit=self._limit(track, rule.name, move.timeout),
        )

    def _limit(self, track: str, handoff: str, timeout: bool) -> str | None:
        stage = self.journey.positions[track]
        texts: list[str] = []
        for deadline in self.journey.deadlines():
            if deadline.track != track or deadline.stage != stage:
                continue
            if deadline.handoff not in (None, handoff) or deadline.timeout != timeout:
                continue
            whose = "the stage's limit" if deadline.handoff is None else "its own limit"
            day = deadline.due
            texts.append(f"within {deadline.limit} ({whose}), by {day:%a} {day.day} {day:%b %Y}")
        return "; ".join(texts) or None

    def _stage(self, name: str) -> str:
        stage = self.pathway.stages[name]
        return f"'{stage.title}' ({name})"

    # moving on

    def choose(self, choice: str | int, by: str | None = None) -> list[str]:
        """Make the handoff named `choice` (or numbered, as `choices` lists them), by agency
        `by` if given; returns the story lines of the events it made.

        Raises `ValueError` when `choice` is not open now (naming what is); the runtime's
        `JourneyError` when it refuses the agency `by`.
        """
        options = self.choices()
        picked = _pick(options, choice)
        before = self.journey.event_count
        made = self.mover.make(self.journey, picked.move, by)
        if made is None:
            raise ValueError(f"'{picked.handoff}' does not happen by itself here")
        self.timed.extend(made)
        self.steps.append((picked.handoff, by))
        return self.story()[1 + before : 1 + self.journey.event_count]

    @property
    def ending(self) -> Ending | None:
        """`closed` when every track is at an outcome, `stuck` when nothing is open, else None."""
        if self.journey.closed:
            return "closed"
        return None if self.choices() else "stuck"

    def run(self) -> Run:
        """The walk so far as a case-test `Run`."""
        return Run(self.profile, self.journey.history, tuple(self.timed), self.ending or "stopped")

    def story(self) -> list[str]:
        """The dated story so far: the lines a failing case test prints for its route."""
        return describe_route(self.run(), self.pathway)

    # as a case test

    def as_case(self, name: str, description: str | None = None) -> str:
        """The walk as one case of a case-test file (YAML, indented to go under `cases:`)."""
        where = positions_after(self.run(), self.pathway).get(MAIN_TRACK, self.journey.stage)
        lines = [f"  {name}:"]
        told = description or f"walked with pathways walk: {self._words()}"
        lines.append(f"    description: {json.dumps(told, ensure_ascii=False)}")
        values = ", ".join(f"{k}: {_yaml_value(v)}" for k, v in self.profile.items())
        lines.append(f"    profile: {{{values}}}")
        lines.append(f"    found_by: {self.found_by}")
        if self.starts_on is not None:
            lines.append(f"    starts_on: '{self.starts_on.isoformat()}'")
        lines.append("    route:" if self.steps else "    route: []")
        for handoff, by in self.steps:
            step = f"{{handoff: {handoff}, by: {by}}}" if by else handoff
            lines.append(f"      - {step}")
        lines.append("    expect:")
        lines.append(f"      reaches: {where}")
        return "\n".join(lines) + "\n"

    def _words(self) -> str:
        return ", ".join(f"{k}={_yaml_value(v)}" for k, v in self.profile.items())


def _pick(options: Sequence[Choice], choice: str | int) -> Choice:
    for option in options:
        if choice in (option.number, option.handoff, str(option.number)):
            return option
    open_now = ", ".join(f"{o.number} ('{o.handoff}')" for o in options) or "none"
    raise ValueError(f"'{choice}' is not open now (open: {open_now})")


def _yaml_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
