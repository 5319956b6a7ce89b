"""Information rules: victims retelling their story, and stages missing what they need.

A retelling is what `pathways.definition.retelling` defines (a stage asks for an item the
victim already told, and its agency neither collected it before nor received it along a
handoff that shared it), judged on every route at once by `pathways.graph.retold`. For a
stage that `needs` an item, a walk follows routes on which it was never collected nor shared.
Every profile is walked at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.graph.retold import retold
from pathways.graph.walks import forward

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


def repeats(ctx: Context, item: str) -> tuple[dict[str, int], dict[str, int]]:
    """Stages that collect `item` again, with the profiles asked again on some route and the
    profiles asked again on every route that gets them there."""
    found = retold(ctx.graph, item)
    return found.again, found.every


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
    """A stage asks for an item the victim already told an earlier stage on some route, and
    its agency has not received it: no handoff on the way shared it with that agency.

    Example: `fr-assessment` (the council) and `police-interview` (the police) both collect
    `account`, and the handoff `refer-to-police` between them does not list `account` under
    `shares:`.
    """
    graph = ctx.graph
    for item in sorted(_collectors(ctx)):
        found = retold(graph, item)
        every = found.every
        for stage in sorted(found.again, key=graph.order.__getitem__):
            bits = found.again[stage] & ~every.get(stage, 0)
            if not bits:
                continue
            route, earlier = found.route(stage, (bits & -bits).bit_length() - 1)
            yield Hit(
                "stages",
                stage,
                f"{ctx.stage_label(stage)} can ask {ctx.who(bits)} for "
                f"{_title(ctx, item)} again: {ctx.stage_label(earlier or stage)} already "
                f"asked, and no handoff on the way shares it with {_agency(ctx, stage)}",
                profiles=bits,
                route=route,
                at=("collects", ctx.pathway.stages[stage].collects.index(item)),
                hint=f"add {item} to 'shares:' on the handoffs that bring the victim to "
                f"{_agency(ctx, stage)}, or stop asking for it here",
            )


def _agency(ctx: Context, stage: str) -> str:
    """The stage's owner in words: 'Testshire Police' or the role 'first responder'."""
    owner = ctx.pathway.stages[stage].owner
    agency = ctx.pathway.agencies.get(owner)
    if agency is not None:
        return f"'{agency.name}'"
    role = ctx.pathway.roles.get(owner)
    return f"the {role.title.lower() if role is not None else owner} ({owner})"


@rule(
    "repeat-story-every-route",
    "information",
    "every route to a stage has the victim asked again for something already asked",
    Severity.ERROR,
    Severity.ERROR,
)
def repeat_story_every_route(ctx: Context) -> Iterator[Hit]:
    """Like `repeat-story`, but for these victims there is no way to the stage without telling
    it again: on every route that reaches it an earlier stage asked, and nothing shared it with
    this stage's agency.

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
                f"stage asked and no handoff shared it with {_agency(ctx, stage)}",
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
