"""A comparison in plain words, grouped by what differs (agencies, stages, conditions, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathways.compare.elements import ASPECTS

if TYPE_CHECKING:
    from pathways.compare import Comparison

__all__ = ["format_comparison"]

_HEADINGS = {
    "agency": "Agencies",
    "role": "Roles",
    "profile": "Victim profile",
    "track": "Tracks",
    "stage": "Stages",
    "handoff": "Handoffs",
    "condition": "Conditions",
    "time limit": "Time limits",
    "check finding": "Check findings",
}


def _names(labels: tuple[str, str], files: tuple[str, str]) -> str:
    a, b = (
        f"{label} ({file})" if file else label for label, file in zip(labels, files, strict=True)
    )
    return f"Comparing {a} with {b}"


def format_comparison(comparison: Comparison) -> str:
    """The comparison as text, ending with a newline."""
    label_a, label_b = comparison.labels
    lines = [_names(comparison.labels, comparison.files), ""]
    if comparison.identical:
        lines.append(f"No differences: {label_a} and {label_b} describe the same pathway.")
        return "\n".join(lines) + "\n"
    for aspect in ASPECTS:
        items = [d for d in comparison.differences if d.aspect == aspect]
        if not items:
            continue
        lines.append(_HEADINGS[aspect])
        for item in items:
            thing = item.name if item.element == "finding" else f"{item.element} '{item.name}'"
            if item.only_in == "a":
                lines.append(f"  only in {label_a}: {thing}: {item.old}")
            elif item.only_in == "b":
                lines.append(f"  only in {label_b}: {thing}: {item.new}")
            else:
                lines.append(f"  {thing} {item.field}: {item.old} -> {item.new}")
        lines.append("")
    if comparison.routes:
        lines.append(_route_heading(comparison))
        for route in comparison.routes:
            lines.append(f"  for {route.profiles}:")
            pairs = (
                ("reaches only in", label_a, route.stages_only_a),
                ("reaches only in", label_b, route.stages_only_b),
                ("can end only in", label_a, route.outcomes_only_a),
                ("can end only in", label_b, route.outcomes_only_b),
            )
            for verb, label, names in pairs:
                if names:
                    shown = ", ".join(f"'{name}'" for name in names)
                    lines.append(f"    {verb} {label}: {shown}")
        lines.append("")
    count = len(comparison.differences) + len(comparison.routes)
    lines.append(f"{count} difference(s) between {label_a} and {label_b}.")
    return "\n".join(lines) + "\n"


def _route_heading(comparison: Comparison) -> str:
    heading = "Routes that differ for the same victim"
    names = [n.replace("_", " ") for n in comparison.compared_on]
    if names:
        heading += f" (compared on {', '.join(names)}"
        if comparison.left_out:
            heading += "; left out, as only one side declares it: "
            heading += ", ".join(n.replace("_", " ") for n in comparison.left_out)
        heading += ")"
    return heading
