"""Declined referrals as the engine's tables (`declines`, see
`pathways.simulation.scenario.declines`).

Each declinable handoff, from each stage it leaves, gets one extra way per reason it may be
declined for, to where the pathway sends a declined referral (`acceptance.declined_to`, or back
to the stage it came from). `Routes.choose` takes one of them in place of the handoff with the
scenario's probabilities, drawn from the journey's number of the stage's decline stream (fresh
on each referral), and the referral leaves the stage when the answer comes.
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.definition.schema import Pathway
from pathways.simulation.engine.tables import Decliner, Limit, WayTable
from pathways.simulation.scenario.declines import Decline, answer_time

__all__ = ["decline_moves", "decline_tables"]


def _sources(pathway: Pathway, name: str) -> tuple[str, ...]:
    return tuple(pathway.handoffs[name].from_)


def decline_moves(pathway: Pathway, declines: Mapping[str, Decline]) -> list[tuple[str, str]]:
    """Every (stage, stage) move a declined referral can make, for `revisited_stages`."""
    moves: list[tuple[str, str]] = []
    for name in declines:
        acceptance = pathway.handoffs[name].acceptance
        target = acceptance.declined_to if acceptance is not None else None
        moves.extend((source, target or source) for source in _sources(pathway, name))
    return moves


def decline_tables(
    pathway: Pathway,
    declines: Mapping[str, Decline],
    index: Mapping[str, int],
    ways: Mapping[str, int],
    first_way: int,
) -> tuple[tuple[WayTable, ...], dict[int, dict[int, Decliner]]]:
    """The extra ways (numbered from `first_way` on), and per declinable handoff's way, per
    stage it leaves: the cumulative probabilities of each reason, their ways and the answer's
    time."""
    extra: list[WayTable] = []
    table: dict[int, dict[int, Decliner]] = {}
    for name, decline in declines.items():
        handoff = pathway.handoffs[name]
        acceptance = handoff.acceptance
        assert acceptance is not None
        shares = decline.shares(tuple(acceptance.reasons))
        running, cumulative = 0.0, []
        for share in shares.values():
            running += share
            cumulative.append(running)
        after = answer_time(decline, handoff)
        limit: Limit | None = None if after is None else (after.days, after.working)
        agency = min(handoff.by) if handoff.by else ""
        sources = _sources(pathway, name)
        by_stage = {}
        for source in sources:
            target = acceptance.declined_to or source
            numbers = []
            for reason in shares:
                label = f"{name} declined ({reason})"
                if len(sources) > 1:
                    label = f"{name} from {source} declined ({reason})"
                numbers.append(first_way + len(extra))
                extra.append(WayTable(label, index[target], False, None, (), (), agency))
            by_stage[index[source]] = (tuple(cumulative), tuple(numbers), limit)
        table[ways[name]] = by_stage
    return tuple(extra), table
