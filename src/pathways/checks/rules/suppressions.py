"""The checks' own rule: a suppression in `checks:` that matches no finding.

A suppression names a rule and, with `at:`, the stage or handoff of one finding. One that
matches nothing (a typo in `at:`, a finding fixed since, a handoff renamed) would otherwise
hide nothing and say nothing; this rule reports it at its own line, with the closest name the
rule did find. `pathways.checks.run` works out which suppressions matched once every other
rule has run, and runs this rule last.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.definition.checks_config import Suppression
from pathways.definition.messages import did_you_mean

__all__ = ["UNMATCHED", "Unmatched"]

#: the rule's id, run after every other rule
UNMATCHED = "unmatched-suppression"


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A suppression that matched no finding: its number in the pathway file's `suppress:`
    (None for a project config's), and the names its rule did find."""

    own: int | None
    entry: Suppression
    found: tuple[str, ...]


def _hint(ctx: Context, item: Unmatched) -> str:
    entry = item.entry
    if entry.at is None:
        return f"the rule finds nothing here now: remove the suppression of '{entry.rule}'"
    named = [*ctx.pathway.stages, *ctx.pathway.handoffs, *ctx.pathway.tracks]
    close = did_you_mean(entry.at, item.found) or did_you_mean(entry.at, named)
    if close is not None:
        return close
    if item.found:
        listed = ", ".join(f"'{n}'" for n in item.found[:5])
        return f"'{entry.rule}' finds something at {listed}; remove the suppression if fixed"
    return f"'{entry.rule}' finds nothing here now: remove the suppression"


@rule(UNMATCHED, "structure", "a suppression in 'checks:' matches no finding", Severity.WARNING)
def unmatched_suppression(ctx: Context) -> Iterator[Hit]:
    """A suppression names a rule (and maybe a stage or handoff with `at:`) that finds
    nothing there, so it hides nothing: often a typo in `at:`.

    Example: `suppress: [{rule: ping-pong, at: hand-bak, reason: ...}]` when the handoff is
    `hand-back`.
    """
    unmatched: tuple[Unmatched, ...] = ctx.memo("unmatched-suppressions", tuple)
    for item in unmatched:
        entry = item.entry
        where = f" at '{entry.at}'" if entry.at is not None else ""
        yield Hit(
            "checks" if item.own is not None else "",
            f"suppress.{item.own}" if item.own is not None else "",
            f"the suppression of '{entry.rule}'{where} matches no finding, so it hides nothing",
            at=("at",) if entry.at is not None else ("rule",),
            hint=_hint(ctx, item),
        )
