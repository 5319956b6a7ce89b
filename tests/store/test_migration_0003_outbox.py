"""The outbox (revision 0003) on a database written by the release before issue 16 (schema 0002).

`data/release_0002.json` holds every row that release's code wrote (see
`data/make_release_0002.py`). Each test builds the 0002 schema with the migrations
themselves,
puts those rows back, and opens the store of today, which upgrades it: every journey still
verifies, the history written before the upgrade is not told again (the outbox starts empty),
and every change from then on is told.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, inspect, select

from pathways.store import JourneyStore, build_tables, check_database, create_engine
from pathways.store.migrations import current, downgrade, head
from store.helpers import MONDAY, Database, restore_release

RELEASE = Path(__file__).parent / "data" / "release_0002.json"


def _release_database(database: Database) -> None:
    restore_release(database, RELEASE, "0002")


def test_a_release_database_upgrades_tells_only_what_happens_next(database: Database) -> None:
    _release_database(database)
    assert current(database.url, database.prefix) == "0002"
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert current(database.url, database.prefix) == head()
        assert check_database(store) == []
        assert store.outbox.size() == 0
        assert store.outbox.pending("webhooks") == 0
        assert not store.outbox.claim("webhooks")
        later = MONDAY + timedelta(days=2)
        applied = store.handoff("R2-2", "reconsider", by="council", at=later, key="r2-2-b")
        assert store.handoff(
            "R2-2", "reconsider", by="council", at=later, key="r2-2-b"
        ).replayed  # a replayed request is not told twice
        store.tick("R2-3", later)  # nothing due: nothing told
        rolled = store.handoff("R2-3", "reconsider", by="council", at=later)  # on version 2
        batch = store.outbox.claim("webhooks")
        assert [(i.case_ref, i.seq, i.version) for i in batch] == [
            ("R2-2", applied.events[0].seq, "1"),
            ("R2-3", rolled.events[0].seq, "2"),
        ]
        assert batch.items[0].event == applied.events[0].to_dict()
        store.outbox.ack(batch)
        assert check_database(store) == []


def test_the_outbox_downgrades_away_and_the_journeys_stay(database: Database) -> None:
    _release_database(database)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        store.handoff("R2-2", "reconsider", by="council", at=MONDAY + timedelta(days=2))
        mine = {t.name for t in (store.tables.outbox, store.tables.outbox_cursors)}
    downgrade(database.url, database.prefix, "0002")  # the revision before issue 16
    engine = create_engine(database.url)
    try:
        with engine.connect() as conn:
            assert not mine & set(inspect(conn).get_table_names())
            events = build_tables(database.prefix).events
            assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 10
    finally:
        engine.dispose()
    with JourneyStore(database.url, prefix=database.prefix) as store:  # upgrades again
        # only the journey changed under 0003 fails: its event's recorded time was dropped
        assert {finding.case_ref for finding in check_database(store)} == {"R2-2"}
        assert store.outbox.size() == 0
