"""Conformance results as plain words for a partnership, JSON for other tools and CSV (one row
per journey) for a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from pathways.conformance.replay import JourneyReplay
from pathways.conformance.summary import Conformance

__all__ = ["CSV_COLUMNS", "format_conformance", "to_csv", "to_dict"]

#: The columns of `to_csv`, one row per journey.
CSV_COLUMNS = (
    "pathway",
    "version",
    "case_ref",
    "moves",
    "fitting",
    "fitness",
    "deviations",
    "first_deviation_event",
    "first_deviation_handoff",
    "first_deviation_by",
    "first_deviation_from",
    "first_deviation_to",
    "first_deviation_kind",
    "first_deviation_reason",
)

#: Journeys that do not fit listed in the text at most (every one is in JSON and CSV).
SHOWN = 20


def _percent(share: float | None) -> str:
    return "no visits judged yet" if share is None else f"{100 * share:.1f}%"


def format_conformance(result: Conformance, heading: str) -> str:
    """`result` in plain words under `heading`; ends with a newline."""
    fitting = len(result.journeys) - len(result.not_fitting)
    lines = [
        heading,
        f"  fitness {_percent(result.fitness)} ({sum(j.fitting for j in result.journeys)} of "
        f"{result.moves} moves the pathway allows); {fitting} of {len(result.journeys)} "
        "journeys follow it all the way",
    ]
    if result.not_fitting:
        lines.append("  Journeys that do not follow it (the first move that differs):")
        for journey in result.not_fitting[:SHOWN]:
            lines.append(f"    {journey.case_ref}: {_first(journey)}")
        if len(result.not_fitting) > SHOWN:
            lines.append(f"    ... and {len(result.not_fitting) - SHOWN} more (see --format csv)")
    if result.not_in_pathway:
        lines.append("  Moves journeys made that the pathway does not allow:")
        for handoff, source, target, count in result.not_in_pathway:
            lines.append(f"    '{handoff}' from '{source}' to '{target}': {count} time(s)")
    if result.never_taken:
        lines.append("  Moves the pathway has that no journey made:")
        lines.extend(f"    '{handoff}' from '{source}'" for handoff, source in result.never_taken)
    if result.stage_limits:
        lines.append("  Time limits, by stage:")
        for limit in result.stage_limits:
            lines.append(
                f"    {limit.stage} (within {limit.limit}): {limit.visits} visit(s), "
                f"{limit.kept} in time, {limit.over} late, {limit.open_in_time} still open "
                f"in time, {limit.open_overdue} still open and overdue "
                f"({_percent(limit.share_kept)} kept to it)"
            )
    return "\n".join(lines) + "\n"


def _first(journey: JourneyReplay) -> str:
    deviation = journey.first_deviation
    if deviation is None:
        return ""
    who = f" by {deviation.by}" if deviation.by else ""
    return f"event {deviation.seq}, '{deviation.handoff}'{who}: {deviation.reason}"


def to_dict(result: Conformance) -> dict[str, Any]:
    """`result` as JSON-ready data: totals, every journey, the moves and the time limits."""
    return {
        "pathway": result.pathway,
        "version": result.version,
        "fitness": result.fitness,
        "moves": result.moves,
        "journeys": [
            {
                "case_ref": j.case_ref,
                "moves": j.moves,
                "fitting": j.fitting,
                "fitness": j.fitness,
                "deviations": [
                    {
                        "event": d.seq,
                        "handoff": d.handoff,
                        "by": d.by,
                        "from": d.from_stage,
                        "to": d.to_stage,
                        "kind": d.kind,
                        "reason": d.reason,
                    }
                    for d in j.deviations
                ],
            }
            for j in result.journeys
        ],
        "not_in_pathway": [
            {"handoff": h, "from": s, "to": t, "count": n} for h, s, t, n in result.not_in_pathway
        ],
        "never_taken": [{"handoff": h, "from": s} for h, s in result.never_taken],
        "stage_limits": [
            {
                "stage": s.stage,
                "limit": s.limit,
                "visits": s.visits,
                "kept": s.kept,
                "over": s.over,
                "open_in_time": s.open_in_time,
                "open_overdue": s.open_overdue,
            }
            for s in result.stage_limits
        ],
    }


def to_csv(result: Conformance) -> str:
    """One row per journey (`CSV_COLUMNS`), with its first deviation if any."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for journey in result.journeys:
        first = journey.first_deviation
        detail: list[object] = (
            ["", "", "", "", "", "", ""]
            if first is None
            else [
                first.seq,
                first.handoff,
                first.by or "",
                first.from_stage or "",
                first.to_stage or "",
                first.kind,
                first.reason,
            ]
        )
        writer.writerow(
            [
                result.pathway,
                result.version,
                journey.case_ref,
                journey.moves,
                journey.fitting,
                f"{journey.fitness:.4f}",
                len(journey.deviations),
                *detail,
            ]
        )
    return out.getvalue()
