"""The columns of the journeys spreadsheet, and how each cell is read against the pathway.

```text
case_ref  the case system's own code for the person, never a name or a date of birth
date      2025-04-03, 2025-04-03 14:30 or 03/04/2025 (3 April), London time
step      empty on a case's first row; then the handoff made, or the stage it arrived at;
          'accept' or 'decline: REASON' for the receiver's answer to a referral that waits
agency    an agency of the pathway, by id or by name
shares    the information items sent with the handoff, separated by ';'
<profile> one column per profile attribute of the pathway (age_group, ...)
```

Each reader returns the value or raises `CellProblem` with what was expected and a hint;
`pathways.board.importing` adds the row and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from pathways.board.cells import Value
from pathways.board.period import LONDON
from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.schema import Pathway
from pathways.runtime.guards import Value as ProfileValue

__all__ = [
    "COLUMNS",
    "CellProblem",
    "Columns",
    "agency_of",
    "columns_of",
    "looks_personal",
    "moment_of",
    "profile_value",
    "shares_of",
]

#: The columns every journeys spreadsheet has, with what each holds.
COLUMNS = {
    "case_ref": "the case system's own code for the person (letters, digits and . _ : / -); "
    "never a name or a date of birth",
    "date": "when it happened: 2025-04-03, or 2025-04-03 14:30 (London time); 03/04/2025 "
    "is read as 3 April 2025",
    "step": "on a case's first row leave it empty (the journey opens at the pathway's first "
    "stage); on later rows the handoff that was made, or the stage the person arrived at; "
    "'accept' or 'decline: REASON' when the agency a referral went to answers it",
    "agency": "the agency that did it, by its id or its name",
    "shares": "the information sent with the handoff, separated by ';' (may be empty)",
}
_OPTIONAL = ("shares",)
_YES, _NO = ("yes", "true", "y"), ("no", "false", "n")


class CellProblem(Exception):
    """A cell that cannot be read: `code`, `message`, what was `expected` and a `hint`;
    `column` (0-based) when the problem is about a column rather than one cell."""

    def __init__(
        self,
        code: str,
        message: str,
        expected: str | None = None,
        hint: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.expected, self.hint = code, message, expected, hint
        self.column = column
        #: The spreadsheet column it is about, by name, when the reader knows it.
        self.field: str | None = None


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each column is (0-based), by the name the template gives it."""

    places: Mapping[str, int]
    profile: Mapping[str, int]


def _key(heading: str) -> str:
    return re.sub(r"[\s-]+", "_", heading.strip().lower())


def columns_of(header: tuple[str, ...], pathway: Pathway) -> tuple[Columns, list[CellProblem]]:
    """The columns found in `header`, and a problem for each unknown or missing one."""
    known = {*COLUMNS, *pathway.profile}
    places: dict[str, int] = {}
    profile: dict[str, int] = {}
    problems: list[CellProblem] = []
    for index, heading in enumerate(header):
        key = _key(heading)
        if key in COLUMNS and key not in places:
            places[key] = index
        elif key in pathway.profile and key not in profile:
            profile[key] = index
        else:
            why = "appears twice" if key in known else "is not a column of the template"
            hint = did_you_mean(key, known) if key not in known else "remove one of them"
            problems.append(
                CellProblem("unknown-column", f"column '{heading}' {why}",
                            one_of(sorted(known)), hint, column=index)
            )  # fmt: skip
    for name in [*COLUMNS, *pathway.profile]:
        if name not in places and name not in profile and name not in _OPTIONAL:
            problems.append(
                CellProblem(
                    "missing-column",
                    f"the spreadsheet has no '{name}' column",
                    hint="start from the template that pathways template --pathway writes",
                )
            )
    return Columns(places, profile), problems


_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?")


def moment_of(cell: Value) -> datetime:
    """The London time a date cell stands for (a date alone: the start of that day)."""
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=LONDON) if cell.tzinfo is None else cell
    if isinstance(cell, date):
        return datetime.combine(cell, time(0), tzinfo=LONDON)
    text = cell.strip()
    found = _ISO.fullmatch(text)
    parts: tuple[str | None, ...] | None = None
    if found:
        parts = found.groups()
    elif found := _DAY_FIRST.fullmatch(text):
        day, month, year, hour, minute = found.groups()
        parts = (year, month, day, hour, minute)
    if parts is None:
        raise CellProblem(
            "bad-date",
            f"'{text}' is not a date" if text else "the date is empty",
            "a date such as 2025-04-03 or 03/04/2025, with a time if known (2025-04-03 14:30)",
        )
    year, month, day, hour, minute = parts
    try:
        return datetime(
            int(year or 0), int(month or 0), int(day or 0), int(hour or 0), int(minute or 0),
            tzinfo=LONDON,
        )  # fmt: skip
    except ValueError as exc:
        raise CellProblem("bad-date", f"'{text}' is not a real date ({exc})") from None


def agency_of(cell: Value, pathway: Pathway) -> str:
    """The agency id a cell names, by id or (in any case) by name."""
    text = str(cell).strip()
    if text in pathway.agencies:
        return text
    by_name = {a.name.lower(): key for key, a in pathway.agencies.items()}
    if text.lower() in by_name:
        return by_name[text.lower()]
    raise CellProblem(
        "unknown-agency",
        f"'{text}' is not an agency of this pathway" if text else "the agency is empty",
        one_of(sorted(pathway.agencies)),
        did_you_mean(text, [*pathway.agencies, *(a.name for a in pathway.agencies.values())]),
    )


def shares_of(cell: Value, pathway: Pathway) -> tuple[str, ...]:
    """The information items named in a shares cell."""
    names = [n.strip() for n in re.split(r"[;,]", str(cell)) if n.strip()]
    for name in names:
        if name not in pathway.information:
            raise CellProblem(
                "unknown-information",
                f"'{name}' is not an information item of this pathway",
                one_of(sorted(pathway.information)),
                did_you_mean(name, pathway.information),
            )
    return tuple(dict.fromkeys(names))


def profile_value(cell: Value, attribute: str, pathway: Pathway) -> ProfileValue:
    """A profile attribute's value as written in its column."""
    declared = pathway.profile[attribute]
    text = str(cell).strip()
    if declared.flag:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        expected = "yes or no"
    else:
        if text in declared.values:
            return text
        expected = one_of(declared.values)
    raise CellProblem(
        "bad-profile-value",
        f"'{text}' is not a value of {attribute}" if text else f"{attribute} is empty",
        expected,
        did_you_mean(text, declared.values) if not declared.flag else None,
    )


_NAME = re.compile(r"[A-Za-z]{2,}(?:[ ._'-]+[A-Za-z]{2,})+")
_DATES = (
    re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])[./-](0?[1-9]|1[0-2])[./-](19|20)?\d{2}(?!\d)"),
    re.compile(r"(?<!\d)(19|20)\d{2}[./-]?(0[1-9]|1[0-2])[./-]?(0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(19|20)\d{2}(?!\d)"),
)


def looks_personal(case_ref: str) -> str | None:
    """What a case reference looks like if it might identify someone: a name or a date."""
    if _NAME.fullmatch(case_ref):
        return "a name"
    if any(pattern.search(case_ref) for pattern in _DATES):
        return "a date of birth"
    return None
