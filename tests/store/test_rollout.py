"""Rolling a new pathway version out to in-flight journeys; schema migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from pathways.cli import main
from pathways.errors import AuditFailure, RolloutError, StoreError
from pathways.store import JourneyStore, check_database, create_engine, plan_rollout, rollout
from pathways.store.migrations import current, downgrade, existing_revision, head, upgrade
from pathways.store.rebuild import rebuild
from store.helpers import (
    ADULT,
    CHILD,
    MONDAY,
    Database,
    compiled_v2,
)


def in_flight(store: JourneyStore) -> None:
    store.create("RO-1", ADULT, at=MONDAY, by="council")
    store.handoff("RO-1", "assess", by="council", at=MONDAY)
    store.create("RO-2", CHILD, at=MONDAY, by="council")
    store.handoff("RO-2", "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    store.create("RO-3", ADULT, at=MONDAY, by="council")
    store.create("RO-4", ADULT, at=MONDAY, by="council")
    store.handoff("RO-4", "notify", by="council", at=MONDAY)  # closed: not rolled out


def test_a_dry_run_reports_moves_and_journeys_that_cannot_move(store: JourneyStore) -> None:
    in_flight(store)
    plan = plan_rollout(store, compiled_v2(), {})
    assert plan.journeys == ("RO-1", "RO-2", "RO-3")
    assert not plan.ok
    assert not plan.applied
    [problem] = plan.unmapped
    assert (problem.case_ref, problem.track, problem.stage) == ("RO-1", "main", "assessment")
    assert "no stage 'assessment'" in problem.reason
    plan = plan_rollout(store, compiled_v2(), {"assessment": "triage"})
    assert plan.ok
    assert [(m.case_ref, m.track, m.from_stage, m.to_stage) for m in plan.moves] == [
        ("RO-1", "main", "assessment", "triage"),
        ("RO-2", "main", "nrm-referral", "nrm-referral"),
        ("RO-2", "police", "crime-recorded", "crime-recorded"),
        ("RO-3", "main", "identified", "identified"),
    ]
    assert store.load("RO-1").pathway.version == "1"  # a dry run moves nothing


def test_nothing_moves_unless_every_journey_maps(store: JourneyStore) -> None:
    in_flight(store)
    before = {c: store.revision(c) for c in ("RO-1", "RO-2", "RO-3")}
    with pytest.raises(RolloutError, match="RO-1"):
        rollout(store, compiled_v2(), {}, at=MONDAY)
    with pytest.raises(RolloutError, match="on the police track"):
        rollout(store, compiled_v2(), {"assessment": "crime-recorded"}, at=MONDAY)
    assert {c: store.revision(c) for c in before} == before
    assert {store.load(c).pathway.version for c in before} == {"1"}
    assert check_database(store) == []


def test_a_roll_out_moves_every_journey_and_keeps_the_record(store: JourneyStore) -> None:
    in_flight(store)
    plan = rollout(store, compiled_v2(), {"assessment": "triage"}, at=MONDAY)
    assert plan.applied
    moved = store.load("RO-1")
    assert moved.pathway.version == "2"
    assert moved.stage == "triage"
    assert store.revision("RO-1") == 3
    assert store.load("RO-4").pathway.version == "1"
    store.handoff("RO-1", "reconsider", by="council", at=MONDAY)
    assert rebuild(store, "RO-1") == store.load("RO-1")
    assert check_database(store) == []
    assert store.at_stage("triage").case_refs == ()
    assert store.at_stage("identified", pathway="test/store").case_refs == ("RO-1", "RO-3")
    assert plan_rollout(store, compiled_v2(), {}).journeys == ()  # all on version 2 now


def test_a_roll_out_record_is_in_the_chain(store: JourneyStore) -> None:
    in_flight(store)
    rollout(store, compiled_v2(), {"assessment": "triage"}, at=MONDAY)
    with store.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE {store.tables.prefix}rollouts SET moves = '{{}}' WHERE case_ref = 'RO-1'")
        )
    with pytest.raises(AuditFailure) as caught:
        store.verify("RO-1")
    assert caught.value.event == 2  # the roll-out came before event 2


def test_existing_revision_creates_no_database_and_names_what_is_wrong(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    with pytest.raises(StoreError, match="no such database file"):
        existing_revision(f"sqlite:///{missing}")
    assert not missing.exists()
    with pytest.raises(StoreError, match="is not a database URL"):
        existing_revision("not a url")
    with pytest.raises(StoreError, match=r"store.sqlite3 cannot be created \(No such file"):
        current(f"sqlite:///{tmp_path}/no-such-folder/store.sqlite3")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert existing_revision(f"sqlite:///{empty}") is None
    upgrade(f"sqlite:///{empty}")
    assert existing_revision(f"sqlite:///{empty}") == head()


def test_upgrade_creates_the_tables_the_store_uses(database: Database) -> None:
    assert current(database.url, database.prefix) is None
    upgrade(database.url, database.prefix)
    upgrade(database.url, database.prefix)  # a second upgrade does nothing
    assert current(database.url, database.prefix) == head()
    store = JourneyStore(database.url, prefix=database.prefix, upgrade=False)
    mine = {t.name for t in store.tables.all}
    with store.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        assert mine <= names
        context = MigrationContext.configure(conn)
        differences = [
            d
            for d in compare_metadata(context, store.tables.metadata)
            if not (d[0] == "remove_table" and d[1].name not in mine)
            and not (d[0] == "remove_index" and d[1].table.name not in mine)
        ]
    assert differences == []
    store.close()
    downgrade(database.url, database.prefix)
    engine = create_engine(database.url)
    with engine.connect() as conn:
        assert not mine & set(inspect(conn).get_table_names())
    engine.dispose()


def test_pathways_db_upgrade(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["db", "upgrade", database.url, "--prefix", database.prefix]
    assert main(args) == 0
    assert f"to revision {head()}" in capsys.readouterr().out
    assert main(args) == 0
    assert f"already at revision {head()}" in capsys.readouterr().out
    assert main(["db", "upgrade", database.url, "--prefix", "Bad Prefix"]) == 2
    assert "prefix" in capsys.readouterr().err
