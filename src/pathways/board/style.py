"""How the board report looks on screen and on paper: one style sheet, written into the page.

On screen it is a single readable column. Printed (or saved as PDF, `pathways report --pdf`),
it is A4 portrait with 15 mm margins and "Page 3 of 9" at the foot of every page; each
pathway starts on a new page; a heading is never left at the foot of a page away from what it
heads; a table is never split unless it is longer than a page; and each page of each track's
diagram has a page of its own, on A4 (portrait or landscape, or A3 when a track is too wide
for A4), printed at full size so that no word is smaller than 9 points; the drawing names
itself and its page at its foot, so the figure's caption is left off the printed page.

Colour is never the only signal: the status box has its status in words, findings say their
severity in words, outcomes and decisions differ in shape as well as colour, and the text
colours keep a contrast of at least 4.5 to 1 against their background (WCAG 2.2 AA, 1.4.3).
"""

from __future__ import annotations

__all__ = ["CSS", "DIAGRAM_MARGINS"]

#: The margins of a page that holds a diagram, in points (top, right, bottom, left): the
#: drawing brings its own, so the page keeps only room for its number at the foot. A drawing
#: is laid out for the paper less these margins, so it never runs onto another page.
DIAGRAM_MARGINS = (4.0, 10.0, 14.0, 10.0)
_MARGINS = " ".join(f"{side:g}pt" for side in DIAGRAM_MARGINS)

_SCREEN = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 0;
  color: #1b1b1b; background: #fff; line-height: 1.45; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 .5rem; border-bottom: 3px solid #1d3557; }
h3 { font-size: 1.15rem; margin: 1.8rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.meta { color: #444; margin: 0 0 1rem; }
.status { border: 4px solid #b35c00; background: #fff4e5; padding: .8rem 1rem;
  font-size: 1.1rem; font-weight: 600; margin: 1rem 0; }
.status strong { text-transform: uppercase; letter-spacing: .04em; margin-right: .3em; }
.status.agreed { border-color: #2e7d32; background: #edf7ed; }
.rule { border-left: 4px solid #1d3557; background: #f1f4f8; padding: .6rem 1rem; }
table { border-collapse: collapse; margin: .4rem 0 .3rem; min-width: 24rem; }
th, td { border: 1px solid #c5ccd3; padding: .35rem .6rem; text-align: left;
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.not-shown { color: #6b4e00; font-style: italic; }
thead th { background: #e8edf3; }
tr.total th, tr.total td { font-weight: 600; border-top: 2px solid #1d3557; }
.explains { margin: 0 0 .3rem; max-width: 60rem; }
.note { color: #555; font-size: .92rem; margin: 0; }
.findings td.severity { font-weight: 600; white-space: nowrap; }
.findings td.error { color: #b00020; }
.diagram { overflow: auto; border: 1px solid #c5ccd3; max-height: 60rem; margin: .5rem 0 1rem; }
.diagram svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.diagram figcaption { font-weight: 600; padding: .4rem .6rem; background: #f1f4f8; }
.outline td ul { margin: 0; padding-left: 1.1rem; }
.outline { width: 100%; table-layout: fixed; }
.outline td, .outline th { overflow-wrap: break-word; }
.outline col.stage { width: 18%; }
.outline col.kind, .outline col.limit { width: 10%; }
.outline col.who { width: 14%; }
.outline col.whom { width: 18%; }
.outline tr.track th { background: #f1f4f8; font-size: 1.05rem; }
.stages { columns: 2 20rem; }
a { color: #0b4f8a; }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #1d3557; outline-offset: 2px; }
footer { margin-top: 3rem; padding-bottom: 2rem; color: #444; font-size: .92rem; }
"""

_PRINT = (
    """
@page {
  size: A4;
  margin: 15mm 15mm 18mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 9pt system-ui, Arial, sans-serif; color: #444; }
}
"""
    + "".join(
        f"@page {size.lower()}-{turn} {{ size: {size} {turn}; margin: {_MARGINS}; }}\n"
        for size in ("A4", "A3")
        for turn in ("portrait", "landscape")
    )
    + """@media print {
  body { font-size: 10.5pt; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-before: page; margin-top: 0; }
  h1, h2, h3, h4, .explains, figcaption { break-after: avoid; }
  .block, tr, figure { break-inside: avoid; }
  .diagram { break-before: page; break-after: page; overflow: visible; max-height: none;
    border: none; margin: 0; }
  .diagram.a4-portrait { page: a4-portrait; }
  .diagram.a4-landscape { page: a4-landscape; }
  .diagram.a3-portrait { page: a3-portrait; }
  .diagram.a3-landscape { page: a3-landscape; }
  .diagram figcaption { display: none; }
  .diagram svg { width: auto; height: auto; max-width: none; margin: 0 auto; }
  .outline { font-size: 9.5pt; }
  a { color: inherit; text-decoration: none; }
}
"""
)

#: The whole style sheet: screen first, then print.
CSS = _SCREEN + _PRINT
