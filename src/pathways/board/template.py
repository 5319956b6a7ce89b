"""The journeys spreadsheet template that `pathways template` writes, explained in itself.

```python
text = template_csv(pathway)                 # notes as '#' lines, then the header row
write_template(Path("journeys.xlsx"), pathway)   # a workbook: the events sheet and the notes
```

The notes say what each column holds, then (when a pathway is given) its agencies, its
handoffs with where they go, its information items and its profile attributes with their
values, and an example journey, all as comment lines that the importer skips. The template
holds no rows of events, so an untouched template imports nothing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pathways.board.columns import COLUMNS
from pathways.definition.schema import Pathway

__all__ = ["header_of", "notes_of", "template_csv", "write_template"]


def header_of(pathway: Pathway | None) -> tuple[str, ...]:
    """The template's columns: the fixed ones, then one per profile attribute."""
    return (*COLUMNS, *(pathway.profile if pathway is not None else ()))


def notes_of(pathway: Pathway | None) -> list[str]:
    """The notes at the top of the template, one line each."""
    notes = [
        "Journeys for 'pathways import': one row per event, in the order they happened. "
        "Lines that start with # are notes and are skipped.",
        "Columns:",
        *(f"  {name}: {words}" for name, words in COLUMNS.items()),
    ]
    if pathway is None:
        notes += [
            "  (one more column per profile attribute of the pathway: run pathways template "
            "--pathway FILE for a template with them)"
        ]
        return notes
    for name, attribute in pathway.profile.items():
        values = "yes or no" if attribute.flag else ", ".join(str(v) for v in attribute.values)
        about = f" ({attribute.description})" if attribute.description else ""
        notes.append(
            f"  {name}: {values}{about}. Give it on a case's first row; a new value on a later "
            "row records a change"
        )
    notes += [
        f"Pathway: {pathway.title} ({pathway.id}, version {pathway.version}). A journey opens "
        f"at '{pathway.entry}'.",
        "Agencies (id: name):",
        *(f"  {key}: {agency.name}" for key, agency in pathway.agencies.items()),
        "Handoffs (name: from -> to):",
        *(
            f"  {key}: {', '.join(handoff.from_)} -> {handoff.to}"
            + (" (happens by itself when its time runs out)" if handoff.timeout else "")
            for key, handoff in pathway.handoffs.items()
        ),
        "Information items (for the shares column):",
        *(f"  {key}: {item.title}" for key, item in pathway.information.items()),
        "An example journey (as rows, without the #):",
        *(f"  {line}" for line in _example(pathway)),
    ]
    return notes


def _example(pathway: Pathway) -> list[str]:
    agency = next(iter(pathway.agencies), "agency-id")
    profile = [
        "no" if a.flag else str(a.values[0]) if a.values else "" for a in pathway.profile.values()
    ]
    first = ["EX-0001", "2025-04-01", "", agency, "", *profile]
    rows = [first]
    handoffs = pathway.handoffs_from(pathway.entry)
    if handoffs:
        rows.append(["EX-0001", "2025-04-02", handoffs[0], agency, "", *[""] * len(profile)])
    return [_line(row) for row in rows]


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def template_csv(pathway: Pathway | None) -> str:
    """The template as CSV text: the notes as '#' lines (each one cell, quoted where it has a
    comma, so a spreadsheet program shows it in column A), then the header row."""
    lines = [_line([f"# {note}"]) for note in notes_of(pathway)]
    lines.append(_line(list(header_of(pathway))))
    return "\n".join(lines) + "\n"


def write_template(path: Path, pathway: Pathway | None) -> None:
    """Write the template to `path`: CSV, or an Excel workbook if it ends in .xlsx."""
    if path.suffix.lower() == ".xlsx":
        from pathways.board.xlsx import write_workbook

        write_workbook(path, header_of(pathway), [], notes_of(pathway))
        return
    path.write_text(template_csv(pathway), encoding="utf-8")
