"""What `compare` returns: a `Comparison`, and the comparison in plain words, grouped by what
differs (agencies, stages, conditions, ...)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pathways.compare.elements import ASPECTS, Difference
from pathways.compare.profiles import RouteDifference

__all__ = ["Comparison"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The differences between pathway `a` and pathway `b`, each side named by `labels`."""

    labels: tuple[str, str]
    files: tuple[str, str]
    differences: tuple[Difference, ...]
    routes: tuple[RouteDifference, ...]
    compared_on: tuple[str, ...]
    left_out: tuple[str, ...]

    @property
    def identical(self) -> bool:
        """Nothing differs (descriptions and citations aside)."""
        return not self.differences and not self.routes

    def format(self) -> str:
        """The comparison in plain words, for a forum lead; ends with a newline."""
        return _plain_words(self)

    def as_dict(self) -> dict[str, object]:
        return {
            "a": {"label": self.labels[0], "file": self.files[0]},
            "b": {"label": self.labels[1], "file": self.files[1]},
            "identical": self.identical,
            "differences": [d.as_dict() for d in self.differences],
            "routes": [r.as_dict() for r in self.routes],
            "compared_on": list(self.compared_on),
            "left_out": list(self.left_out),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"


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


def _plain_words(comparison: Comparison) -> str:
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
        renamed = [d for d in items if d.field == "renamed"]
        if renamed:
            lines.append(
                "  the same roles under another name (owners and 'by' lists are compared "
                "through these names):"
            )
            for item in renamed:
                old, new = item.name.split(" -> ")
                lines.append(f"    '{old}' ({item.old}) -> '{new}' ({item.new})")
        for item in items:
            if item.field == "renamed":
                continue
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
                ("always goes through, only in", label_a, route.always_only_a),
                ("always goes through, only in", label_b, route.always_only_b),
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
