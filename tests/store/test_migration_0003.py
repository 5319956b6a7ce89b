"""Revision 0003 (the trusted record) on a database written by the release before it (0002).

`data/release_0002.json` holds every row that release's code wrote (see
`data/make_release_0002.py`): unkeyed chains, no recorded times, a roll-out. Each test builds
the 0002 schema with the migrations themselves, puts those rows back, and opens the store of
today: every journey still verifies; its events written before keep no recorded time (none
is made up); a store given a key reports the old journeys as not protected until they take a
key change (on their next change, or all at once with `rekey`), after which an edit of an old
event is caught.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from pathways.store import (
    AuditKey,
    JourneyStore,
    check_database,
    rekey,
)
from pathways.store.migrations import current, downgrade, head, upgrade
from pathways.store.rebuild import UNPROTECTED
from store.helpers import MONDAY, Database, restore_release

RELEASE = Path(__file__).parent / "data" / "release_0002.json"
KEY = AuditKey("k1", b"the-key-introduced-after-the-release-0123")
REFS = ["R2-1", "R2-2", "R2-3"]


def _release_database(database: Database) -> None:
    restore_release(database, RELEASE, "0002")


def test_a_release_database_upgrades_and_still_verifies(database: Database) -> None:
    _release_database(database)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert current(database.url, database.prefix) == head() == "0003"
        assert check_database(store) == []
        assert all(r.recorded_at is None for ref in REFS for r in store.recorded(ref))
        assert store.recorded("R2-1")[0].staff == "sw-1"
        assert store.late(timedelta(0)) == []  # nothing old is called late: its time is unknown
        with store.reading() as conn:
            j = store.tables.journeys
            assert conn.execute(select(j.c.audit_key)).scalars().all() == [None] * 3
        # an unkeyed store goes on writing unkeyed links, now with a recorded time
        store.handoff("R2-2", "refer-to-nrm", by="council", at=MONDAY + timedelta(hours=2))
        assert store.recorded("R2-2")[-1].recorded_at is not None
        assert check_database(store) == []


def test_a_key_protects_old_journeys_from_their_key_change_on(database: Database) -> None:
    _release_database(database)
    with JourneyStore(database.url, prefix=database.prefix, audit_key=KEY) as store:
        assert [(f.case_ref, f.event, f.message) for f in check_database(store)] == [
            (ref, 0, UNPROTECTED) for ref in REFS
        ]
        # the first keyed change of a journey records the key change, then the event
        store.handoff("R2-2", "refer-to-nrm", by="council", at=MONDAY + timedelta(hours=2))
        assert [f.case_ref for f in check_database(store)] == ["R2-1", "R2-3"]
        assert rekey(store) == (2, [])
        assert check_database(store) == []
        # after the key change, an edit of an event recorded before it is caught
        e = store.tables.events
        with store.engine.begin() as conn:
            conn.execute(
                update(e).where(e.c.case_ref == "R2-3", e.c.seq == 0).values(agency="council")
            )
        [finding] = check_database(store)
        assert (finding.case_ref, finding.event) == ("R2-3", 0)


def test_undoing_the_upgrade_loses_the_recorded_times_and_says_so(database: Database) -> None:
    _release_database(database)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        store.handoff("R2-2", "refer-to-nrm", by="council", at=MONDAY + timedelta(hours=2))
    downgrade(database.url, database.prefix, "0002")
    assert current(database.url, database.prefix) == "0002"
    upgrade(database.url, database.prefix)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        # the recorded time was dropped with its column; the unkeyed chain of the event written
        # with it no longer matches, and says so
        [finding] = check_database(store)
        assert (finding.case_ref, finding.event) == ("R2-2", 3)
