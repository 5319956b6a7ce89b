"""The pathway as a Petri net in PNML (ISO/IEC 15909-2), for process-mining tools.

```python
from pathways import load
from pathways.diagram.pnml import petri_net, pnml
net = petri_net(load("pathways/humber/hull.yaml"))   # places, transitions, arcs
text = pnml(load("pathways/humber/hull.yaml"))       # what `pathways diagram --format pnml` writes
```

The net is the pathway's control flow, which is what PM4Py, ProM or Celonis replay an event log
against: a place for each stage, a transition for each handoff from each of its source stages
(labelled with the handoff's name, as the event log's activity is), a token in the entry stage
to start. A referral the receiver may decline has a transition `declined:<handoff>` from the
stage it reached back to where a decline goes (the stage it came from, or `declined_to`). A
handoff that `starts:` a parallel track also puts a token in that track's entry. An outcome
stage of the main track leads by a silent transition to the place `end`, the final marking; an
outcome of another track ends that track's token by a silent transition.

What the net leaves out, because a Petri net cannot say it: who may make a handoff, the
victim's profile (`when:`), time limits and `waits_for:` (taken as open). `pathways conform`
checks those too; replaying a log on this net judges the order of handoffs only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pathways.definition.schema import MAIN_TRACK, Pathway

__all__ = ["END", "PetriNet", "petri_net", "pnml"]

#: The place of the final marking.
END = "end"


@dataclass(frozen=True, slots=True)
class PetriNet:
    """Places, labelled transitions (label None: silent) and arcs, with the initial marking."""

    name: str
    places: tuple[str, ...]
    transitions: tuple[tuple[str, str | None], ...]
    arcs: tuple[tuple[str, str], ...]
    initial: str
    final: str = END


def petri_net(pathway: Pathway) -> PetriNet:
    """The control flow of `pathway` as a Petri net (see the module docstring)."""
    places = [f"p:{name}" for name in pathway.stages] + [END]
    transitions: list[tuple[str, str | None]] = []
    arcs: list[tuple[str, str]] = []
    entries = {name: track.entry for name, track in pathway.tracks.items()}
    for name, handoff in pathway.handoffs.items():
        for source in handoff.from_:
            transition = f"t:{name}:{source}"
            transitions.append((transition, name))
            arcs.append((f"p:{source}", transition))
            arcs.append((transition, f"p:{handoff.to}"))
            arcs.extend((transition, f"p:{entries[t]}") for t in handoff.starts if t in entries)
    for name, handoff in pathway.handoffs.items():
        acceptance = handoff.acceptance
        if acceptance is None:
            continue
        for source in handoff.from_:
            transition = f"t:declined:{name}:{source}"
            transitions.append((transition, f"declined:{name}"))
            arcs.append((f"p:{handoff.to}", transition))
            arcs.append((transition, f"p:{acceptance.declined_to or source}"))
    for name, stage in pathway.stages.items():
        if stage.outcome is None:
            continue
        transition = f"t:end:{name}"
        transitions.append((transition, None))
        arcs.append((f"p:{name}", transition))
        if stage.track == MAIN_TRACK:
            arcs.append((transition, END))
    return PetriNet(
        pathway.id, tuple(places), tuple(transitions), tuple(arcs), f"p:{pathway.entry}"
    )


def pnml(pathway: Pathway) -> str:
    """`pathway`'s Petri net as PNML text (a place/transition net), ending with a newline."""
    net = petri_net(pathway)
    root = ET.Element("pnml")
    body = ET.SubElement(
        root, "net", id=_xml_id(net.name), type="http://www.pnml.org/version-2009/grammar/ptnet"
    )
    _text(body, "name", net.name)
    page = ET.SubElement(body, "page", id="page")
    for place in net.places:
        node = ET.SubElement(page, "place", id=place)
        _text(node, "name", place.removeprefix("p:"))
        if place == net.initial:
            _text(node, "initialMarking", "1")
    for transition, label in net.transitions:
        node = ET.SubElement(page, "transition", id=transition)
        _text(node, "name", label if label is not None else transition)
        if label is None:
            tool = ET.SubElement(
                node, "toolspecific", tool="ProM", version="6.4", activity="$invisible$"
            )
            tool.set("localNodeID", transition)
    for number, (source, target) in enumerate(net.arcs):
        ET.SubElement(page, "arc", id=f"a{number}", source=source, target=target)
    final = ET.SubElement(body, "finalmarkings")
    marking = ET.SubElement(final, "marking")
    _text(ET.SubElement(marking, "place", idref=net.final), "", "1")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _text(parent: ET.Element, tag: str, value: str) -> None:
    holder = ET.SubElement(parent, tag) if tag else parent
    ET.SubElement(holder, "text").text = value


def _xml_id(name: str) -> str:
    return "net-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
