"""The starting state: cases already open on day 0, each with its stage, profile and referral date.

A scenario's `backlog_table` is a table with one row per group of open cases, written in the
scenario or kept beside it as a CSV or YAML file:

```yaml
backlog_table: hull-open-cases.csv          # beside the scenario file
backlog_table:                              # or written in the scenario
  - {stage: cg-decision, referred: 2023-03-14, cases: 12, age_group: adult}
  - {stage: rg-decision, referred: 2023-12-20}
```

```text
stage,referred,cases,age_group
cg-decision,2023-03-14,12,adult
rg-decision,2023-12-20,1,
```

`stage` and `referred` are required; `cases` defaults to 1; any other column names a profile
attribute of the pathway, and a blank (or missing) value is drawn from the scenario's `profile`.
Each case keeps its referral date, so times from referral count from it, not from day 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from pathways.definition.located import DEFAULT_LIMITS
from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.profiles import Value
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.definition.yaml_reader import read_file
from pathways.errors import DefinitionError, Location, Problem
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.mix import value_names

__all__ = ["StartingCase", "starting_cases"]

#: The most cases one table may open (bounded work on a hostile file).
MAX_CASES = 5_000_000
_REQUIRED = ("stage", "referred")


@dataclass(frozen=True, slots=True)
class StartingCase:
    """A group of `cases` open on day 0 at `stage`, referred on `referred`, with the profile
    values given (the others drawn from the scenario's profile)."""

    stage: str
    referred: date
    cases: int
    profile: tuple[tuple[str, Value], ...]


@dataclass
class _Reader:
    pathway: Pathway
    start: date
    problems: list[Problem]

    def row(self, row: Mapping[str, object], at: Mapping[str, Location]) -> StartingCase | None:
        where = at.get("", next(iter(at.values()), None))
        missing = [key for key in _REQUIRED if row.get(key) in (None, "")]
        for key in missing:
            self.problems.append(
                Problem(
                    "bad-backlog-table",
                    f"a row of the backlog table has no '{key}'",
                    where,
                    expected="'stage' and 'referred' on every row",
                    hint="write, for example, 'cg-decision,2023-03-14,12'",
                )
            )
        if missing:
            return None
        stage = self.stage(row["stage"], at.get("stage", where))
        referred = self.date(row, at.get("referred", where))
        cases = self.cases(row.get("cases"), at.get("cases", where))
        profile = self.profile(row, at)
        if stage is None or referred is None or cases is None or profile is None:
            return None
        return StartingCase(stage, referred, cases, profile)

    def stage(self, value: object, at: Location | None) -> str | None:
        stages = self.pathway.stages
        name = str(value).strip()
        choices = [n for n, s in stages.items() if s.track == MAIN_TRACK and s.kind != "outcome"]
        if name in choices:
            return name
        self.problems.append(
            Problem(
                "bad-backlog-table",
                f"'{name}' is not a stage of the main track where a case can wait",
                at,
                expected=one_of(choices),
                hint=did_you_mean(name, choices) or "open cases start on the main track",
            )
        )
        return None

    def date(self, row: Mapping[str, object], at: Location | None) -> date | None:
        try:
            referred = date.fromisoformat(str(row["referred"]).strip())
        except ValueError:
            referred = None
        if referred is not None and referred <= self.start:
            return referred
        self.problems.append(
            Problem(
                "bad-backlog-table",
                f"the referral date '{row['referred']}' is not a date on or before the start "
                f"({self.start})",
                at,
                expected="a date written YYYY-MM-DD, no later than the scenario's start",
                hint="cases referred after the start are arrivals, not backlog",
            )
        )
        return None

    def cases(self, value: object, at: Location | None) -> int | None:
        if value in (None, ""):
            return 1
        text = str(value).strip()
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        if isinstance(value, str) and text.isdigit() and int(text) >= 1:
            return int(text)
        self.problems.append(
            Problem(
                "bad-backlog-table",
                f"'cases' should be a whole number of cases, 1 or more, not '{value}'",
                at,
                expected="a whole number such as 12",
                hint="leave it out for a single case",
            )
        )
        return None

    def profile(
        self, row: Mapping[str, object], at: Mapping[str, Location]
    ) -> tuple[tuple[str, Value], ...] | None:
        found: list[tuple[str, Value]] = []
        ok = True
        for key, raw in row.items():
            if key in (*_REQUIRED, "cases") or raw in (None, ""):
                continue
            attribute = self.pathway.profile.get(key)
            if attribute is None:
                self.problems.append(
                    Problem(
                        "bad-backlog-table",
                        f"'{key}' is not a column of a backlog table",
                        at.get(key),
                        expected=one_of(["stage", "referred", "cases", *self.pathway.profile]),
                        hint=did_you_mean(key, list(self.pathway.profile))
                        or "other columns name profile attributes of the pathway",
                    )
                )
                ok = False
                continue
            names = value_names(attribute)
            text = str(raw).strip().lower() if isinstance(raw, bool) else str(raw).strip()
            if text not in names:
                self.problems.append(
                    Problem(
                        "bad-backlog-table",
                        f"'{text}' is not a value of profile attribute '{key}'",
                        at.get(key),
                        expected=one_of(list(names)),
                        hint="leave it blank to draw it from the scenario's profile",
                    )
                )
                ok = False
                continue
            found.append((key, names[text]))
        return tuple(sorted(found)) if ok else None


def _table_file(name: str, at: Location | None) -> Path:
    """The file a scenario names: beside the scenario file that names it, never outside it."""
    relative = PurePosixPath(name)
    where = Path(at.path).parent if at is not None and at.path != "<scenario>" else Path.cwd()
    if relative.is_absolute() or ".." in relative.parts or relative.suffix not in (".csv", ".yaml"):
        raise DefinitionError(
            [
                Problem(
                    "bad-backlog-table",
                    f"'{name}' is not a CSV or YAML file name in the scenario's folder",
                    at,
                    expected="a file name ending .csv or .yaml, in the scenario's folder or below",
                    hint="keep the table beside the scenario, such as 'hull-open-cases.csv'",
                )
            ]
        )
    return where / relative


def _csv_rows(path: Path) -> list[tuple[dict[str, object], dict[str, Location]]]:
    start = Location(str(path), 1, 1)
    if not path.is_file():
        raise DefinitionError(
            [
                Problem(
                    "cannot-read",
                    "the backlog table is not a file I can read",
                    start,
                    hint="check the file name, beside the scenario file",
                )
            ]
        )
    with path.open("rb") as handle:
        text = handle.read(DEFAULT_LIMITS.max_bytes + 1)
    if len(text) > DEFAULT_LIMITS.max_bytes:
        raise DefinitionError([Problem("file-too-large", "the backlog table is too large", start)])
    reader = csv.reader(io.StringIO(text.decode("utf-8-sig")))
    header = [name.strip() for name in next(reader, [])]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        at = {key: Location(str(path), number, column + 1) for column, key in enumerate(header)}
        at[""] = Location(str(path), number, 1)
        row: dict[str, object] = dict(zip(header, cells, strict=False))
        rows.append((row, at))
    return rows


def _yaml_rows(
    data: object, positions: object, prefix: tuple[str | int, ...]
) -> list[tuple[dict[str, object], dict[str, Location]]]:
    from pathways.definition.located import Positions

    assert isinstance(positions, Positions)
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise DefinitionError(
            [
                Problem(
                    "bad-backlog-table",
                    "the backlog table should be a list of rows, each a set of keys and values",
                    positions.nearest(prefix),
                    expected="rows such as {stage: cg-decision, referred: 2023-03-14, cases: 12}",
                )
            ]
        )
    rows = []
    for index, row in enumerate(data):
        at = {str(key): positions.nearest((*prefix, index, key)) for key in row}
        at[""] = positions.nearest((*prefix, index))
        rows.append(({str(k): v for k, v in row.items()}, at))
    return rows


def starting_cases(pathway: Pathway, scenario: Scenario) -> tuple[StartingCase, ...]:
    """The rows of the scenario's `backlog_table`; problems raise `DefinitionError`."""
    document = scenario.document
    table = document.backlog_table
    if table is None or document.start is None:
        return ()
    place = scenario.places.get(("backlog_table", ""))
    at = scenario.location("backlog_table")
    if isinstance(table, str):
        path = _table_file(table, at)
        if path.suffix == ".csv":
            rows = _csv_rows(path)
        else:
            source = read_file(path)
            rows = _yaml_rows(source.data, source.positions, ())
    elif place is None:  # made by a program (`--from-store`), not written in a file
        rows = [(dict(row), {}) for row in table]
    else:
        rows = _yaml_rows(list(table), place[0], ("backlog_table",))
    reader = _Reader(pathway, document.start, [])
    found = [case for row, where in rows if (case := reader.row(row, where)) is not None]
    if sum(case.cases for case in found) > MAX_CASES:
        reader.problems.append(
            Problem(
                "bad-backlog-table",
                f"the backlog table opens more than {MAX_CASES:,} cases",
                at,
                hint="a starting state is the cases open today: check the 'cases' column",
            )
        )
    if reader.problems:
        raise DefinitionError(reader.problems)
    return tuple(found)
