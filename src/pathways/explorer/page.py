"""The explorer as one self-contained HTML page: inline style, script, data and SVG.

```python
from pathways.explorer import explore
Path("hull.html").write_text(explore(pathway), encoding="utf-8")
```

The page's Content-Security-Policy allows only its own inline style and script (named by
their SHA-256 hashes) and nothing from anywhere else, so it works offline, from an email or a
shared drive, and cannot be made to load anything. Everything it shows is also there as text
(the stages, where each leads, the chosen route) for screen readers and keyboards.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from typing import Any

from pathways.definition.schema import Pathway
from pathways.diagram import board_layout, build, flagged_by_checks
from pathways.explorer.drawing import drawing
from pathways.explorer.model import model
from pathways.explorer.style import CSS

__all__ = ["explore"]

_STATUS = {
    "illustrative": "An illustrative model built from public national guidance, not the "
    "partnership's agreed pathway.",
    "draft": "A draft: the partnership has not yet agreed this pathway.",
    "agreed": "The pathway the partnership has agreed.",
}


def explore(pathway: Pathway) -> str:
    """The explorer page for `pathway`."""
    data = model(pathway)
    picture = drawing(board_layout(build(pathway, flagged=flagged_by_checks(pathway))))
    script = resources.files("pathways.explorer").joinpath("explorer.js").read_text("utf-8")
    policy = (
        f"default-src 'none'; style-src '{_hash(CSS)}'; script-src '{_hash(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = f"Pathway explorer: {pathway.title}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#text-version">Skip to the pathway as text</a>',
        "<header>",
        f"<h1>{_text(pathway.title)}</h1>",
        f'<p class="status"><strong>{_text(pathway.status.capitalize())}.</strong> '
        f"{_text(_STATUS.get(pathway.status, ''))} Version {_text(pathway.version)}.</p>",
        "<p>Choose the answers that describe a victim to see their route through the "
        "pathway, with its time limits. Select a stage (click it, or move to it with Tab and "
        "press Enter) to see who owns it, its time limits and the information asked and "
        "shared.</p>",
        "</header>",
        '<main class="layout">',
        '<div class="side">',
        *_controls(data),
        '<section aria-labelledby="route-heading"><h2 id="route-heading">Their route</h2>',
        '<p id="route-summary" aria-live="polite"></p><ol id="route"></ol></section>',
        *_findings(data),
        "</div>",
        '<div class="picture">',
        '<section aria-labelledby="diagram-heading"><h2 id="diagram-heading">The diagram</h2>',
        '<p class="key">Key: boxes are stages, diamonds are decisions or questions about the '
        "victim, rounded boxes are outcomes. Once a victim is chosen, a thick outline and a "
        "✓ mark the stages on their route, and stages off it are drawn with a dotted grey "
        "outline; the route's arrows are thick. A red outline and a ! before the title mark "
        "what <code>pathways check</code> found; a dashed arrow happens by itself when its "
        "time runs out; a dotted arrow starts a parallel track.</p>",
        f'<div class="scroll" tabindex="0" role="region" aria-label="The diagram, scrollable">'
        f"{picture}</div>",
        "</section>",
        '<section id="details" class="details" aria-live="polite" hidden></section>',
        "</div>",
        "</main>",
        *_text_version(data),
        "<footer><p>Made by <em>pathways</em>, an open-source tool, from the pathway file. "
        "This page works without an internet connection and sends nothing anywhere.</p>"
        "</footer>",
        f'<script type="application/json" id="explorer-data">{_json(data)}</script>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _controls(data: dict[str, Any]) -> list[str]:
    lines = [
        '<section aria-labelledby="choose-heading"><h2 id="choose-heading">Choose the victim</h2>'
    ]
    for attribute in data["attributes"]:
        name = attribute["name"]
        lines.append(f"<fieldset><legend>{_text(attribute['label'])}</legend>")
        options = [("", "any"), *((v["value"], v["value"]) for v in attribute["values"])]
        for number, (value, words) in enumerate(options):
            ident = f"attr-{name}-{number}"
            checked = " checked" if value == "" else ""
            lines.append(
                f'<label for="{_attr(ident)}"><input type="radio" id="{_attr(ident)}" '
                f'name="attr-{_attr(name)}" value="{_attr(value)}"{checked}> '
                f"{_text(words)}</label>"
            )
        lines.append("</fieldset>")
    lines.append("</section>")
    return lines


def _findings(data: dict[str, Any]) -> list[str]:
    found = data["findings"]
    lines = [
        '<section aria-labelledby="findings-heading">',
        '<h2 id="findings-heading">What the checks found</h2>',
        f"<p>{len(found)} finding(s) from <code>pathways check</code>.</p>",
        '<ul class="findings">',
    ]
    for finding in found:
        level = "accepted" if finding["accepted"] else finding["severity"]
        icon = "✓" if finding["accepted"] else "⚠"
        button = ""
        if finding["stage"]:
            button = (
                f' <button type="button" class="finding-link" '
                f'data-stage="{_attr(finding["stage"])}" '
                f'data-handoff="{_attr(finding["handoff"])}">Show {_text(finding["subject"])}'
                "</button>"
            )
        where = f" ({_text(finding['where'])})" if finding["where"] else ""
        accepted = (
            f" Accepted by the forum: {_text(finding['accepted'])}" if finding["accepted"] else ""
        )
        lines.append(
            f'<li class="{_attr(level)}"><strong>{icon} {_text(level)}</strong>{where}: '
            f"{_text(finding['message'])}{accepted}{button}</li>"
        )
    lines += ["</ul>", "</section>"]
    return lines


def _text_version(data: dict[str, Any]) -> list[str]:
    """The diagram as text: each track's stages, each with where it leads."""
    titles = {stage["id"]: stage["title"] for stage in data["stages"]}
    lines = [
        '<section id="text-version" class="text-version" aria-labelledby="text-heading">',
        '<h2 id="text-heading">The pathway as text</h2>',
        "<p>Every stage, track by track, with who owns it and where it leads. Once a victim "
        "is chosen, the stages on their route say so.</p>",
    ]
    tracks = list(dict.fromkeys(stage["track"] for stage in data["stages"]))
    for track in tracks:
        lines.append(f"<h3>{_text(track)}</h3><ul>")
        for stage in data["stages"]:
            if stage["track"] != track:
                continue
            leads = [
                titles[h["to"]] + (f" (if {h['when']})" if h["when"] else "")
                for h in data["handoffs"]
                if stage["id"] in h["from"]
            ]
            then = "; leads to " + ", ".join(leads) if leads else "; the journey ends here"
            lines.append(
                f'<li class="text-stage" data-stage="{_attr(stage["id"])}">'
                f'<button type="button" class="stage-link" data-stage="{_attr(stage["id"])}">'
                f'{_text(stage["title"])}</button><span class="where"></span>'
                f" ({_text(stage['owner'])}){_text(then)}</li>"
            )
        lines.append("</ul>")
    lines.append("</section>")
    return lines


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _json(data: dict[str, Any]) -> str:
    """JSON that cannot end the script element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _text(words: str) -> str:
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(words: str) -> str:
    return _text(words).replace('"', "&quot;")
