"""Handoff rules: victims handed between the same agencies twice, sent back, or passed around.

An agency change is a handoff whose target stage is owned by other agencies than its source.
Each rule is a few bit-parallel walks (see `pathways.graph.profile_graph`), never a list of routes.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.metrics import agency_changes
from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.graph.profile_graph import Edge
from pathways.graph.repeats import duplicates, pair_of, witness
from pathways.graph.walks import ROUTE_LIMIT, Seed, Step, forward

__all__: list[str] = []


def _who(ctx: Context, key: tuple[str, ...]) -> str:
    agencies, roles = ctx.pathway.agencies, ctx.pathway.roles
    return " or ".join(
        agencies[a].name if a in agencies else f"the {roles[a].title.lower()}" if a in roles else a
        for a in key
    )


def _twice(ctx: Context) -> Iterator[Hit]:
    graph, reach = ctx.graph, ctx.reach.masks
    for (pair, handoff), bits in duplicates(graph, reach).items():
        second = next(e for e in graph.edges_of[handoff] if pair_of(graph, e) == pair)
        chain, edge, before = witness(graph, reach, pair, second, (bits & -bits).bit_length() - 1)
        # the route from the entry shortened so that the whole keeps to the limit, as others do
        route = (*ctx.route(edge.source, before, room=ROUTE_LIMIT - len(chain)), *chain)
        first = edge.handoff
        again = "again" if first != handoff else "again, round a loop,"
        yield Hit(
            "handoffs",
            handoff,
            f"{ctx.who(bits)} can be handed from {_who(ctx, pair[0])} to {_who(ctx, pair[1])} "
            f"twice on one journey: by '{first}' and {again} by '{handoff}'",
            profiles=bits,
            route=route,
            hint="make sure the second handoff does a different job, or remove one",
        )


def _step(edge: Edge, bits: int) -> Step:
    return Step(edge.target, (bits & -bits).bit_length() - 1, handoff=edge.handoff)


def _either(first: str, second: str) -> str:
    return f"'{second}'" if first in ("", second) else f"'{first}' or '{second}'"


def _last_change(ctx: Context, route: tuple[Step, ...]) -> str:
    for index in range(len(route) - 1, 0, -1):
        step, before = route[index], route[index - 1].stage
        if step.handoff is None:
            continue
        if any(e.source == before and e.agency_change for e in ctx.graph.edges_of[step.handoff]):
            return step.handoff
    return route[-1].handoff or ""


def _parallel(ctx: Context) -> Iterator[Hit]:
    graph, p = ctx.graph, ctx.pathway
    job: dict[str, tuple[tuple[str, ...], str]] = {}
    for track, info in p.tracks.items():
        entry = p.stages.get(info.entry)
        if entry is not None:
            job[track] = (graph.owner_key(entry.owner), entry.kind)
    for stage in sorted(ctx.reach.masks, key=graph.order.__getitem__):
        here = ctx.reach.at(stage)
        starting = [(e, t) for e in graph.out[stage] if not e.timeout for t in e.starts]
        for i, (first, one) in enumerate(starting):
            for second, other in starting[i + 1 :]:
                bits = here & first.mask & second.mask
                if one == other or job.get(one) != job.get(other) or not bits:
                    continue
                owners, kind = job[one]
                yield Hit(
                    "handoffs",
                    second.handoff,
                    f"{ctx.who(bits)} can be referred to {_who(ctx, owners)} for {kind} twice "
                    f"at {ctx.stage_label(stage)}, by tracks '{one}' and '{other}'",
                    profiles=bits,
                    route=(*ctx.route(stage, bits), _step(second, bits)),
                    hint="start one of the two tracks only",
                )


@rule(
    "duplicate-handoff",
    "handoffs",
    "the same victim can be handed between the same two agencies twice on one journey",
    Severity.WARNING,
)
def duplicate_handoff(ctx: Context) -> Iterator[Hit]:
    """Two handoffs on one route (or one handoff taken twice round a loop) that both move the
    victim from agency A to agency B; or two tracks doing the same job (their first stages
    are of the same kind, for the same agencies) started side by side from one stage.

    Example: `refer-to-police` from `triage` and, later on, `escalate` from `review`, both from
    the council to the police.
    """
    yield from _twice(ctx)
    yield from _parallel(ctx)


@rule(
    "ping-pong",
    "handoffs",
    "a victim handed from one agency to another and straight back",
    Severity.WARNING,
)
def ping_pong(ctx: Context) -> Iterator[Hit]:
    """An agency change from A to B whose next agency change is back from B to A.

    Example: `refer-to-police` (council to police) followed by `hand-back` (police to council)
    with no other agency in between.
    """
    graph, reach = ctx.graph, ctx.reach.masks
    by_source: dict[tuple[str, ...], list[Edge]] = {}
    for edges in graph.out.values():
        for edge in edges:
            if edge.agency_change:
                by_source.setdefault(pair_of(graph, edge)[0], []).append(edge)
    for agency, edges in sorted(by_source.items()):
        # just after each handoff away from the agency, at its target (not the tracks it starts)
        seeds: list[Seed] = [
            (edge.target, bits, (edge.source, edge.handoff))
            for edge in edges
            if (bits := reach.get(edge.source, 0) & edge.mask)
        ]
        walk = forward(graph, seeds, edge_ok=lambda e: not e.agency_change, follow_starts=False)
        for stage in sorted(walk.masks, key=graph.order.__getitem__):
            for back in graph.out[stage]:
                if not back.agency_change or pair_of(graph, back)[1] != agency:
                    continue
                bits = walk.at(stage) & back.mask
                if not bits:
                    continue
                route = (*ctx.route_via(walk, stage, bits), _step(back, bits))
                there = _last_change(ctx, route[:-1])
                yield Hit(
                    "handoffs",
                    back.handoff,
                    f"{ctx.who(bits)} can be handed from "
                    f"{_who(ctx, agency)} to {_who(ctx, pair_of(graph, back)[0])} by '{there}' "
                    f"and straight back by '{back.handoff}'",
                    profiles=bits,
                    route=route,
                    hint="agree who keeps the victim, or record why they go back (to accept "
                    f"it, suppress 'ping-pong' at {_either(there, back.handoff)})",
                    also=(there,) if there not in ("", back.handoff) else (),
                )


@rule(
    "max-handoffs",
    "handoffs",
    "more changes of agency before first support than the configured limit",
    Severity.WARNING,
    options={"limit": 4},
)
def max_handoffs(ctx: Context) -> Iterator[Hit]:
    """A route on which the victim changes agency more than `limit` times (default 4) before
    reaching the first stage of kind `support`.

    Example: with `limit: 2`, identification (police) -> triage (council) -> assessment
    (charity) -> refuge (council, support).
    """
    limit = int(ctx.option("limit", 4))
    counts = agency_changes(ctx, limit + 1)
    over = counts.over(limit + 1)
    for stage in sorted(over, key=ctx.graph.order.__getitem__):
        bits = over[stage]
        yield Hit(
            "stages",
            stage,
            f"{ctx.who(bits)} can change agency more than {limit} times "
            f"before first support at {ctx.stage_label(stage)}",
            profiles=bits,
            route=counts.route(stage, limit + 1, bits),
            hint="cut out a handoff on the way, or raise the limit in checks: rules: "
            "max-handoffs: options: limit",
        )
