"""How the period's journeys kept to the agreed pathway: the board report's conformance tables.

Every journey of the report is replayed against the pathway file being reported
(`pathways.conformance.replay`, the same rules as `pathways conform`): the handoffs made in the
period, how many of them the agreed pathway allows, the journeys whose first handoff the pathway
does not allow fell in the period, and, for each stage with a time limit, the visits that left it
in time or late. Counts are rounded a quarter at a time like every other figure in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pathways.board.figures import by_quarter
from pathways.board.period import Period
from pathways.board.suppress import Draft, Table
from pathways.conformance import replay
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.working_days import day_in_england, overdue_from

__all__ = ["conformance_tables"]


def conformance_tables(
    pathway: Pathway, journeys: Sequence[tuple[str, Sequence[Event]]], period: Period
) -> tuple[Table, Table]:
    """The two tables (see the module docstring) for `journeys` of `pathway` in `period`."""
    rules = compile_pathway(pathway)
    replays = [replay(rules, case_ref, events) for case_ref, events in journeys]
    following = Draft(
        "conformance",
        "Keeping to the agreed pathway",
        "Handoffs made in the period, replayed against the pathway agreed in this file with the "
        "rules a case system runs: how many the pathway allows, and the journeys whose first "
        "handoff it does not allow happened in the period (see pathways conform for which).",
        (("count", "count"),),
    )
    moves = [at for r in replays for _, at, _ in r.steps]
    allowed = [at for r in replays for _, at, fits in r.steps if fits]
    first_off = [next(at for _, at, fits in r.steps if not fits) for r in replays if not r.fits]
    following.row("moves", "Handoffs made", by_quarter(period, moves))
    following.row("allowed", "...that the agreed pathway allows", by_quarter(period, allowed))
    following.row("off", "Journeys with a handoff it does not allow", by_quarter(period, first_off))
    limits = Draft(
        "time-limits-kept",
        "Stage time limits kept",
        "Visits that ended in the period at stages with a time limit: left within the limit, "
        "or after it.",
        (("kept", "in time"), ("late", "late")),
        note="Stages whose figures are all 0 are left out.",
    )
    for name, stage in pathway.stages.items():
        if stage.within is None:
            continue
        kept: list[datetime] = []
        late: list[datetime] = []
        for r in replays:
            for visit in r.visits:
                if visit.stage != name or visit.left is None:
                    continue
                due = overdue_from(day_in_england(visit.arrived), stage.within)
                (kept if visit.left < due else late).append(visit.left)
        counts = (by_quarter(period, kept), by_quarter(period, late))
        if any(c.published for c in counts):
            limits.row(name, f"{stage.title} (within {stage.within})", *counts)
    return following.finish(), limits.finish()
