"""Information rules: victims retelling their story, and stages missing what they need.

For each information item, a walk follows the state of that item along routes: collected from
the victim and not yet passed on by a handoff that `shares` it (the next stage that `collects`
it asks again), or never collected nor shared (a stage that `needs` it lacks it). A handoff that
starts a track carries the state into that track. Every profile is walked at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.graph.profile_graph import Edge, ProfileGraph
from pathways.graph.walks import Seed, Walk, forward, seeds_after

__all__ = ["repeats"]


def _collectors(ctx: Context) -> dict[str, list[str]]:
    """The stages that collect each item, in file order (worked out once per check)."""
    return ctx.memo("collectors", lambda: _find_collectors(ctx))


def _find_collectors(ctx: Context) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, stage in ctx.pathway.stages.items():
        for item in stage.collects:
            found.setdefault(item, []).append(name)
    return found


def _retold(ctx: Context, item: str, stages: list[str]) -> Walk:
    graph = ctx.graph
    edges = [e for s in stages for e in graph.out[s] if item not in e.shares]
    return forward(
        graph, seeds_after(graph, edges, ctx.reach.masks), edge_ok=lambda e: item not in e.shares
    )


def repeats(ctx: Context, item: str) -> tuple[dict[str, int], dict[str, int]]:
    """Stages that collect `item` again, with the profiles asked again on some route and the
    profiles asked again on every route that gets them there."""
    return ctx.memo(("repeats", item), lambda: _repeats(ctx, item))


def _retold_walk(ctx: Context, item: str) -> Walk:
    return ctx.memo(("retold", item), lambda: _retold(ctx, item, _collectors(ctx).get(item, [])))


def _repeats(ctx: Context, item: str) -> tuple[dict[str, int], dict[str, int]]:
    reach = ctx.reach.masks
    stages = _collectors(ctx).get(item, [])
    some = _retold_walk(ctx, item)
    fresh = _fresh(ctx, item, set(stages))
    again = {s: some.at(s) & reach.get(s, 0) for s in stages if some.at(s) & reach.get(s, 0)}
    every = {s: reach.get(s, 0) & ~fresh.at(s) for s in stages if reach.get(s, 0) & ~fresh.at(s)}
    return again, every


def _fresh(ctx: Context, item: str, asks: set[str]) -> Walk:
    """Where profiles can be not yet asked for `item`, or with it shared since they were: a
    walk from the entry and from just after each handoff that shares it, ending at the stages
    in `asks`. Right at every stage that leads to one in `asks` without a handoff sharing it
    (`_before`), which is all that is read: what a sharing handoff brings is already there,
    as every profile at its source seeds the walk after it."""
    graph, reach = ctx.graph, ctx.reach.masks
    region, sharing = _before(graph, item, asks)
    seeds: list[Seed] = [(ctx.pathway.entry, graph.full, None)]
    seeds.extend(seeds_after(graph, sharing, reach))
    return forward(
        graph,
        seeds,
        edge_ok=lambda e: any(t in region for t in e.lands),
        stop=lambda stage: stage in asks,
        routes=False,
    )


def _before(graph: ProfileGraph, item: str, asks: set[str]) -> tuple[set[str], list[Edge]]:
    """The stages that lead to one in `asks` by handoffs that do not share `item` (and leave
    no stage in `asks`), those included; and the handoffs into them that share it."""
    region = set(asks)
    todo = list(asks)
    sharing: list[Edge] = []
    while todo:
        stage = todo.pop()
        for edges in (graph.into[stage], graph.started_by(stage)):
            for edge in edges:
                if item in edge.shares:
                    sharing.append(edge)
                elif edge.source not in asks and edge.source not in region:
                    region.add(edge.source)
                    todo.append(edge.source)
    return region, sharing


def _title(ctx: Context, item: str) -> str:
    info = ctx.pathway.information.get(item)
    return f"'{info.title}' ({item})" if info is not None else f"'{item}'"


@rule(
    "repeat-story",
    "information",
    "a victim can be asked again for something an earlier stage already asked them",
    Severity.WARNING,
)
def repeat_story(ctx: Context) -> Iterator[Hit]:
    """A stage collects an item that an earlier stage on some route already collected from the
    victim, with no handoff on that route sharing it.

    Example: `fr-assessment` and `police-interview` both collect `account`, and the handoff
    `refer-to-police` between them does not list `account` under `shares:`.
    """
    graph = ctx.graph
    for item in sorted(_collectors(ctx)):
        again, every = repeats(ctx, item)
        walk = _retold_walk(ctx, item)
        for stage in sorted(again, key=graph.order.__getitem__):
            bits = again[stage] & ~every.get(stage, 0)
            if not bits:
                continue
            _, earlier = walk.route(stage, (bits & -bits).bit_length() - 1)
            yield Hit(
                "stages",
                stage,
                f"{ctx.stage_label(stage)} can ask {ctx.who(bits)} for "
                f"{_title(ctx, item)} again: {ctx.stage_label(earlier or stage)} already "
                "asked and no handoff on the way shares it",
                profiles=bits,
                route=ctx.route_via(walk, stage, bits),
                at=("collects", ctx.pathway.stages[stage].collects.index(item)),
                hint=f"add {item} to 'shares:' on a handoff between the two stages, "
                "or stop asking for it here",
            )


@rule(
    "repeat-story-every-route",
    "information",
    "every route to a stage has the victim asked again for something already asked",
    Severity.ERROR,
    Severity.ERROR,
)
def repeat_story_every_route(ctx: Context) -> Iterator[Hit]:
    """Like `repeat-story`, but for these victims there is no way to the stage without telling
    it again: every route that reaches it collected the item earlier and did not share it.

    Example: `triage` collects `account`, the only way on to `assessment` is `refer` with no
    `shares:`, and `assessment` collects `account`.
    """
    graph = ctx.graph
    for item in sorted(_collectors(ctx)):
        _, every = repeats(ctx, item)
        for stage in sorted(every, key=graph.order.__getitem__):
            bits = every[stage]
            yield Hit(
                "stages",
                stage,
                f"every route to {ctx.stage_label(stage)} has "
                f"{ctx.who(bits)} asked for {_title(ctx, item)} again, after an earlier "
                "stage asked and no handoff shared it",
                profiles=bits,
                route=ctx.route(stage, bits),
                at=("collects", ctx.pathway.stages[stage].collects.index(item)),
                hint=f"add {item} to 'shares:' on the handoffs into this stage",
            )


@rule(
    "unshared-information",
    "information",
    "a stage needs an item that nothing before it collects or shares",
    Severity.WARNING,
)
def unshared_information(ctx: Context) -> Iterator[Hit]:
    """A stage `needs` an item it does not collect itself, and some route reaches it on which
    no stage collected the item and no handoff shared it.

    Example: `rg-decision` needs `nrm-form`, but the handoff `submit` into it shares nothing and
    no stage before it collects `nrm-form`.
    """
    p, graph = ctx.pathway, ctx.graph
    needed: dict[str, list[str]] = {}
    for name, declared in p.stages.items():
        for item in declared.needs:
            if item not in declared.collects:
                needed.setdefault(item, []).append(name)
    collectors = _collectors(ctx)
    for item, stages in sorted(needed.items()):
        asks = set(collectors.get(item, ()))
        lacking = forward(
            graph,
            [(p.entry, graph.full, None)],
            edge_ok=lambda e, item=item: item not in e.shares,  # type: ignore[misc]
            stop=lambda stage, asks=asks: stage in asks,  # type: ignore[misc]
        )
        for stage in sorted(stages, key=graph.order.__getitem__):
            bits = lacking.at(stage)
            if not bits:
                continue
            yield Hit(
                "stages",
                stage,
                f"{ctx.stage_label(stage)} needs {_title(ctx, item)}, but "
                f"{ctx.who(bits)} can arrive without any stage before it collecting it "
                "or any handoff sharing it",
                profiles=bits,
                route=ctx.route_via(lacking, stage, bits),
                at=("needs", p.stages[stage].needs.index(item)),
                hint=f"collect {item} at an earlier stage and share it on the handoffs, "
                "or collect it here",
            )
