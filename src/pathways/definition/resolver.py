"""The resolver: a pathway's names, and how a name that does not resolve is reported.

`references`, `handoff_references` and `bindings` each check one part of a pathway against
the rest; they share this resolver, which knows where each element is written, which names
failed their own validation (and so are not reported again) and the wording of a name that is
not declared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pathways.definition.messages import did_you_mean, one_of, singular
from pathways.definition.schema import Pathway
from pathways.errors import Location, Problem

__all__ = ["Resolver"]


class Resolver:
    """The problems found so far in `pathway`, and the helpers that report them."""

    def __init__(self, pathway: Pathway, broken: frozenset[tuple[str, str]]) -> None:
        self.p = pathway
        self.broken = broken
        self.problems: list[Problem] = []
        self.actors = {*pathway.roles, *pathway.agencies}
        self.cited = {*pathway.sources, *pathway.assumptions}

    def at(self, section: str, name: str, *rest: str | int) -> Location | None:
        return self.p.location(section, name, *rest)

    def place(
        self, found: Location | None, *causes: tuple[str | int, ...]
    ) -> tuple[Location | None, Location | None]:
        """Where to report a problem found at `found`, and where it was inherited from: in an
        area file, the first of `causes` ((section, name, key...)) the area wrote, else its
        `extends:` line (`Pathway.fix_place`)."""
        return self.p.fix_place(found, causes=causes)

    def inherited_first(self) -> None:
        """Every problem found in a file this one extends, and not yet placed, moved to this
        file's `extends:` line, with the baseline's place as where it was inherited from: a
        forum lead fixes the area file, not the baseline."""
        for index, problem in enumerate(self.problems):
            if problem.inherited is None:
                at, inherited = self.p.fix_place(problem.location)
                if inherited is not None:
                    self.problems[index] = replace(problem, location=at, inherited=inherited)

    def known(self, section: str, name: str, pool: Iterable[str]) -> bool:
        return name in pool or (section, name) in self.broken

    def ref(
        self,
        code: str,
        what: str,
        name: str,
        section: str,
        pool: Iterable[str],
        at: Location | None,
        hint: str,
    ) -> None:
        """Report `name` unless it is in `pool` (or exists but is broken)."""
        if self.known(section, name, pool):
            return
        options = sorted(pool)
        self.problems.append(
            Problem(
                code,
                f"{what} '{name}', which is not {_article(section)}",
                at,
                expected=one_of(options, none=f"a name declared under {section}: (none yet)"),
                hint=did_you_mean(name, options) or hint,
            )
        )

    def citations(
        self, section: str, name: str, cites: Iterable[str], within: tuple[str, ...] = ()
    ) -> None:
        """Report each of `cites` that is not a source; `within` is the key path from the
        entry to its `cites` (`("lawful_basis",)`)."""
        for i, key in enumerate(cites):
            self.ref(
                "unknown-source",
                f"{singular(section)} '{name}' cites",
                key,
                "sources",
                self.cited,
                self.at(section, name, *within, "cites", i),
                "add it under sources: (or assumptions:)",
            )


def _article(section: str) -> str:
    nouns = {
        "roles": "a role or agency of this pathway",
        "duties": "a duty of this pathway",
        "tracks": "a track of this pathway",
        "stages": "a stage",
        "information": "an information item of this pathway",
        "tags": "a tag I know",
        "sources": "a source or assumption of this file",
    }
    return nouns.get(section, section)
