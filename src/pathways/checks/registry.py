"""The rule registry and what a rule sees and returns.

A rule is a function from a `Context` (the pathway, its `ProfileGraph`, the rule's options) to
`Hit`s: what is wrong and where, which profiles it affects and a route that shows it. The
engine in `pathways.checks` turns hits into `Finding`s with a severity, a file position, the
profiles in plain words and the route written out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.walks import ROUTE_LIMIT, Step, Walk, backward, from_entry

__all__ = [
    "FAMILIES",
    "RULES",
    "Context",
    "Hit",
    "Rule",
    "Severity",
    "rule",
]

T = TypeVar("T")

FAMILIES = ("structure", "profiles", "handoffs", "information", "domain")


class Severity(StrEnum):
    """How much a finding matters: errors fail `pathways check`, warnings may (`--max-warnings`)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


Option = str | int | float | bool


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a rule found, before severity and suppressions are applied.

    `section` and `name` say what it is about (`stages`/`handoffs`/`tracks`/...), `at` a key
    inside it for a finer file position; `profiles` the affected profiles (0: not about
    profiles); `route` a route from the entry that shows it.
    """

    section: str
    name: str
    message: str
    profiles: int = 0
    route: tuple[Step, ...] = ()
    at: tuple[str | int, ...] = ()
    hint: str = ""
    #: other names a suppression's `at:` may give for it (a ping-pong's first handoff)
    also: tuple[str, ...] = ()
    #: keys ((section, name, key...)) by which an area file brings in a problem with what
    #: its baseline wrote (an agency's `first_responder`): the finding points at the first
    #: the area wrote
    causes: tuple[tuple[str | int, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """A check with a stable id, its family, default severities and a one-line definition."""

    id: str
    family: str
    summary: str
    recommended: Severity | None
    strict: Severity | None
    run: Callable[[Context], Iterable[Hit]]
    options: Mapping[str, Option] = field(default_factory=dict)
    domain: bool = False

    @property
    def doc(self) -> str:
        """Where the rule is explained: its section of docs/rules.md."""
        return f"docs/rules.md#{self.id}"


RULES: dict[str, Rule] = {}


def rule(
    id: str,
    family: str,
    summary: str,
    recommended: Severity | None,
    strict: Severity | None = None,
    options: Mapping[str, Option] | None = None,
) -> Callable[[Callable[[Context], Iterable[Hit]]], Callable[[Context], Iterable[Hit]]]:
    """Register a rule function under `id`; `strict` defaults to `recommended` made stricter."""
    if strict is None:
        strict = Severity.ERROR if recommended is Severity.WARNING else recommended or Severity.INFO

    def register(func: Callable[[Context], Iterable[Hit]]) -> Callable[[Context], Iterable[Hit]]:
        if id in RULES:  # pragma: no cover - a programming error
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = Rule(
            id, family, summary, recommended, strict, func, dict(options or {}), family == "domain"
        )
        return func

    return register


class Context:
    """What a rule sees: the pathway, its graph, its options, the baseline it extends."""

    def __init__(
        self,
        pathway: Pathway,
        graph: ProfileGraph,
        options: Mapping[str, Option] | None = None,
        base: Pathway | None = None,
    ) -> None:
        self.pathway = pathway
        self.graph = graph
        self.options: Mapping[str, Option] = options or {}
        self.base = base
        self._labels: dict[str, str] = graph.memo.setdefault("stage-labels", {})
        self._routes: dict[tuple[str, int, int], tuple[Step, ...]] = graph.memo.setdefault(
            "main-routes", {}
        )

    def with_options(self, options: Mapping[str, Option]) -> Context:
        """The same context for another rule (the walks already made are shared)."""
        other = Context.__new__(Context)
        other.__dict__.update(self.__dict__)
        other.options = options
        return other

    def option(self, name: str, default: Option) -> Option:
        return self.options.get(name, default)

    @property
    def reach(self) -> Walk:
        return from_entry(self.graph)

    # Shared by every rule of one check (each rule has its own `Context`, one `ProfileGraph`).

    @property
    def finishing(self) -> dict[str, int]:
        """For each stage, the profiles that can get from it to an outcome of its track."""
        graph = self.graph
        return self.memo(
            "finishing", lambda: backward(graph, dict.fromkeys(graph.outcomes, graph.full))
        )

    @property
    def can_finish(self) -> set[str]:
        return self.memo("can-finish", self.graph.can_finish)

    @property
    def traps(self) -> list[list[str]]:
        return self.memo("traps", self.graph.traps)

    def route(self, stage: str, profiles: int, room: int = ROUTE_LIMIT) -> tuple[Step, ...]:
        """A shortest route from the entry to `stage` for the first of `profiles` there (its
        last `room` steps, at least one, when it is longer)."""
        here = profiles & self.reach.at(stage)
        if not here:
            return ()
        return self._main(stage, _lowest_profile(here), room)

    def route_via(self, walk: Walk, stage: str, profiles: int) -> tuple[Step, ...]:
        """A route to `stage` through a walk seeded on the way: entry, to the seed, onwards."""
        here = profiles & walk.at(stage)
        if not here:
            return ()
        bit = _lowest_profile(here)
        tail, origin = walk.route(stage, bit)
        if origin is None:
            return tuple(tail)
        return (*self._main(origin, tail[0].profile, ROUTE_LIMIT - len(tail)), *tail)

    def _main(self, stage: str, bit: int, limit: int = ROUTE_LIMIT) -> tuple[Step, ...]:
        """A shortest route from the entry, worked out once per stage, profile and limit: the
        rules ask for the same ones many times (every later handoff of a long route)."""
        key = (stage, bit, max(1, limit))
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = tuple(self.reach.route(stage, bit, key[2])[0])
        return found

    def stage_label(self, name: str) -> str:
        """A stage for people: its title and its name (worked out once per stage)."""
        label = self._labels.get(name)
        if label is None:
            stage = self.pathway.stages.get(name)
            label = f"'{stage.title}' ({name})" if stage is not None else f"'{name}'"
            self._labels[name] = label
        return label

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()` worked out once per key for every rule of one check (walks, words)."""
        cache = self.graph.memo
        if key not in cache:
            cache[key] = make()
        found: T = cache[key]
        return found

    def who(self, mask: int) -> str:
        """'any victim', or 'a victim who is <profiles in plain words>'."""
        if mask == self.graph.full:
            return "any victim"
        return f"a victim who is {self.describe(mask)}"

    def describe(self, mask: int) -> str:
        """Profiles in plain words (worked out once per set of profiles)."""
        return self.memo(("describe", mask), lambda: str(self.graph.space.describe(mask)))


def _lowest_profile(mask: int) -> int:
    """The number of the lowest profile in `mask`."""
    return (mask & -mask).bit_length() - 1
