"""Revision 0003 on a database written by the release before it (schema revision 0002).

`data/release_0002_worklists.json` holds every row that release's code wrote (see
`data/make_release_0002_worklists.py`): referrals awaiting acceptance, paused and resumed
clocks, a second
track, a journey closed early. Each test builds the 0002 schema with the migrations, puts those
rows back, and opens the store of today, which upgrades it: every position gets the due date,
pause, referral and work state the runtime gives it, every version its stage owners, and the
worklists answer at once.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pathways.store import JourneyStore, check_database
from pathways.store.migrations import current, downgrade, head, upgrade
from runtime.lifecycle_pathway import MONDAY
from store.helpers import Database, restore_release
from store.worklist_oracle import brute_worklist, runtime_positions, stored_positions

RELEASE = Path(__file__).parent / "data" / "release_0002_worklists.json"
DAY = timedelta(days=1)


def _release_database(database: Database) -> None:
    restore_release(database, RELEASE, "0002")


def test_a_release_database_gets_its_work_state_and_still_verifies(database: Database) -> None:
    _release_database(database)
    assert current(database.url, database.prefix) == "0002"
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert current(database.url, database.prefix) == head()
        refs = store.case_refs()
        assert refs == ["R2-1", "R2-2", "R2-3", "R2-4", "R2-5"]
        for ref in refs:
            assert stored_positions(store, ref) == runtime_positions(store.load(ref)), ref
        assert check_database(store) == []
        loaded = [store.load(ref) for ref in refs]
        at = MONDAY + 20 * DAY
        for agency in ("council", "constabulary", "home-office", "charity"):
            for overdue in (False, True):
                found = [
                    (i.case_ref, i.track, i.stage)
                    for i in store.worklist(agency, at=at, overdue=overdue, limit=1000).items
                ]
                assert found == brute_worklist(loaded, agency, at, overdue=overdue)
        waiting = store.worklist("home-office", at=at, awaiting_acceptance=True).items
        assert [(i.case_ref, i.referral) for i in waiting] == [("R2-1", "refer")]
        paused = {i.case_ref: i.paused for i in store.worklist("home-office", at=at).items}
        assert paused == {"R2-1": False, "R2-2": True, "R2-3": False}  # R2-4 closed early
        # the store goes on writing the new columns
        store.resume("R2-2", by="home-office", at=MONDAY + 9 * DAY)
        assert stored_positions(store, "R2-2") == runtime_positions(store.load("R2-2"))
        assert check_database(store) == []


def test_the_revision_goes_down_again(database: Database) -> None:
    _release_database(database)
    upgrade(database.url, database.prefix)
    downgrade(database.url, database.prefix, "0002")
    assert current(database.url, database.prefix) == "0002"
    upgrade(database.url, database.prefix)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert check_database(store) == []
