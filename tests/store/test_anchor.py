"""Anchors: journeys deleted, cut back or rewritten since the anchor are found and named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from pathways.cli import main
from pathways.errors import AuditKeyError
from pathways.runtime.compiler import CompiledPathway
from pathways.store import (
    AuditKey,
    AuditKeys,
    JourneyStore,
    check_anchor,
    check_database,
    read_anchor,
    write_anchor,
)
from store.forge import forge
from store.helpers import CHILD, MONDAY, Database

K1 = AuditKey("k1", b"first-secret-key-long-enough-to-use-0123456")
KEYS = AuditKeys([K1])


@pytest.fixture
def keyed(database: Database, compiled: CompiledPathway) -> Iterator[JourneyStore]:
    with JourneyStore(
        database.url, pathways=[compiled], prefix=database.prefix, audit_key=K1
    ) as opened:
        yield opened


def journey(store: JourneyStore, case_ref: str) -> None:
    store.create(case_ref, CHILD, at=MONDAY, by="council")
    for hours, trigger in enumerate(["assess", "reconsider", "assess"], 1):
        store.handoff(case_ref, trigger, by="council", at=MONDAY + timedelta(hours=hours))


def delete_journey(store: JourneyStore, case_ref: str) -> None:
    t = store.tables
    with store.engine.begin() as conn:
        for table in (t.events, t.positions, t.rollouts, t.key_changes, t.requests, t.journeys):
            conn.execute(delete(table).where(table.c.case_ref == case_ref))


def anchored(store: JourneyStore, tmp_path: Path) -> Path:
    path = tmp_path / "anchor.json"
    assert write_anchor(store, path) == 3
    return path


def findings(store: JourneyStore, path: Path) -> list[tuple[str, int | None, str]]:
    return [(f.case_ref, f.event, f.message) for f in check_anchor(store, read_anchor(path, KEYS))]


@pytest.fixture
def three(keyed: JourneyStore, tmp_path: Path) -> Path:
    for case_ref in ("AN-1", "AN-2", "AN-3"):
        journey(keyed, case_ref)
    return anchored(keyed, tmp_path)


def test_a_deleted_journey_is_found_only_with_the_anchor(keyed: JourneyStore, three: Path) -> None:
    delete_journey(keyed, "AN-2")
    assert check_database(keyed) == []  # what is left is consistent
    [(case_ref, event, message)] = findings(keyed, three)
    assert (case_ref, event) == ("AN-2", None)
    assert "deleted since the anchor" in message
    assert "4 events" in message


def test_a_journey_cut_back_is_found_and_the_first_missing_event_named(
    keyed: JourneyStore, three: Path
) -> None:
    t = keyed.tables
    e, j = t.events, t.journeys
    with keyed.engine.begin() as conn:
        head = conn.execute(select(e.c.hash).where(e.c.case_ref == "AN-1", e.c.seq == 1))
        conn.execute(delete(e).where(e.c.case_ref == "AN-1", e.c.seq >= 2))
        conn.execute(
            update(j)
            .where(j.c.case_ref == "AN-1")
            .values(head_hash=head.scalar_one(), event_count=2)
        )
    [(case_ref, event, message)] = findings(keyed, three)
    assert (case_ref, event) == ("AN-1", 2)
    assert "events 2 to 3 were removed" in message


def test_a_journey_rewritten_with_the_key_is_found(keyed: JourneyStore, three: Path) -> None:
    e = keyed.tables.events
    with keyed.engine.begin() as conn:
        conn.execute(update(e).where(e.c.case_ref == "AN-3", e.c.seq == 2).values(agency="x"))
    forge(keyed, "AN-3", secret=K1.secret, start=2)  # someone holding the key
    assert len(keyed.verify("AN-3")) == 4  # the chain alone cannot tell
    [(case_ref, event, message)] = findings(keyed, three)
    assert (case_ref, event) == ("AN-3", 3)
    assert "rewritten since the anchor" in message


def test_what_was_added_since_the_anchor_is_fine(keyed: JourneyStore, three: Path) -> None:
    keyed.handoff("AN-1", "reconsider", by="council", at=MONDAY + timedelta(days=1))
    journey(keyed, "AN-4")
    assert findings(keyed, three) == []


def test_an_altered_anchor_is_refused(keyed: JourneyStore, three: Path) -> None:
    data = json.loads(three.read_text())
    data["journeys"] = [row for row in data["journeys"] if row[0] != "AN-2"]
    data["journey_count"] = 2
    three.write_text(json.dumps(data))
    with pytest.raises(AuditKeyError, match="signature does not match"):
        read_anchor(three, KEYS)
    other = AuditKeys([AuditKey("k1", b"another secret under the same id, long")])
    with pytest.raises(AuditKeyError, match="signature does not match"):
        read_anchor(anchored(keyed, three.parent), other)


def test_an_anchor_needs_a_key(database: Database, compiled: CompiledPathway) -> None:
    with (
        JourneyStore(database.url, pathways=[compiled], prefix=database.prefix) as unkeyed,
        pytest.raises(AuditKeyError, match="signed with the audit key"),
    ):
        write_anchor(unkeyed, "never-written.json")


def test_the_command_line_anchor_and_verify(
    keyed: JourneyStore,
    database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for case_ref in ("AN-1", "AN-2"):
        journey(keyed, case_ref)
    keys = tmp_path / "keys"
    keys.write_text(f"# audit keys\nk1 {K1.secret.decode()}\n")
    anchor = tmp_path / "anchor.json"
    db = [database.url, "--prefix", database.prefix]
    assert main(["db", "anchor", *db, "--audit-key-file", str(keys), "-o", str(anchor)]) == 0
    assert "2 journey(s), signed with key k1" in capsys.readouterr().err
    monkeypatch.setenv("PATHWAYS_AUDIT_KEY_FILE", str(keys))
    assert main(["db", "verify", *db, "--anchor", str(anchor)]) == 0
    out = capsys.readouterr().out
    assert "ok: 2 journey(s) verified with audit keys k1 and against the anchor" in out
    delete_journey(keyed, "AN-2")
    assert main(["db", "verify", *db, "--anchor", str(anchor)]) == 1
    out = capsys.readouterr().out
    assert "AN-2: deleted since the anchor" in out
    assert "1 problem(s) in 1 journey(s)" in out
    monkeypatch.delenv("PATHWAYS_AUDIT_KEY_FILE")
    assert main(["db", "verify", *db, "-q"]) == 1  # keyed journeys cannot be checked without it
    captured = capsys.readouterr()
    assert "NOT protected against anyone with access to the database" in captured.err
    assert "AN-1: cannot be verified" in captured.out
