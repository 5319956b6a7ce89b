"""A bank holiday announced after due dates were stored: `db verify` says they are out of date
without reporting a problem, and `db refresh-deadlines` works them out again from the events,
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest

from pathways.cli import main
from pathways.runtime import deadlines, working_days
from pathways.runtime.compiler import CompiledPathway
from pathways.store import JourneyStore, check_database
from pathways.store.refresh import refresh_deadlines
from runtime.lifecycle_pathway import MONDAY
from store.helpers import Database
from store.worklist_oracle import runtime_positions, stored_positions
from store.worklist_pathway import compiled_worklists

DAY = timedelta(days=1)
#: Wednesday 5 March 2025: not a bank holiday, until the test announces it.
NEW_HOLIDAY = date(2025, 3, 5)


def _forget_days() -> None:
    working_days.add_working_days.cache_clear()
    deadlines._remembered.cache_clear()


@pytest.fixture
def announce(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Announce a new bank holiday on `NEW_HOLIDAY` (the calendar `holidays` gives, plus it)."""
    original = working_days._bank_holidays

    def with_new(year: int) -> dict[date, str]:
        found = dict(original(year))
        if year == NEW_HOLIDAY.year:
            found[NEW_HOLIDAY] = "A newly announced bank holiday"
        return found

    def announced() -> None:
        monkeypatch.setattr(working_days, "_bank_holidays", with_new)
        _forget_days()

    yield announced
    monkeypatch.undo()
    _forget_days()


@pytest.fixture
def store(database: Database) -> Iterator[JourneyStore]:
    compiled: CompiledPathway = compiled_worklists()
    with JourneyStore(database.url, pathways=[compiled], prefix=database.prefix) as opened:
        yield opened


def test_a_new_bank_holiday_is_out_of_date_not_a_problem_until_refreshed(
    store: JourneyStore,
    database: Database,
    announce: Callable[[], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for ref in ("CAL-1", "CAL-2", "CAL-3"):
        store.create(ref, {"consent": "given"}, at=MONDAY, by="council")
        store.handoff(ref, "refer", by="council", at=MONDAY)
        store.accept(ref, "refer", by="home-office", at=MONDAY)
    # CAL-2's clock was paused over the new holiday: it held 5 working days, now 4
    store.pause("CAL-2", reason="victim-uncontactable", by="home-office", at=MONDAY)
    store.resume("CAL-2", by="home-office", at=MONDAY + 7 * DAY)
    store.withdraw("CAL-3", reason="victim-withdraws-consent", by="council", at=MONDAY + DAY)
    # the decision (5 working days from Monday 3 March) is due on Monday 10 March
    tuesday = MONDAY + 8 * DAY
    overdue = store.worklist("home-office", at=tuesday, overdue=True).items
    assert [i.case_ref for i in overdue] == ["CAL-1"]

    announce()  # ... and now it is due on Tuesday 11 March
    assert store.load("CAL-1").overdue(tuesday) == ()
    findings = check_database(store)
    assert {f.case_ref for f in findings} == {"CAL-1", "CAL-2"}  # CAL-3 has no limit running
    assert all(f.stale for f in findings)
    assert any("lifecycle" in f.message for f in findings)  # CAL-2's held working days
    args = ["--prefix", database.prefix]
    assert main(["db", "verify", database.url, *args]) == 0
    out, err = capsys.readouterr()
    assert "ok: 3 journey(s) verified" in out
    assert "due dates of 2 journey(s) are out of date" in err
    assert "pathways db refresh-deadlines" in err

    assert main(["db", "refresh-deadlines", database.url, *args, "--batch", "2"]) == 0
    out, err = capsys.readouterr()
    assert out == "2 of 3 journey(s) had due dates out of date: written\n"
    assert check_database(store) == []
    for ref in ("CAL-1", "CAL-2", "CAL-3"):
        assert stored_positions(store, ref) == runtime_positions(store.load(ref))
    assert store.worklist("home-office", at=tuesday, overdue=True).items == ()
    assert store.find(agency="home-office", overdue_at=tuesday).case_refs == ()
    wednesday = tuesday + DAY
    overdue = store.worklist("home-office", at=wednesday, overdue=True).items
    assert [i.case_ref for i in overdue] == ["CAL-1"]
    assert refresh_deadlines(store).changed == 0  # nothing left to do


def test_a_tampered_journey_is_skipped_not_refreshed(
    store: JourneyStore, announce: Callable[[], None]
) -> None:
    from sqlalchemy import update

    store.create("CAL-1", {"consent": "given"}, at=MONDAY, by="council")
    store.handoff("CAL-1", "refer", by="council", at=MONDAY)
    e = store.tables.events
    with store.engine.begin() as conn:
        conn.execute(update(e).where(e.c.case_ref == "CAL-1", e.c.seq == 1).values(agency="x"))
    announce()
    done = refresh_deadlines(store)
    assert (done.checked, done.changed, done.skipped) == (1, 0, 1)
    assert [f.stale for f in check_database(store)] == [False]
