"""Check the names a case uses against the pathway it tests, where each name is written.

Stages, handoffs, agencies, roles, information items, profile attributes and values are looked
up in the pathway; an unknown name is reported with the file, line and column, the names it
could be and, when one is close, a did-you-mean hint. Keys that cannot go together, and
expectations that say nothing, are reported here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from pathways.casetests.cases import Case, Expect, Step
from pathways.definition.located import Key, Positions
from pathways.definition.messages import did_you_mean, dotted, one_of
from pathways.definition.schema import Pathway
from pathways.errors import Location, Problem

__all__ = ["account_item", "check_case"]


def check_case(pathway: Pathway, positions: Positions, prefix: Key, case: Case) -> list[Problem]:
    """Every problem with the names `case` (written at `prefix`) uses."""
    return _References(pathway, positions, prefix).case(case)


class _References:
    """Checks the names one case uses against its pathway."""

    def __init__(self, pathway: Pathway, positions: Positions, prefix: Key) -> None:
        self.pathway = pathway
        self.positions = positions
        self.prefix = prefix
        self.problems: list[Problem] = []

    def at(self, *path: str | int) -> Location:
        full = (*self.prefix, *path)
        return self.positions.value(full) or self.positions.nearest(full)

    def key_at(self, *path: str | int) -> Location:
        full = (*self.prefix, *path)
        return self.positions.key(full) or self.positions.nearest(full)

    def where(self, *path: str | int) -> str:
        return dotted((*self.prefix, *path))

    def unknown(
        self,
        code: str,
        noun: str,
        name: str,
        options: Iterable[str],
        path: Key,
        hint: str | None = None,
        at: Location | None = None,
    ) -> None:
        choices = sorted(options)
        self.problems.append(
            Problem(
                code,
                f"{self.where(*path)} names '{name}', which is not {noun} of {self.pathway.id}",
                at or self.at(*path),
                expected=one_of(choices),
                hint=did_you_mean(name, choices) or hint or "check the spelling",
            )
        )

    def case(self, case: Case) -> list[Problem]:
        self.values(case.profile, ("profile",), keys=True)
        if case.found_by is not None:
            self.agency(case.found_by, ("found_by",))
        if case.starts_on is not None:
            self.day(case.starts_on)
        if case.route is not None and case.starts_with is not None:
            self.problems.append(
                Problem(
                    "conflicting-keys",
                    f"{self.where()} has both 'route' and 'starts_with'",
                    self.key_at("starts_with"),
                    expected="'route' (the whole route) or 'starts_with' (its first steps)",
                    hint="keep one: 'route' is followed exactly, after 'starts_with' the runner "
                    "explores every route",
                )
            )
        for key, steps in (("route", case.route), ("starts_with", case.starts_with)):
            for index, step in enumerate(steps or ()):
                self.step(step, (key, index))
        self.expect(case.expect)
        return self.problems

    def values(self, values: Mapping[str, object], path: Key, keys: bool = False) -> None:
        declared = self.pathway.profile
        for name, value in values.items():
            attribute = declared.get(name)
            if attribute is None:
                choices = sorted(declared)
                self.problems.append(
                    Problem(
                        "unknown-attribute",
                        f"{self.where(*path)} names '{name}', which is not a profile "
                        f"attribute of {self.pathway.id}",
                        self.key_at(*path, name),
                        expected=one_of(choices),
                        hint=did_you_mean(name, choices) or "check the spelling",
                    )
                )
                continue
            domain = attribute.domain
            if value not in domain or type(value) is not type(domain[0]):
                words = ["true", "false"] if attribute.flag else [str(v) for v in domain]
                self.problems.append(
                    Problem(
                        "unknown-value",
                        f"{self.where(*path, name)} is '{_word(value)}', which is not a value "
                        f"of {name}",
                        self.at(*path, name),
                        expected=one_of(words),
                        hint=did_you_mean(_word(value), words) or "use one of the values listed",
                    )
                )

    def agency(self, name: str, path: Key) -> None:
        if name not in self.pathway.agencies:
            self.unknown("unknown-agency", "an agency", name, self.pathway.agencies, path)

    def day(self, text: str) -> None:
        try:
            date.fromisoformat(text)
        except ValueError:
            self.problems.append(
                Problem(
                    "bad-date",
                    f"{self.where('starts_on')} is '{text}', which is not a date",
                    self.at("starts_on"),
                    expected="a date written YYYY-MM-DD, such as 2025-01-06",
                    hint="the journey opens at 9am on that day, London time",
                )
            )

    def step(self, step: Step, path: Key) -> None:
        if (step.handoff is None) == (step.becomes is None) or (
            step.becomes is not None and step.by is not None
        ):
            self.problems.append(
                Problem(
                    "bad-step",
                    f"{self.where(*path)} should be a handoff or a profile change",
                    self.key_at(*path),
                    expected="a handoff's name, '{handoff: <name>, by: <agency>}' or "
                    "'{becomes: {<attribute>: <value>}}'",
                    hint="write one step per line of the list",
                )
            )
            return
        if step.handoff is not None and step.handoff not in self.pathway.handoffs:
            self.unknown(
                "unknown-handoff",
                "a handoff",
                step.handoff,
                self.pathway.handoffs,
                (*path, "handoff") if self._mapping(path) else path,
            )
        if step.by is not None:
            self.agency(step.by, (*path, "by"))
        if step.becomes is not None:
            self.values(step.becomes, (*path, "becomes"))

    def _mapping(self, path: Key) -> bool:
        return (*self.prefix, *path, "handoff") in self.positions.values

    def expect(self, expect: Expect) -> None:
        """Every name the expectations use, and expectations that cannot be checked."""
        self.expect_shape(expect)
        self.expect_stages(expect)
        self.expect_others(expect)
        if expect.asked_for_account_at_most is not None and account_item(self.pathway) is None:
            self.problems.append(
                Problem(
                    "no-account-item",
                    f"{self.pathway.id} has no single information item for the victim's account",
                    self.key_at("expect", "asked_for_account_at_most"),
                    expected="one information item named 'account' or ending in '-account'",
                    hint="name the item instead: 'asked_at_most: {<item>: 1}'",
                )
            )
        if not _expects_anything(expect):
            self.problems.append(
                Problem(
                    "nothing-expected",
                    f"{self.where('expect')} expects nothing",
                    self.key_at("expect"),
                    expected="at least one of reaches, always_reaches, never, never_handed_to, "
                    "asked_for_account_at_most or asked_at_most",
                    hint="say what should happen to this victim, for example 'reaches: <stage>'",
                )
            )

    def expect_shape(self, expect: Expect) -> None:
        """Keys that conflict, or that need a stage or a time limit beside them."""
        if expect.reaches is not None and expect.always_reaches is not None:
            self.problems.append(
                Problem(
                    "conflicting-keys",
                    f"{self.where('expect')} has both 'reaches' and 'always_reaches'",
                    self.key_at("expect", "always_reaches"),
                    expected="'reaches' (some route gets there) or 'always_reaches' (every "
                    "route does)",
                    hint="write a second case for the other expectation",
                )
            )
        target = expect.reaches is not None or expect.always_reaches is not None
        for key in ("within", "passes_through", "counting_from"):
            if getattr(expect, key) and not target:
                self.problems.append(
                    Problem(
                        "missing-target",
                        f"{self.where('expect', key)} needs a stage to reach",
                        self.key_at("expect", key),
                        expected="'reaches: <stage>' or 'always_reaches: <stage>' beside it",
                        hint=f"'{key}' says how the victim gets somewhere: say where",
                    )
                )
        if expect.counting_from is not None and expect.within is None:
            self.problems.append(
                Problem(
                    "missing-target",
                    f"{self.where('expect', 'counting_from')} needs a time limit",
                    self.key_at("expect", "counting_from"),
                    expected="'within: <time>' beside it, such as 'within: 5 working days'",
                    hint="'counting_from' says where 'within' starts counting",
                )
            )

    def expect_stages(self, expect: Expect) -> None:
        """The stages (and handoffs) the expectations name."""
        stages = self.pathway.stages
        for key in ("reaches", "always_reaches", "counting_from"):
            name = getattr(expect, key)
            if name is not None and name not in stages:
                self.unknown("unknown-stage", "a stage", name, stages, ("expect", key))
        for index, name in enumerate(expect.passes_through):
            if name not in stages:
                self.unknown(
                    "unknown-stage", "a stage", name, stages, self._item("passes_through", index)
                )
        for index, name in enumerate(expect.never):
            if name not in stages and name not in self.pathway.handoffs:
                options = [*stages, *self.pathway.handoffs]
                self.unknown(
                    "unknown-name", "a stage or handoff", name, options, self._item("never", index)
                )

    def expect_others(self, expect: Expect) -> None:
        """The roles, agencies and information items the expectations name."""
        for index, name in enumerate(expect.never_handed_to):
            if name not in self.pathway.roles and name not in self.pathway.agencies:
                options = [*self.pathway.roles, *self.pathway.agencies]
                self.unknown(
                    "unknown-role",
                    "a role or agency",
                    name,
                    options,
                    self._item("never_handed_to", index),
                )
        for name in expect.asked_at_most:
            if name not in self.pathway.information:
                self.unknown(
                    "unknown-item",
                    "an information item",
                    name,
                    self.pathway.information,
                    ("expect", "asked_at_most"),
                    at=self.key_at("expect", "asked_at_most", name),
                )

    def _item(self, key: str, index: int) -> Key:
        """The path of list item `index` under `expect.key` (or the key, if one name)."""
        path: Key = ("expect", key, index)
        return path if (*self.prefix, *path) in self.positions.values else ("expect", key)


def account_item(pathway: Pathway) -> str | None:
    """The information item that is the victim's account: `account` or the one `*-account`."""
    if "account" in pathway.information:
        return "account"
    found = [name for name in pathway.information if name.endswith("-account")]
    return found[0] if len(found) == 1 else None


def _expects_anything(expect: Expect) -> bool:
    return bool(
        expect.reaches
        or expect.always_reaches
        or expect.never
        or expect.never_handed_to
        or expect.asked_for_account_at_most is not None
        or expect.asked_at_most
    )


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
