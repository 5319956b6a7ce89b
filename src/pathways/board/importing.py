"""Journeys built from a spreadsheet of events, by the runtime's own rules, every row checked.

```python
sheet = read_sheet(Path("journeys.csv"))
built = build_journeys(sheet, compile_pathway(pathway))   # SheetError: every problem, by row
store_all(store, built.journeys)                          # one transaction: all or nothing
```

Rows are read in the order they are written. A case's first row opens its journey at the
pathway's first stage (`pathways.runtime.opening.start`) with the profile its columns give;
each later row makes the handoff its `step` names (or the one handoff to the stage it names),
as the agency in its `agency` column, after any time-limit handoffs that ran out by its date
(`Journey.tick`), and records a profile value that differs from the one before as a change
(a child turning 18). So a journey is imported only if a case system using the pathway could
have recorded it. Every row is checked; once a row of a case is wrong, that case's later rows
are not (they would only repeat the problem). Nothing is stored here: `build_journeys`
returns the journeys, or raises `SheetError` with every problem found.

A case reference that looks like a name or a date of birth is a warning (`Built.warnings`):
a spreadsheet should hold the case system's own codes, nothing that identifies a person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from pathways.board.cells import SheetError, SheetRow, Value
from pathways.board.columns import (
    CellProblem,
    Columns,
    agency_of,
    columns_of,
    looks_personal,
    moment_of,
    profile_value,
    shares_of,
)
from pathways.board.sheet import Sheet
from pathways.definition.messages import did_you_mean, one_of
from pathways.errors import (
    InvalidCaseReference,
    InvalidTime,
    JourneyError,
    Location,
    NotAuthorised,
    Problem,
)
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.guards import Value as ProfileValue
from pathways.runtime.journey import Journey
from pathways.runtime.opening import check_case_ref, start

__all__ = ["START", "Built", "build_journeys"]

T = TypeVar("T")

#: What a case's first row may say in its step column, besides nothing or the first stage.
START = "start"


@dataclass(frozen=True, slots=True)
class Built:
    """The journeys a spreadsheet describes, the row each starts on, and any warnings."""

    journeys: tuple[Journey, ...]
    first_rows: dict[str, int]
    rows: int
    warnings: tuple[Problem, ...]


def build_journeys(sheet: Sheet, compiled: CompiledPathway) -> Built:
    """Every journey `sheet` describes on `compiled`; `SheetError` with every problem found."""
    columns, trouble = columns_of(sheet.header, compiled.pathway)
    builder = _Builder(sheet, compiled, columns)
    for problem in trouble:
        # a missing column is reported just after the header's last one
        column = problem.column + 1 if problem.column is not None else len(sheet.header) + 1
        builder.problems.append(builder.problem(sheet.header_line, column, problem))
    if builder.problems:
        raise SheetError(builder.problems + builder.warnings)
    for row in sheet.rows:
        builder.row(row)
    if not sheet.rows:
        builder.problems.append(
            Problem("no-rows", "the spreadsheet has no rows of events",
                    Location(sheet.path, sheet.header_line, 1), None,
                    "add one row per event under the header row")
        )  # fmt: skip
    if builder.problems:
        raise SheetError(builder.problems + builder.warnings)
    return Built(
        tuple(builder.journeys.values()),
        builder.first_rows,
        len(sheet.rows),
        tuple(builder.warnings),
    )


class _Builder:
    def __init__(self, sheet: Sheet, compiled: CompiledPathway, columns: Columns) -> None:
        self.sheet, self.compiled, self.pathway = sheet, compiled, compiled.pathway
        self.places, self.profile = columns.places, columns.profile
        self.journeys: dict[str, Journey] = {}
        self.first_rows: dict[str, int] = {}
        self.failed: set[str] = set()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def problem(
        self, line: int, column: int, found: CellProblem, severity: str = "error"
    ) -> Problem:
        heading = self.sheet.header[column - 1] if 0 < column <= len(self.sheet.header) else ""
        where = f"row {line}, {heading}" if heading else f"row {line}"
        return Problem(
            found.code, f"{where}: {found.message}", Location(self.sheet.path, line, column),
            found.expected, found.hint, severity,
        )  # fmt: skip

    def report(self, row: SheetRow, name: str, found: CellProblem) -> None:
        column = self.places.get(name, self.profile.get(name, 0)) + 1
        self.problems.append(self.problem(row.line, column, found))

    def cell(self, row: SheetRow, name: str, read: Callable[[Value], T]) -> T | None:
        try:
            return read(row.get(self.places[name]))
        except CellProblem as found:
            self.report(row, name, found)
            return None

    def row(self, row: SheetRow) -> None:
        case_ref = self.cell(row, "case_ref", self.case_ref)
        at = self.cell(row, "date", moment_of)
        agency = self.cell(row, "agency", lambda c: agency_of(c, self.pathway))
        shares: tuple[str, ...] | None = ()
        if "shares" in self.places:
            shares = self.cell(row, "shares", lambda c: shares_of(c, self.pathway))
        if case_ref is None or case_ref in self.failed:
            return
        if at is None or agency is None or shares is None:
            self.failed.add(case_ref)
            return
        try:
            if case_ref in self.journeys:
                self.move(row, self.journeys[case_ref], at, agency, shares)
            else:
                self.open(row, case_ref, at, agency, shares)
        except CellProblem as found:
            self.report(row, found.field or "step", found)
            self.failed.add(case_ref)
        except JourneyError as refused:
            self.report(row, _column_for(refused), _from_runtime(refused))
            self.failed.add(case_ref)

    def case_ref(self, cell: Value) -> str:
        text = str(cell).strip()
        try:
            check_case_ref(text)
        except InvalidCaseReference as exc:
            raise CellProblem(
                "bad-case-reference", str(exc) if text else "the case reference is empty",
                "the case system's own code, such as HU-2025-0142",
                "never a name or a date of birth",
            ) from None  # fmt: skip
        return text

    def open(
        self, row: SheetRow, case_ref: str, at: datetime, agency: str, shares: tuple[str, ...]
    ) -> None:
        self.first_rows[case_ref] = row.line
        kind = looks_personal(case_ref)
        if kind is not None:
            found = CellProblem(
                "personal-case-reference", f"case reference '{case_ref}' looks like {kind}",
                hint="use the case system's own code: a spreadsheet of journeys should hold "
                "nothing that identifies a person",
            )  # fmt: skip
            column = self.places["case_ref"] + 1
            self.warnings.append(self.problem(row.line, column, found, "warning"))
        step = str(row.get(self.places["step"])).strip()
        entry = self.pathway.entry
        if step not in ("", START, entry):
            raise _at("step", CellProblem(
                "bad-first-step",
                f"case {case_ref} starts on this row, at '{entry}', so its step is '{step}'",
                f"the step left empty, or '{entry}'",
                "put the row that opens the journey first; rows are read in the order written",
            ))  # fmt: skip
        if shares:
            raise _at("shares", CellProblem(
                "bad-first-step", "nothing is shared when a journey opens",
                hint="leave shares empty on a case's first row",
            ))  # fmt: skip
        profile: dict[str, ProfileValue] = {}
        for attribute, column in self.profile.items():
            try:
                profile[attribute] = profile_value(row.get(column), attribute, self.pathway)
            except CellProblem as found:
                self.report(row, attribute, found)
        if len(profile) < len(self.profile):
            self.failed.add(case_ref)
            return
        self.journeys[case_ref] = start(self.compiled, case_ref, profile, at, agency)

    def move(
        self, row: SheetRow, journey: Journey, at: datetime, agency: str, shares: tuple[str, ...]
    ) -> None:
        fired = {event.trigger for event in journey.tick(at)}
        changed = self.changes(row, journey, at, agency)
        step = str(row.get(self.places["step"])).strip()
        if not step:
            if not changed:
                raise _at("step", CellProblem(
                    "missing-step", "the step is empty, and no profile value changed",
                    "the handoff that was made, or the stage the person arrived at",
                ))  # fmt: skip
            return
        if step.partition(":")[0].strip().lower() in ("accept", "decline"):
            self.answer(journey, step, agency, at)
            return
        trigger = self.trigger(journey, step, agency)
        if trigger in fired:
            return  # its time ran out on or before this date: it happened by itself
        journey.handoff(trigger, by=agency, at=at, shares=shares)

    def changes(self, row: SheetRow, journey: Journey, at: datetime, agency: str) -> bool:
        changed = False
        for attribute, column in self.profile.items():
            cell = row.get(column)
            if str(cell).strip() == "":
                continue
            value = profile_value(cell, attribute, self.pathway)
            if value != journey.profile[attribute]:
                try:
                    journey.update_profile(attribute, value, by=agency, at=at)
                except JourneyError as refused:
                    raise _at(attribute, _from_runtime(refused)) from None
                changed = True
        return changed

    def answer(self, journey: Journey, step: str, agency: str, at: datetime) -> None:
        """`accept`, or `decline: REASON`: the receiving agency answers a referral that waits
        for its answer (a handoff with `require: acceptance`)."""
        word, _, reason = step.partition(":")
        waiting = sorted({p.handoff for p in journey.awaiting().values()})
        stages, handoffs = self.pathway.stages, self.pathway.handoffs
        mine = [
            h
            for h in waiting
            if agency in self.pathway.owner_agencies(stages[handoffs[h].to].owner)
        ]
        if not waiting:
            raise _at("step", CellProblem(
                "step-refused", f"case {journey.case_ref} has no referral waiting for an answer",
                "a handoff or a stage of the pathway",
                "write 'accept' or 'decline: REASON' on the row after a referral that waits "
                "for its receiver's answer",
            ))  # fmt: skip
        if len(mine) > 1:
            raise _at("step", CellProblem(
                "ambiguous-step", f"more than one referral of case {journey.case_ref} waits "
                f"for an answer from this agency", one_of(mine),
            ))  # fmt: skip
        trigger = (mine or waiting)[0]
        if word.strip().lower() == "accept":
            journey.accept(trigger, by=agency, at=at)
        else:
            journey.decline(trigger, reason=reason.strip(), by=agency, at=at)

    def trigger(self, journey: Journey, step: str, agency: str) -> str:
        pathway = self.pathway
        if step in pathway.handoffs:
            return step
        if step not in pathway.stages:
            raise _at("step", CellProblem(
                "unknown-step", f"'{step}' is neither a handoff nor a stage of this pathway",
                "a handoff or a stage of the pathway",
                did_you_mean(step, [*pathway.handoffs, *pathway.stages]),
            ))  # fmt: skip
        options = [o for o in journey.available(by=agency) if o.to_stage == step]
        usable = [o.trigger for o in options if o.open] or [o.trigger for o in options]
        if len(usable) == 1:
            return usable[0]
        where = ", ".join(sorted(set(journey.positions.values())))
        if not usable:
            reachable = sorted({o.to_stage for o in journey.available(by=agency) if o.open})
            raise _at("step", CellProblem(
                "step-refused",
                f"case {journey.case_ref} is at {where}, and no handoff from there goes to "
                f"'{step}'",
                one_of(reachable, none="no stage: the journey cannot move from there"),
                "check the case's earlier rows: a step may be missing",
            ))  # fmt: skip
        raise _at("step", CellProblem(
            "ambiguous-step", f"more than one handoff goes from {where} to '{step}'",
            one_of(usable), "write the handoff's name instead of the stage's",
        ))  # fmt: skip


def _at(column: str, found: CellProblem) -> CellProblem:
    found.field = column
    return found


def _column_for(refused: JourneyError) -> str:
    if isinstance(refused, InvalidTime):
        return "date"
    if isinstance(refused, NotAuthorised):
        return "agency"
    return "step"


def _from_runtime(refused: JourneyError) -> CellProblem:
    code = "bad-date" if isinstance(refused, InvalidTime) else "step-refused"
    hint = "sort each case's rows by date" if isinstance(refused, InvalidTime) else None
    expected = one_of(refused.allowed) if refused.allowed else None
    return CellProblem(code, str(refused), expected, hint)
