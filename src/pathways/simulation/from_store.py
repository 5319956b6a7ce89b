"""Forecasting from the live case system: a scenario that starts today, from a journey store's
open journeys as they are (`pathways simulate ... --from-store URL`).

The store is opened read-only. Each open journey of the pathway whose main track is at a stage
(not an outcome) becomes a case of the starting state (`backlog_table`), at that stage, with its
profile and the date its journey was opened as its referral date; journeys with the same stage,
date and profile are counted together. The scenario then starts on `today`: its own `backlog`
and `backlog_table` are replaced, and dated changes from before today apply from day 0. No case
reference leaves the store.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.simulation.scenario.loader import Scenario
from pathways.store.journey_store import JourneyStore

__all__ = ["open_cases", "starting_from_store"]

_PAGE = 500


def open_cases(url: str, pathway: Pathway) -> list[dict[str, str | int | bool]]:
    """The store's open journeys of `pathway` as rows of a backlog table (see the docstring)."""
    stages = {
        name
        for name, stage in pathway.stages.items()
        if stage.track == MAIN_TRACK and stage.kind != "outcome"
    }
    counted: Counter[tuple[str, str, tuple[tuple[str, str | bool], ...]]] = Counter()
    with JourneyStore(url, read_only=True) as store:
        after: str | None = None
        while True:
            page = store.find(pathway=pathway.id, open_only=True, limit=_PAGE, after=after)
            for item in page.items:
                if item.stage not in stages:
                    continue
                journey = store.load(item.case_ref, history=False)
                profile = tuple(sorted((k, v) for k, v in journey.profile.items()))
                counted[(item.stage, item.opened_at.date().isoformat(), profile)] += 1
            if page.next is None:
                break
            after = page.next
    return [
        {"stage": stage, "referred": referred, "cases": cases, **dict(profile)}
        for (stage, referred, profile), cases in sorted(counted.items())
    ]


def starting_from_store(scenario: Scenario, pathway: Pathway, url: str, today: date) -> Scenario:
    """`scenario`, starting on `today` from the store's open journeys (see the docstring)."""
    rows = tuple(open_cases(url, pathway))
    document = scenario.document.model_copy(
        update={"start": today, "backlog": {}, "backlog_table": rows}
    )
    places = {k: v for k, v in scenario.places.items() if k[0] not in ("backlog", "backlog_table")}
    return Scenario(document, scenario.lineage, scenario.files, places)
