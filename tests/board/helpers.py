"""Journeys planned through the Hull pathway for the board report tests: who, when, which steps.

The figures the board report tests expect are worked out by hand from this plan. Imported as
`board.helpers` (`tests/` is on the path, and `tests/board` has no `__init__.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from pathways.board import BoardReport, parse_period
from pathways.definition.schema import Pathway
from pathways.store import JourneyStore

LONDON = ZoneInfo("Europe/London")
Q3 = parse_period("2021Q3")
MADE = datetime(2021, 10, 11, 9, 0, tzinfo=LONDON)

AGENCY = {
    "first-responder": "hull-city-council",
    "competent-authority": "single-competent-authority",
    "support-provider": "salvation-army",
    "adult-social-care": "hull-city-council",
    "childrens-social-care": "hull-city-council",
    "housing-authority": "hull-city-council",
    "police": "humberside-police",
    "hull-child-panel": "hull-child-panel",
}

ADULT_NRM = [
    ("start-assessment", timedelta(hours=1)),
    ("adult-to-consent-discussion", timedelta(days=1)),
    ("refer-adult-to-nrm", timedelta(days=2)),
    ("submit-adult-referral", timedelta(days=3)),
]
CHILD_NRM = [
    ("start-assessment", timedelta(hours=1)),
    ("refer-child-to-childrens-services", timedelta(days=1)),
    ("refer-child-to-nrm", timedelta(days=4)),
    ("submit-child-referral", timedelta(days=5)),
]
ADULT_DECLINES = [
    ("start-assessment", timedelta(hours=1)),
    ("adult-to-consent-discussion", timedelta(days=1)),
    ("offer-time-to-think", timedelta(days=2)),
    ("notify-home-office", timedelta(days=3)),
    ("offer-help-outside-nrm", timedelta(days=4)),
    ("close-outside-nrm", timedelta(days=5)),
]

#: Case references seeded into the store; none may appear in any output.
REFS: list[str] = []


@dataclass(frozen=True)
class Planned:
    ref: str
    profile: dict[str, str]
    opened: datetime
    steps: list[tuple[str, timedelta]]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON)


def plan() -> list[Planned]:
    """Every journey the store holds (see the module docstring and the expectations below)."""
    adult = {"age_group": "adult", "consent": "given"}
    child = {"age_group": "child", "consent": "given"}
    declines = {"age_group": "adult", "consent": "declined"}
    found: list[Planned] = []
    # A1-A6: adults who consent, opened 5-10 July; A1-A3 get a positive RG decision.
    for i in range(6):
        steps = list(ADULT_NRM)
        if i < 3:
            steps.append(("rg-positive", timedelta(days=6)))
        else:  # A4-A6 wait at rg-decision; A4's decision comes after the quarter
            steps += [("rg-positive", timedelta(days=92))] if i == 3 else []
        found.append(Planned(f"ZQX-A{i + 1:03d}", adult, _at(date(2021, 7, 5 + i)), steps))
    # C1-C5: children; C1-C3 opened in early August (late by 30 September), C4-C5 in September.
    for i, day in enumerate([date(2021, 8, 2), date(2021, 8, 3), date(2021, 8, 4)]):
        found.append(Planned(f"ZQX-C{i + 1:03d}", child, _at(day), list(CHILD_NRM)))
    for i, day in enumerate([date(2021, 9, 1), date(2021, 9, 2)]):
        found.append(Planned(f"ZQX-C{i + 4:03d}", child, _at(day), list(CHILD_NRM)))
    # D1-D2: adults who decline, opened in August, helped outside the NRM.
    for i in range(2):
        found.append(
            Planned(f"ZQX-D{i + 1:03d}", declines, _at(date(2021, 8, 16 + i)), ADULT_DECLINES)
        )
    # E1-E5: children opened in May whose decisions and child protection end in July.
    for i in range(5):
        opened = _at(date(2021, 5, 3 + i))
        steps = [
            *CHILD_NRM,
            ("rg-and-cg-positive", _at(date(2021, 7, 20)) - opened),
            ("conclude-child-protection", _at(date(2021, 7, 21)) - opened),
        ]
        found.append(Planned(f"ZQX-E{i + 1:03d}", child, opened, steps))
    # F1-F3: opened after the quarter.
    for i in range(3):
        found.append(Planned(f"ZQX-F{i + 1:03d}", adult, _at(date(2021, 10, 4 + i)), ADULT_NRM))
    # G1-G2: opened and closed before the quarter.
    for i in range(2):
        steps = [
            *ADULT_DECLINES,
            ("conclude-adult-safeguarding", timedelta(days=6)),
            ("housing-decision", timedelta(days=7)),
        ]
        found.append(Planned(f"ZQX-G{i + 1:03d}", declines, _at(date(2021, 4, 6 + i)), steps))
    return found


def drive(store: JourneyStore, pathway: Pathway, journey: Planned) -> None:
    store.create(journey.ref, journey.profile, at=journey.opened, by="hull-city-council")
    for trigger, after in journey.steps:
        handoff = pathway.handoffs[trigger]
        agency = next(
            AGENCY[who] if who in AGENCY else pathway.owner_agencies(who)[0] for who in handoff.by
        )
        store.handoff(
            journey.ref, trigger, by=agency, at=journey.opened + after, shares=handoff.shares
        )
        # A referral that requires acceptance is accepted by its receiver at once.
        for waiting in store.load(journey.ref).awaiting().values():
            receiver = pathway.owner_agencies(pathway.stages[handoff.to].owner)[0]
            store.accept(journey.ref, waiting.handoff, by=receiver, at=journey.opened + after)


def cells(report: BoardReport) -> dict[tuple[str, str, str], str]:
    """(table, row, column) -> the text shown."""
    return {
        (table.key, row.key, cell.column): cell.text
        for table in report.sections[0].tables
        for row in table.rows
        for cell in row.cells
    }


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[tuple[str, str, str], str] = {}
        self._at: tuple[str, str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        if tag == "td" and "data-row" in data:
            self._at = (data["data-table"] or "", data["data-row"] or "", data["data-column"] or "")
            self.found[self._at] = ""

    def handle_data(self, data: str) -> None:
        if self._at is not None:
            self.found[self._at] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._at = None


def html_cells(page: str) -> dict[tuple[str, str, str], str]:
    parser = _Cells()
    parser.feed(page)
    return parser.found
