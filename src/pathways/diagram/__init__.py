"""Pictures of a pathway: Mermaid and DOT text, and SVG or PNG drawn without Graphviz.

```python
from pathways import load
from pathways.diagram import render
text = render(load("pathways/humber/hull.yaml"), "mermaid", lanes="agency")
```

`picture.build` turns a pathway into a neutral `Diagram` (lanes, stages, handoffs, what the
checks flagged); `mermaid` and `dot` write it as text. SVG and PNG use the board layout
(`board_layout.board_layout`, a layered layout top to bottom, drawn by `svg.svg` and
`raster.png`) unless `look="classic"` asks for the older left-to-right drawing (`draw`).
The board layout's SVG needs nothing more; PNG and the classic look need matplotlib, the
`diagrams` extra (`pip install 'referral-pathways[diagrams]'`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pathways.definition.schema import Pathway
from pathways.diagram.board_layout import board_layout
from pathways.diagram.dot import dot
from pathways.diagram.draw import draw
from pathways.diagram.layout import DiagramTooLarge
from pathways.diagram.mermaid import mermaid
from pathways.diagram.picture import LANE_KINDS, Diagram, Lane, Link, Node, build, profile_mask
from pathways.diagram.pnml import pnml

__all__ = [
    "FORMATS",
    "LANE_KINDS",
    "LOOKS",
    "Diagram",
    "DiagramTooLarge",
    "Lane",
    "Link",
    "Node",
    "board_layout",
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
#: How SVG and PNG pictures look: the board layout (top to bottom) or the classic drawing.
LOOKS = ("board", "classic")


def render_diagram(
    diagram: Diagram, fmt: str, *, look: str = "board", fence: bool = False
) -> str | bytes:
    """`diagram` as text ("mermaid", "dot") or bytes ("svg", "png").

    `look` chooses the board layout or the classic drawing for SVG and PNG; `fence` puts
    Mermaid text between ```` ```mermaid ```` and ```` ``` ```` for Markdown pages.
    """
    if look not in LOOKS:
        raise ValueError(f"look must be one of {', '.join(LOOKS)}, not '{look}'")
    if fmt == "mermaid":
        text = mermaid(diagram)
        return f"```mermaid\n{text}```\n" if fence else text
    if fmt == "dot":
        return dot(diagram)
    if fmt == "pnml":
        raise ValueError("a Petri net is made from the pathway itself: render(pathway, 'pnml')")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    if look == "classic":
        return draw(diagram, fmt)
    sheet = board_layout(diagram)
    if fmt == "svg":
        from pathways.diagram.svg import svg

        return svg(sheet).encode("utf-8")
    from pathways.diagram.raster import png

    return png(sheet)


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
    look: str = "board",
    fence: bool = False,
) -> str | bytes:
    """`pathway` drawn in `fmt`; see `build` for `lanes`, `profile` and `flagged`, and
    `render_diagram` for `look` and `fence`.

    With `highlight_findings` the checks are run and what they found is outlined in red.
    Raises `ValueError` for a bad option and `pathways.plotting.MissingExtra` when a PNG (or
    a classic SVG) cannot be drawn.
    """
    if fmt == "pnml":  # a Petri net of the control flow, not a picture: no lanes or profile
        return pnml(pathway)
    marks = list(flagged)
    if highlight_findings:
        marks.extend(flagged_by_checks(pathway))
    picture = build(pathway, lanes=lanes, profile=profile, flagged=marks)
    if highlight_findings and not picture.highlighted:
        picture = _with_key(picture)
    return render_diagram(picture, fmt, look=look, fence=fence)


def _with_key(picture: Diagram) -> Diagram:
    """Keep the key when the checks found nothing, so the reader knows they were run."""
    from dataclasses import replace

    return replace(picture, highlighted=True)
