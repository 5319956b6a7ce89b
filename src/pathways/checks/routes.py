"""A finding's route written out for people, one line a step, with only the profile changes
that matter to it.

The walks follow every declared profile change (a child turns 18) wherever it may happen, so
a shortest route can pass through one that changes nothing on the way: a child turning 18 at
the MASH, when no handoff after it asks the victim's age. Such a change is left out of the
route as written: an attribute's changes are shown only when a condition on a handoff taken
after the first of them, or on a handoff out of the stage the route ends at, reads that
attribute, or when the victim the finding is about would not be affected without them (the
same route without the change ends at a profile the finding does not name).
"""

from __future__ import annotations

from pathways.checks.registry import Context
from pathways.definition.conditions import attributes
from pathways.graph.changes import Change
from pathways.graph.walks import Step

__all__ = ["relevant_changes", "route_lines"]


def route_lines(ctx: Context, route: tuple[Step, ...], profiles: int = 0) -> tuple[str, ...]:
    """`route` as lines of text, leaving out the profile changes that do not matter to it
    (see the module docstring); `profiles` are the victims the finding is about (0: any)."""
    lines: list[str] = []
    moves: dict[tuple[str, str], str] = ctx.memo("route-lines", dict)
    # a step unpacked once: millions of steps are written on a large pathway
    for index, (stage, _, handoff, change, after_gap) in enumerate(
        relevant_changes(ctx, route, profiles)
    ):
        if after_gap:
            lines.append(f"starts at {ctx.stage_label(ctx.pathway.entry)}")
            lines.append("   ... (earlier steps left out)")
        if change is not None:
            lines.append(f"   at {ctx.stage_label(stage)}: {change}")
        elif handoff is None:
            label = ctx.stage_label(stage)
            lines.append(f"starts at {label}" if index == 0 and not after_gap else label)
        else:
            # the same step recurs in many routes: written once, the line shared
            line = moves.get((stage, handoff))
            if line is None:
                line = f"-> {ctx.stage_label(stage)} by '{handoff}'"
                moves[stage, handoff] = line
            lines.append(line)
    return tuple(lines)


def relevant_changes(ctx: Context, route: tuple[Step, ...], profiles: int = 0) -> tuple[Step, ...]:
    """`route` without the steps of profile changes that cannot change it (see the module
    docstring). A route with no change step is returned as it is."""
    if not any(step.change is not None for step in route):
        return route
    changes = _changes(ctx)
    firsts: dict[str, int] = {}  # attribute -> the index of its first change on the route
    for index, step in enumerate(route):
        if step.change is not None:
            firsts.setdefault(changes[step.change].attribute, index)
    read = _read_on(ctx, route, firsts)
    dropped = {name for name in firsts if name not in read}
    if not dropped:
        return route
    end = route[-1].profile
    for step in reversed(route):
        if step.change is not None and changes[step.change].attribute in dropped:
            end -= changes[step.change].shift  # the end profile had the change not been made
    if profiles and not profiles >> end & 1:
        return route  # the finding is about the changed victim: the changes are its story
    return tuple(
        step
        for step in route
        if step.change is None or changes[step.change].attribute not in dropped
    )


def _read_on(ctx: Context, route: tuple[Step, ...], firsts: dict[str, int]) -> set[str]:
    """The attributes in `firsts` that a condition reads on a handoff taken after their first
    change, or on a handoff out of the stage the route ends at."""
    read: set[str] = set()
    for name in ctx.pathway.handoffs_from(route[-1].stage):
        read |= _reads(ctx, name)
    for name, first in firsts.items():
        if name in read:
            continue
        if any(s.handoff is not None and name in _reads(ctx, s.handoff) for s in route[first:]):
            read.add(name)
    return read


def _reads(ctx: Context, handoff: str) -> frozenset[str]:
    """The profile attributes `handoff`'s condition reads (none without one)."""
    found: dict[str, frozenset[str]] = ctx.memo("handoff-reads", dict)
    names = found.get(handoff)
    if names is None:
        declared = ctx.pathway.handoffs.get(handoff)
        when = declared.when if declared is not None else None
        names = found[handoff] = attributes(when) if when is not None else frozenset()
    return names


def _changes(ctx: Context) -> dict[str, Change]:
    """The declared changes by the label a route step carries."""
    return ctx.memo("changes-by-label", lambda: {c.label: c for c in ctx.graph.changes})
