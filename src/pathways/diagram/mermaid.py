"""Mermaid flowchart text of a `Diagram`, for GitHub, GitLab and other Markdown hosts.

```text
flowchart TB
  subgraph lane1_example_police ["Exampleshire Police"]
    st_concern_raised["Concern raised<br/>First Responder Organisation"]
  end
  st_concern_raised -->|"refer for support<br/>if age group is child"| st_support
```

Every label is written inside double quotes, and every character Mermaid (or the host's HTML
sanitiser) could read as syntax is written as a Mermaid entity code (`#34;` for a double
quote), so any stage title renders as written. Ids are made from the stage names (`st_` plus the
name with `-` as `_`), so they never collide with Mermaid's keywords such as `end`.

Mermaid also reads some plain text in a label: `$$...$$` as KaTeX maths and `fa:fa-name` as a
Font Awesome icon (entity codes do not stop these: the sanitiser decodes them first), so an
invisible WORD JOINER (U+2060) is written between the two `$` and after the colon. And it drops
the last `;` of a line holding `style` and later a `:` directly followed by an entity code
(`Lifestyle check (10:30)` would show `10:30#41`), so such a colon is written as `#58;`.
tests/diagram/test_draw.py draws every bundled pathway with the real Mermaid library.
"""

from __future__ import annotations

import re

from pathways.diagram.picture import Diagram, Node

__all__ = ["FINDING_COLOUR", "escape", "mermaid", "node_ids"]

FINDING_COLOUR = "#d32f2f"

# Characters written as entity codes: quotes and brackets (syntax), `#` and `;` (entity codes),
# `<`, `>` and `&` (HTML), `|` (edge labels), backtick (Markdown strings), `%` (comments).
_ESCAPES = {ch: f"#{ord(ch)};" for ch in "#;\"'`<>&|[](){}%\\"}
_SPACES = re.compile(r"\s+")
_WORD_JOINER = "\u2060"
_MATHS = re.compile(r"\$(?=\$)")  # `$$...$$` is drawn as KaTeX maths
_ICON = re.compile(r":(?=fa-)")  # `fa:fa-user` (also `fab:`, `fas:`, ...) is drawn as an icon
_COLON_BEFORE_CODE = re.compile(r":(?=\S*#)")  # `style...:...#40;` loses its `;`


def escape(text: str) -> str:
    """`text` made safe inside a quoted Mermaid label: one line, syntax as entity codes."""
    flat = _SPACES.sub(" ", text).strip()
    flat = _ICON.sub(":" + _WORD_JOINER, _MATHS.sub("$" + _WORD_JOINER, flat))
    return _COLON_BEFORE_CODE.sub("#58;", "".join(_ESCAPES.get(ch, ch) for ch in flat))


def _label(*lines: str) -> str:
    text = "<br/>".join(escape(line) for line in lines if line)
    return '"' + _COLON_BEFORE_CODE.sub("#58;", text) + '"'


def node_ids(diagram: Diagram) -> dict[str, str]:
    """The Mermaid id of each stage: `st_` + the name with `-` as `_`, numbered if taken."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in diagram.nodes:
        base = "st_" + re.sub(r"[^A-Za-z0-9_]", "_", node.id)
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}_{number}", number + 1
        used.add(candidate)
        ids[node.id] = candidate
    return ids


def _lane_ids(diagram: Diagram) -> dict[str, str]:
    ids: dict[str, str] = {}
    for index, lane in enumerate(diagram.lanes, start=1):
        ids[lane.id] = f"lane{index}_" + re.sub(r"[^A-Za-z0-9_]", "_", lane.id)
    return ids


def _shape(node: Node, ident: str) -> str:
    label = _label(node.title, node.detail)
    if node.shape == "decision":
        return f"{ident}{{{label}}}"
    if node.shape == "outcome":
        return f"{ident}([{label}])"
    return f"{ident}[{label}]"


def mermaid(diagram: Diagram, direction: str = "TB") -> str:
    """The Mermaid source of `diagram`, ending with a newline; same diagram, same text.

    `direction` "TB" (the default) draws it top to bottom, as the board layout does; "LR"
    draws it left to right.
    """
    ids = node_ids(diagram)
    lanes = _lane_ids(diagram)
    out = [f"flowchart {direction}"]
    heading = (
        diagram.title if diagram.for_whom is None else f"{diagram.title}: for {diagram.for_whom}"
    )
    out.append(f"  %% {escape(heading)}")
    for lane in diagram.lanes:
        out.append(f"  subgraph {lanes[lane.id]} [{_label(lane.title)}]")
        out.extend(f"    {_shape(node, ids[node.id])}" for node in diagram.lane_nodes(lane.id))
        out.append("  end")
    flagged_links: list[int] = []
    for index, link in enumerate(diagram.links):
        arrow = "-.->" if link.timeout or link.kind == "starts" else "-->"
        out.append(f"  {ids[link.source]} {arrow}|{_label(*link.lines)}| {ids[link.target]}")
        if link.flagged:
            flagged_links.append(index)
    out.append("  classDef entry stroke-width:3px")
    out.append("  classDef outcome fill:#e8f5e9,stroke:#2e7d32")
    out.append(
        f"  classDef finding stroke:{FINDING_COLOUR},stroke-width:3px,color:{FINDING_COLOUR}"
    )
    entry = [ids[n.id] for n in diagram.nodes if n.entry]
    outcomes = [ids[n.id] for n in diagram.nodes if n.shape == "outcome"]
    flagged = [ids[n.id] for n in diagram.nodes if n.flagged]
    for name, members in (("entry", entry), ("outcome", outcomes), ("finding", flagged)):
        if members:
            out.append(f"  class {','.join(members)} {name}")
    if flagged_links:
        numbers = ",".join(str(i) for i in flagged_links)
        out.append(f"  linkStyle {numbers} stroke:{FINDING_COLOUR},stroke-width:3px")
    if diagram.highlighted:
        out.append(f"  subgraph legend [{_label('Key')}]")
        out.append(f"    legend_finding[{_label('Red outline: found by pathways check')}]")
        out.append(f"    legend_outcome([{_label('Rounded green: an outcome')}])")
        out.append("  end")
        out.append("  class legend_finding finding")
        out.append("  class legend_outcome outcome")
    return "\n".join(out) + "\n"
