"""Pictures of a pathway: Mermaid and DOT text, and SVG or PNG drawn without Graphviz.

```python
from pathways import load
from pathways.diagram import render
text = render(load("pathways/humber/hull.yaml"), "mermaid", lanes="agency")
```

`model.build` turns a pathway into a neutral `Diagram` (lanes, stages, handoffs, what the checks
flagged); `mermaid`, `dot` and `draw` render it. SVG and PNG need matplotlib, the `charts`
extra (`pip install 'referral-pathways[diagrams]'`); Mermaid and DOT need nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pathways.definition.schema import Pathway
from pathways.diagram.dot import dot
from pathways.diagram.draw import draw
from pathways.diagram.layout import DiagramTooLarge
from pathways.diagram.mermaid import mermaid
from pathways.diagram.picture import LANE_KINDS, Diagram, Lane, Link, Node, build, profile_mask
from pathways.diagram.pnml import pnml

__all__ = [
    "FORMATS",
    "LANE_KINDS",
    "Diagram",
    "DiagramTooLarge",
    "Lane",
    "Link",
    "Node",
    "build",
    "dot",
    "draw",
    "flagged_by_checks",
    "mermaid",
    "pnml",
    "profile_mask",
    "render",
    "render_diagram",
]

FORMATS = ("mermaid", "dot", "svg", "png", "pnml")


def render_diagram(diagram: Diagram, fmt: str) -> str | bytes:
    """`diagram` as text ("mermaid", "dot") or bytes ("svg", "png")."""
    if fmt == "mermaid":
        return mermaid(diagram)
    if fmt == "dot":
        return dot(diagram)
    if fmt == "pnml":
        raise ValueError("a Petri net is made from the pathway itself: render(pathway, 'pnml')")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    return draw(diagram, fmt)


def flagged_by_checks(pathway: Pathway) -> tuple[str, ...]:
    """The subjects ("stage triage", "handoff close") of the checks' unsuppressed findings."""
    from pathways.checks import check

    report = check(pathway, with_metrics=False)
    subjects = {f.subject for f in report.findings if f.suppressed is None}
    return tuple(sorted(subjects))


def render(
    pathway: Pathway,
    fmt: str = "mermaid",
    *,
    lanes: str = "agency",
    profile: str | Mapping[str, str] | None = None,
    highlight_findings: bool = False,
    flagged: Iterable[str] = (),
) -> str | bytes:
    """`pathway` drawn in `fmt`; see `build` for `lanes`, `profile` and `flagged`.

    With `highlight_findings` the checks are run and what they found is outlined in red.
    Raises `ValueError` for a bad option and `pathways.plotting.MissingExtra` when SVG or PNG
    cannot be drawn.
    """
    if fmt == "pnml":  # a Petri net of the control flow, not a picture: no lanes or profile
        return pnml(pathway)
    marks = list(flagged)
    if highlight_findings:
        marks.extend(flagged_by_checks(pathway))
    picture = build(pathway, lanes=lanes, profile=profile, flagged=marks)
    if highlight_findings and not picture.highlighted:
        picture = _with_key(picture)
    return render_diagram(picture, fmt)


def _with_key(picture: Diagram) -> Diagram:
    """Keep the key when the checks found nothing, so the reader knows they were run."""
    from dataclasses import replace

    return replace(picture, highlighted=True)
