"""Conformance: are victims' real journeys following the agreed pathway?

```python
from datetime import UTC, datetime
from pathways import load
from pathways.conformance import conform_store
from pathways.store import JourneyStore

with JourneyStore("sqlite:///journeys.db", read_only=True) as store:
    own, draft = conform_store(store, load("pathways/humber/hull.yaml"), now=datetime.now(UTC))
print(draft.format())      # or draft.as_dict(), draft_csv(draft)
```

Every stored journey of the pathway is replayed (`replay`) against the version it ran on and
against another version, usually the new draft, with the runtime's own rules; `conform`
adds them up (`Conformance`). Process mining calls this conformance checking: `pathways
diagram --format pnml` exports the same pathway as a Petri net so that PM4Py, ProM or Celonis
can replay the same journeys, judging the order of handoffs only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pathways.conformance.output import format_conformance, to_csv, to_dict
from pathways.conformance.replay import Deviation, JourneyReplay, StageVisit, replay
from pathways.conformance.summary import Conformance, StageLimit, conform
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.events import Event
from pathways.store import JourneyStore

__all__ = [
    "Conformance",
    "Deviation",
    "JourneyReplay",
    "OwnVersions",
    "StageLimit",
    "StageVisit",
    "conform",
    "conform_store",
    "format_conformance",
    "replay",
    "stored_journeys",
    "to_csv",
    "to_dict",
]

#: What `conform_store` gives for the journeys against the versions they ran on: one
#: `Conformance` per version, by its label.
OwnVersions = dict[str, Conformance]


def stored_journeys(
    store: JourneyStore, pathway_id: str, opened: tuple[datetime, datetime] | None = None
) -> Iterator[tuple[str, str, tuple[Event, ...]]]:
    """`(case_ref, fingerprint, events)` of each stored journey of `pathway_id`, by reference."""
    after: str | None = None
    while True:
        page = store.find(pathway=pathway_id, opened=opened, after=after)
        for summary in page.items:
            journey = store.load(summary.case_ref)
            yield summary.case_ref, journey.compiled.fingerprint, journey.history
        if page.next is None:
            return
        after = page.next


def conform_store(
    store: JourneyStore,
    draft: Pathway,
    *,
    now: datetime,
    opened: tuple[datetime, datetime] | None = None,
) -> tuple[OwnVersions, Conformance]:
    """The stored journeys of `draft.id` replayed against the versions they ran on, and
    against `draft`."""
    journeys = list(stored_journeys(store, draft.id, opened))
    own: OwnVersions = {}
    for fingerprint in sorted({f for _, f, _ in journeys}):
        compiled = store.compiled(fingerprint)
        label = f"{compiled.pathway.id} version {compiled.pathway.version}"
        chosen = [(c, e) for c, f, e in journeys if f == fingerprint]
        own[label] = conform(compiled, chosen, now)
    against = conform(compile_pathway(draft), [(c, e) for c, _, e in journeys], now)
    return own, against
