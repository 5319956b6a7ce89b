"""What the explorer page knows about a pathway, as plain JSON-ready data.

```python
from pathways.explorer.model import model
data = model(pathway)
[stage["title"] for stage in data["stages"]]
```

Routes are worked out once, here, by the same walk as `pathways diagram --profile`
(`pathways.graph.reach`): each stage carries the set of victim profiles that can reach it and
each handoff the set that can take it, as bitmasks written in hexadecimal. The page picks a
victim by intersecting the masks of the values chosen, so it shows exactly the stages and
handoffs that `pathways diagram --profile` would draw, without running Python.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from pathways.checks import check
from pathways.definition.conditions import explain
from pathways.definition.profiles import Value
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.reach import reach, taken

__all__ = ["model"]


def model(pathway: Pathway) -> dict[str, Any]:
    """Everything the page shows or highlights, in the order the file writes it."""
    found = reach(pathway)
    used = taken(pathway, found)
    return {
        "id": pathway.id,
        "title": pathway.title,
        "entry": pathway.entry,
        "all": f"{pathway.profile_space.all_mask:x}",
        "attributes": _attributes(pathway),
        "stages": [_stage(pathway, name, found.get(name, 0)) for name in pathway.stages],
        "handoffs": [_handoff(pathway, name, used.get(name, 0)) for name in pathway.handoffs],
        "findings": _findings(pathway),
    }


def _attributes(pathway: Pathway) -> list[dict[str, Any]]:
    space = pathway.profile_space
    return [
        {
            "name": name,
            "label": name.replace("_", " ").replace("-", " ").capitalize(),
            "values": [
                {"value": _word(value), "mask": f"{space.mask_where(name, value):x}"}
                for value in space.domains[name]
            ],
        }
        for name in space.names
    ]


def _word(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _stage(pathway: Pathway, name: str, bits: int) -> dict[str, Any]:
    stage = pathway.stages[name]
    return {
        "id": name,
        "title": stage.title,
        "kind": stage.kind,
        "outcome": stage.outcome.replace("-", " ") if stage.outcome else "",
        "owner": _who(pathway, stage.owner),
        "track": _track(pathway, stage.track),
        "within": str(stage.within) if stage.within is not None else "",
        "asks": [_information(pathway, item) for item in stage.collects],
        "needs": [_information(pathway, item) for item in stage.needs],
        "description": stage.description or "",
        "reach": f"{bits:x}",
    }


def _handoff(pathway: Pathway, name: str, bits: int) -> dict[str, Any]:
    handoff = pathway.handoffs[name]
    return {
        "id": name,
        "from": list(handoff.from_),
        "to": handoff.to,
        "by": [_who(pathway, person) for person in handoff.by],
        "when": explain(handoff.when) if handoff.when is not None else "",
        "within": str(handoff.within) if handoff.within is not None else "",
        "automatic": handoff.timeout,
        "shares": [_information(pathway, item) for item in handoff.shares],
        "starts": [_track(pathway, track) for track in handoff.starts],
        "taken": f"{bits:x}",
    }


def _who(pathway: Pathway, owner: str) -> str:
    if owner in pathway.agencies:
        return pathway.agencies[owner].name
    if owner in pathway.roles:
        return pathway.roles[owner].title
    return owner


def _information(pathway: Pathway, item: str) -> str:
    found = pathway.information.get(item)
    return found.title if found is not None else item


def _track(pathway: Pathway, track: str) -> str:
    if track in pathway.tracks:
        return pathway.tracks[track].title
    return "Main track" if track == MAIN_TRACK else track


def _findings(pathway: Pathway) -> list[dict[str, Any]]:
    report = check(pathway, with_metrics=False)
    rows = []
    for finding in report.findings:
        kind, _, name = finding.subject.partition(" ")
        stage = name if kind == "stage" else ""
        if kind == "handoff" and name in pathway.handoffs:
            stage = pathway.handoffs[name].from_[0]
        place = finding.location
        rows.append(
            {
                "severity": str(finding.severity),
                "rule": finding.rule,
                "subject": finding.subject,
                "message": finding.message,
                "accepted": finding.suppressed or "",
                "stage": stage if stage in pathway.stages else "",
                "handoff": name if kind == "handoff" else "",
                "where": f"{PurePath(place.path).name}:{place.line}" if place else "",
            }
        )
    return rows
