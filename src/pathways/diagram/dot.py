"""Graphviz DOT text of a `Diagram`: a cluster per lane, for `dot -Tsvg` where Graphviz exists.

```text
digraph "example/small" {
  subgraph "cluster_1" {
    label="Exampleshire Police";
    "concern-raised" [label="Concern raised\nFirst Responder Organisation"];
  }
  "concern-raised" -> "support" [label="refer for support\nif age group is child"];
}
```

Names and labels are always double-quoted with `"` and `\\` escaped, so any stage title is
safe. Same diagram, same text.
"""

from __future__ import annotations

from pathways.diagram.mermaid import FINDING_COLOUR
from pathways.diagram.picture import Diagram, Node

__all__ = ["dot", "quote"]


def quote(text: str) -> str:
    """`text` as a DOT double-quoted string (a newline becomes a centred line break)."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + body.replace("\n", "\\n") + '"'


def _attributes(pairs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{key}={value}" for key, value in pairs.items()) + "]"


def _node(node: Node) -> str:
    pairs = {"label": quote(f"{node.title}\n{node.detail}")}
    if node.shape == "decision":
        pairs["shape"] = "diamond"
    elif node.shape == "outcome":
        pairs.update(style='"rounded,filled"', fillcolor='"#e8f5e9"', peripheries="2")
    if node.entry:
        pairs["penwidth"] = "2"
    if node.flagged:
        pairs.update(color=quote(FINDING_COLOUR), penwidth="3")
    return f"    {quote(node.id)} {_attributes(pairs)};"


def dot(diagram: Diagram) -> str:
    """The DOT source of `diagram`, ending with a newline."""
    heading = (
        diagram.title if diagram.for_whom is None else f"{diagram.title}: for {diagram.for_whom}"
    )
    out = [
        f"digraph {quote(diagram.id)} {{",
        f"  label={quote(heading)};",
        '  labelloc="t";',
        '  rankdir="LR";',
        '  node [shape="box", style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize="10"];',
    ]
    for index, lane in enumerate(diagram.lanes, start=1):
        out.append(f"  subgraph {quote(f'cluster_{index}')} {{")
        out.append(f"    label={quote(lane.title)};")
        out.extend(_node(node) for node in diagram.lane_nodes(lane.id))
        out.append("  }")
    for link in diagram.links:
        pairs = {"label": quote("\n".join(link.lines))}
        if link.timeout:
            pairs["style"] = '"dashed"'
        if link.kind == "starts":
            pairs["style"] = '"dotted"'
        if link.flagged:
            pairs.update(color=quote(FINDING_COLOUR), fontcolor=quote(FINDING_COLOUR), penwidth="3")
        out.append(f"  {quote(link.source)} -> {quote(link.target)} {_attributes(pairs)};")
    if diagram.highlighted:
        out.append('  subgraph "cluster_key" {')
        out.append('    label="Key";')
        out.append(
            f'    "pathways:key" [label="Red outline: found by pathways check", '
            f"color={quote(FINDING_COLOUR)}, penwidth=3];"
        )
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"
