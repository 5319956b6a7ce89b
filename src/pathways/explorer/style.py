"""How the explorer page looks: one style sheet, written into the page.

Colour is never the only signal (WCAG 2.2 AA, 1.4.1): the chosen route has a thick outline and
the words "✓ on the route", stages off it a dashed grey outline; what the checks found has a
red dashed outline and "⚠ found by the checks"; a finding's severity is written out. Text keeps
a contrast of at least 4.5 to 1, and everything that can be operated shows where the keyboard
focus is.
"""

from __future__ import annotations

__all__ = ["CSS"]

#: The whole style sheet.
CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 0;
  color: #1b1b1b; background: #fff; line-height: 1.45; }
header, footer, .text-version { max-width: 80rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 1.2rem 0 .5rem; }
h3 { font-size: 1.1rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
.status { border: 4px solid #b35c00; background: #fff4e5; padding: .6rem 1rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
.layout { display: grid; grid-template-columns: minmax(17rem, 24rem) 1fr; gap: 1.5rem;
  padding: 0 1.5rem; }
@media (max-width: 60rem) { .layout { grid-template-columns: 1fr; } }
fieldset { border: 1px solid #c5ccd3; margin: 0 0 .8rem; padding: .4rem .8rem; }
legend { font-weight: 600; }
label { display: inline-block; margin: .2rem 1rem .2rem 0; cursor: pointer; }
input[type=radio] { width: 1.1rem; height: 1.1rem; vertical-align: -0.15rem; }
#route { padding-left: 1.4rem; }
#route li { margin: .3rem 0; }
.times { color: #404040; }
button { font: inherit; color: #0b4f8a; background: none; border: none; padding: 0;
  text-decoration: underline; cursor: pointer; text-align: left; }
button.back, button.finding-link { border: 1px solid #0b4f8a; border-radius: 3px;
  padding: .1rem .5rem; text-decoration: none; margin-top: .3rem; }
:focus-visible { outline: 3px solid #1d3557; outline-offset: 2px; }
.findings { padding-left: 1.2rem; }
.findings li { margin: .4rem 0; }
.findings li.error strong { color: #b00020; }
.findings li.warning strong { color: #8a4b00; }
.key { font-size: .95rem; color: #333; }
.side, .picture { min-width: 0; }
.scroll { overflow: auto; max-height: 75vh; border: 1px solid #c5ccd3; }
#diagram { display: block; font-family: system-ui, -apple-system, "Segoe UI", Arial,
  sans-serif; }
.lane-0 { fill: #f5f7fa; } .lane-1 { fill: #ffffff; }
.lane { stroke: #b0bec5; stroke-width: .6; }
#diagram text { fill: #1b1b1b; }
.stage { cursor: pointer; }
.shape { fill: #ffffff; stroke: #37474f; stroke-width: 1; }
.decision .shape, .question .shape { fill: #fff8e1; }
.outcome .shape { fill: #e8f5e9; }
.entry .shape { stroke-width: 3; }
.flagged .shape { stroke: #b00020; stroke-width: 3; }
.halo { fill: none; stroke: none; }
.route-mark { display: none; }
.route-mark circle { fill: #0b4f8a; }
#diagram .route-mark text { fill: #ffffff; font-weight: 700; }
.stage.on .halo, .question.on .halo { stroke: #0b4f8a; stroke-width: 4; }
.stage.on .route-mark { display: inline; }
.chosen .off .shape { fill: #f0f0f0; stroke: #6b6b6b; stroke-dasharray: 2 3; }
.stage.selected .halo { stroke: #1b1b1b; stroke-width: 2; stroke-dasharray: 2 3; }
.stage.on.selected .halo { stroke: #0b4f8a; stroke-width: 6; stroke-dasharray: none; }
.stage:focus { outline: none; }
.stage:focus-visible .shape { stroke: #1d3557; stroke-width: 4; }
.link { fill: none; stroke: #455a64; stroke-width: 1; marker-end: url(#arrow); }
.link.dashed { stroke-dasharray: 6 3; }
.link.dotted { stroke-dasharray: 1.5 3; }
.link.flagged { stroke: #b00020; stroke-width: 2.5; }
.link.on { stroke: #0b4f8a; stroke-width: 3; }
.chosen .link.off { stroke: #9e9e9e; }
.label rect { fill: #ffffff; fill-opacity: .9; }
.label.on rect { stroke: #0b4f8a; stroke-width: 1.5; }
.head { fill: #455a64; }
.details { border: 2px solid #1d3557; padding: .2rem 1rem 1rem; margin: 1rem 0; }
.details dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.details dt { font-weight: 600; }
.details dd { margin: 0; }
.details table, .text-version table { border-collapse: collapse; }
.details th, .details td { border: 1px solid #c5ccd3; padding: .25rem .5rem; text-align: left;
  vertical-align: top; }
.details tr.picked { outline: 3px solid #b00020; }
.text-version ul { padding-left: 1.2rem; }
.text-version li { margin: .25rem 0; }
.where { font-weight: 700; color: #0b4f8a; }
footer { margin-top: 2rem; padding-bottom: 2rem; color: #404040; font-size: .92rem; }
"""
