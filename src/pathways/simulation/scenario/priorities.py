"""Priority classes: cases in a capacity entry's queue served by class, most urgent first.

```yaml
priorities:
  home-office:                       # a capacity entry (an agency or a team)
    classes: [urgent, routine]       # served in this order
    shares:                          # which class a case is in: probabilities, or by profile
      depends_on: age_group
      by: {child: {urgent: 1}, adult: {urgent: 0.1, routine: 0.9}}
```

The entry's free caseworkers (or its panel at a meeting) take the oldest waiting case of the
first class that has one, then of the next, and so on: strict priority. A case being worked on
is never interrupted by a more urgent one (non-preemptive). Within a class, first come, first
served. `shares` is written as `branches` and `split` are: probabilities adding up to 1, or
`depends_on` a profile attribute with probabilities for each of its values. Which class a case
is in at a stage is drawn from the victim's own number of the stage's `priority` stream, so it
is the same on every visit and in every what-if that keeps the shares.

The entry `Priority` is in `scenario.schema`, with the other entries of a scenario file.
"""

from __future__ import annotations

from typing import Any, Protocol

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.schema import Pathway
from pathways.errors import Location, Problem
from pathways.simulation.scenario.mix import check_choice

__all__ = ["check_priorities"]


class _Placed(Protocol):
    """What a check needs of a loaded scenario (`scenario.loader.Scenario`)."""

    @property
    def document(self) -> Any: ...

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None: ...


def _problem(message: str, at: Location | None, expected: str, hint: str) -> Problem:
    return Problem("bad-priority", message, at, expected=expected, hint=hint)


def check_priorities(pathway: Pathway, scenario: _Placed) -> list[Problem]:
    """Problems with `priorities`: entries that are not capacity entries, classes named twice,
    and shares that name no class or do not add up (`check_choice`)."""
    document = scenario.document
    entries = sorted(document.capacity)
    problems: list[Problem] = []
    for name, priority in document.priorities.items():
        at = scenario.location("priorities", name) or scenario.location("priorities")
        if name not in document.capacity:
            problems.append(
                _problem(
                    f"priorities names '{name}', which is not an entry of 'capacity'",
                    at,
                    one_of(entries) if entries else "an entry of 'capacity'",
                    did_you_mean(name, entries) or "give the entry caseworkers or a panel first",
                )
            )
            continue
        twice = sorted({c for c in priority.classes if priority.classes.count(c) > 1})
        if twice:
            problems.append(
                _problem(
                    f"priorities.{name} names the class {', '.join(twice)} more than once",
                    scenario.location("priorities", name, "classes") or at,
                    "each class once, most urgent first",
                    "remove the repeated class",
                )
            )
            continue
        where = scenario.location("priorities", name, "shares") or at
        problems.extend(
            check_choice(
                priority.shares,
                tuple(priority.classes),
                f"priorities.{name}.shares",
                where,
                pathway.profile,
                flag=False,
            )
        )
    return problems
