"""The papers as one printable HTML page: inline CSS, no scripts, nothing fetched.

```python
page = to_html(make_papers(pathway))
```

Each agency pair starts on its own block that does not break across printed pages; the
Content-Security-Policy forbids loading anything, as the board report's does.
"""

from __future__ import annotations

from html import escape

from pathways.papers.annex import Pair
from pathways.papers.words import (
    ANNEX_INTRO,
    DUTIES_INTRO,
    SENSITIVITY,
    TITLES,
    Papers,
    bases,
    basis_parts,
    limits,
    status_words,
)

__all__ = ["to_html"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 0 auto;
  max-width: 60rem; padding: 1.5rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.4rem; border-bottom: 3px solid #1d3557;
  margin-top: 2.2rem; } h3 { font-size: 1.1rem; margin-top: 1.5rem; }
.status { border: 4px solid #b35c00; background: #fff4e5; padding: .6rem 1rem; font-weight: 600; }
.status.agreed { border-color: #2e7d32; background: #edf7ed; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #c5ccd3; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e8edf3; }
.gap { color: #b00020; font-weight: 600; }
section.pair { break-inside: avoid; }
ul.parts { margin: 0; padding-left: 1.1rem; }
@media print { body { max-width: none; } }
"""


def to_html(papers: Papers, paper: str) -> str:
    """One paper (`sharing-annex` or `duties-map`) as an HTML page."""
    p = papers.pathway
    cls = "status agreed" if p.status == "agreed" else "status"
    title = f"{TITLES[paper]}: {p.area}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>From the pathway <em>{escape(p.title)}</em> ({escape(p.id)}, version "
        f"{escape(p.version)}). Made by <code>pathways papers</code> from the pathway file, so "
        "it says what the pathway says; change the pathway, not the paper.</p>",
        f'<p class="{cls}">{escape(status_words(p))}</p>',
    ]
    if paper == "duties-map":
        parts += [f"<p>{escape(DUTIES_INTRO)}</p>", *_duties(papers)]
    else:
        parts.append(f"<p>{escape(ANNEX_INTRO)}</p>")
        if not papers.annex.pairs:
            parts.append("<p>No handoff of this pathway shares information between agencies.</p>")
        for pair in papers.annex.pairs:
            parts += _pair(pair)
        parts += _gaps(papers)
        parts += _bases(papers)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _basis(parts: list[str]) -> str:
    return '<ul class="parts">' + "".join(f"<li>{escape(x)}</li>" for x in parts) + "</ul>"


def _pair(pair: Pair) -> list[str]:
    lines = [
        '<section class="pair">',
        f"<h2>From {escape(pair.sender.name)} to {escape(pair.receiver.name)}</h2>",
        "<table>",
        '<thead><tr><th scope="col">information</th><th scope="col">sensitivity</th>'
        '<th scope="col">passes along</th><th scope="col">lawful basis</th></tr></thead>',
        "<tbody>",
    ]
    for x in pair.passages:
        basis = _basis(basis_parts(x.basis)) if x.basis is not None else "none declared"
        if x.lacking is not None:
            basis += f'<p class="gap">Incomplete: {escape(x.lacking)}</p>'
        along = ", ".join(f"<code>{escape(h)}</code>" for h in x.handoffs)
        lines.append(
            f"<tr><td>{escape(x.title)} (<code>{escape(x.item)}</code>)</td>"
            f"<td>{escape(SENSITIVITY.get(x.sensitivity, x.sensitivity))}</td>"
            f"<td>{along}</td><td>{basis}</td></tr>"
        )
    return [*lines, "</tbody>", "</table>", "</section>"]


def _gaps(papers: Papers) -> list[str]:
    gaps = papers.annex.gaps
    if not gaps:
        return ["<p>Every special category item shared has a complete lawful basis declared.</p>"]
    lines = ['<p class="gap">Special category data shared without a complete lawful basis:</p>']
    lines.append("<ul>")
    lines += [
        f"<li>{escape(x.title)} from {escape(pair.sender.name)} to "
        f"{escape(pair.receiver.name)}: {escape(x.lacking or '')}</li>"
        for pair, x in gaps
    ]
    return [*lines, "</ul>"]


def _bases(papers: Papers) -> list[str]:
    found = bases(papers)
    if not found:
        return []
    lines = ["<h2>The lawful bases declared</h2>", "<dl>"]
    for items, basis, sources in found:
        lines.append(f"<dt>{escape(items)}</dt>")
        body = _basis(basis_parts(basis))
        if basis.description:
            body += f"<p>{escape(basis.description)}</p>"
        if sources:
            body += (
                "<ul>"
                + "".join(
                    f"<li>{escape(s.title)}" + (f": {escape(s.url)}" if s.url else "") + "</li>"
                    for s in sources
                )
                + "</ul>"
            )
        lines.append(f"<dd>{body}</dd>")
    return [*lines, "</dl>"]


def _duties(papers: Papers) -> list[str]:
    if not papers.duties:
        return ["<p>The pathway declares no statutory duties.</p>"]
    lines = [
        "<table>",
        '<thead><tr><th scope="col">duty</th><th scope="col">legislation</th>'
        '<th scope="col">owned by</th><th scope="col">carried by</th>'
        '<th scope="col">applies at, and its time limits</th></tr></thead>',
        "<tbody>",
    ]
    for line in papers.duties:
        carriers = ", ".join(escape(n) for n in line.owners) or "no agency fills this role"
        places = "".join(
            f"<li>{escape(s.title)} (<code>{escape(s.stage)}</code>)"
            + "".join(f"; {escape(part)}" for part in limits(s)).replace("; ", ": ", 1)
            + "</li>"
            for s in line.stages
        )
        where = f"<ul>{places}</ul>" if places else "no stage"
        lines.append(
            f"<tr><td>{escape(line.title)}</td><td>{escape(line.statute)}</td>"
            f"<td>{escape(line.owner)}</td><td>{carriers}</td><td>{where}</td></tr>"
        )
    return [*lines, "</tbody>", "</table>"]
