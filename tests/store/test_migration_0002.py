"""Revision 0002 on a database written by the release before it (schema revision 0001).

`data/release_0001.json` holds every row that release's code wrote (see
`data/make_release_0001.py`). Each test builds the 0001 schema with the migration itself, puts
those rows back, and opens the store of today, which upgrades it: every journey still verifies,
keeps its pathway version, and takes the new events (with a staff reference) on top.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pathways.errors import InvalidTime
from pathways.store import JourneyStore, check_database, rebuild
from pathways.store.migrations import current, head
from store.helpers import LONDON, MONDAY, Database, compiled_v1, restore_release

RELEASE = Path(__file__).parent / "data" / "release_0001.json"


def _release_database(database: Database) -> None:
    restore_release(database, RELEASE, "0001")


def test_a_release_database_upgrades_and_still_verifies(database: Database) -> None:
    _release_database(database)
    assert current(database.url, database.prefix) == "0001"
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert current(database.url, database.prefix) == head()
        assert check_database(store) == []
        assert store.load("REL-1").closed
        assert store.load("REL-2").compiled.fingerprint == compiled_v1().fingerprint
        applied = store.handoff(
            "REL-2", "refer-to-nrm", by="council", at=MONDAY + timedelta(hours=2), staff="sw-7"
        )
        assert applied.events[0].staff == "sw-7"
        assert store.events("REL-2")[-1].staff == "sw-7"
        assert rebuild(store, "REL-2") == store.load("REL-2")
        assert check_database(store) == []


def test_the_clocks_go_back_hour_is_kept_in_order(database: Database) -> None:
    _release_database(database)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        # The release stored REL-3 at 01:30 BST and 01:30 GMT; 01:50 GMT comes after both.
        later = datetime(2025, 10, 26, 1, 50, fold=1, tzinfo=LONDON)
        store.handoff("REL-3", "reconsider", by="council", at=later)
        # 01:55 BST is later by the wall clock but an hour earlier in real time: refused, so
        # no out-of-order event is ever written.
        earlier = datetime(2025, 10, 26, 1, 55, fold=0, tzinfo=LONDON)
        with pytest.raises(InvalidTime, match="before the last event"):
            store.handoff("REL-3", "assess", by="council", at=earlier)
        assert [e.at.isoformat() for e in store.events("REL-3")][-1] == "2025-10-26T01:50:00+00:00"
        assert check_database(store) == []
