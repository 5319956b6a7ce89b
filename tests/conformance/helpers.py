"""A journey store whose journeys were made on an older version of the tutorial's pathway, with
deviations from the draft injected on purpose, and the deviations each journey holds."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from paths import tutorial_example
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore

#: The draft: the tutorial's pathway, with a time limit on support.
DRAFT_TEXT = tutorial_example().replace(
    "    kind: support\n", "    kind: support\n    within: 5 working days\n", 1
)
#: A move the older version had and the draft has not (a control-flow deviation).
SKIP = (
    "  skip-to-supported:\n    from: concern-raised\n    to: supported\n    by: [first-responder]\n"
)
CHILD_OR_GIVEN = "when: age_group == 'child' or consent == 'given'"


def older_version(condition: bool) -> str:
    """The version journeys ran on: the draft plus `SKIP` and, with `condition`, support open
    to adults who decline too (a deviation of condition only, invisible to a Petri net)."""
    text = DRAFT_TEXT.replace('version: "1"', 'version: "0"').replace(
        "handoffs:\n", "handoffs:\n" + SKIP, 1
    )
    if condition:
        text = text.replace(CHILD_OR_GIVEN, "when: age_group == 'child' or age_group == 'adult'")
    return text


def load(text: str) -> Pathway:
    return load_text(text, path="example/small.yaml")


@dataclass
class Made:
    """What the generator did: for each case, the deviating moves (event number, handoff)."""

    deviations: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    moves: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    visits: list[tuple[str, datetime, datetime]] = field(default_factory=list)


def fill(store: JourneyStore, count: int, seed: int, condition: bool) -> Made:
    """Open `count` journeys on the older version and move each at random until it closes."""
    older = compile_pathway(load(older_version(condition)))
    store.register(older)
    chooser = random.Random(seed)
    made = Made()
    start = datetime(2025, 3, 3, 9, tzinfo=UTC)
    for number in range(count):
        case = f"case-{number:04d}"
        profile = {
            "age_group": chooser.choice(["child", "adult"]),
            "consent": chooser.choice(["given", "declined"]),
        }
        at = start + timedelta(days=number)
        journey = store.create(case, profile, at=at, by="example-police", pathway=older)
        made.deviations[case] = []
        made.moves[case] = []
        seq = 0
        arrived: dict[str, datetime] = {}
        while not journey.closed:
            options = [r for r in older.exits(journey.positions) if r.holds(journey.profile)]
            rule = chooser.choice(sorted(options, key=lambda r: r.name))
            at += timedelta(days=chooser.randint(0, 12), hours=1)
            source = journey.positions["main"]
            store.handoff(
                case, rule.name, by=sorted(rule.agencies)[0], at=at, shares=sorted(rule.shares)
            )
            journey = store.load(case)
            seq += 1
            made.moves[case].append((rule.name, source))
            if source in arrived:
                made.visits.append((source, arrived[source], at))
            arrived[rule.target] = at
            adult_declines = profile == {"age_group": "adult", "consent": "declined"}
            if rule.name == "skip-to-supported" or (
                rule.name == "refer-for-support" and adult_declines
            ):
                made.deviations[case].append((seq, rule.name))
    return made
