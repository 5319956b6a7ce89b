"""The keyed audit chain: what someone with the database but not the key cannot do unseen.

Each tamper test edits the stored record as a database administrator could, then recomputes
the chain without the key (plain SHA-256, or a key of their own) so that it is consistent, and
checks that verifying with the key names the journey and the event.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from pathways.cli import main
from pathways.errors import AuditFailure, AuditKeyError
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import utc_text
from pathways.store import AuditKey, AuditKeys, JourneyStore, audit, check_database, rekey
from pathways.store.rebuild import UNPROTECTED
from store.forge import forge
from store.helpers import CHILD, MONDAY, Database

K1 = AuditKey("k1", b"first-secret-key-long-enough-to-use-ok-01")
K2 = AuditKey("k2", b"second-secret-key-long-enough-to-use-too-2")
THEIRS = b"a key the forger made up, as long as ours"


@pytest.fixture
def keyed(database: Database, compiled: CompiledPathway) -> Iterator[JourneyStore]:
    with JourneyStore(
        database.url, pathways=[compiled], prefix=database.prefix, audit_key=K1
    ) as opened:
        yield opened


def journey(store: JourneyStore, case_ref: str = "KA-1") -> None:
    """A journey of five events (0 to 4), all recorded by the council."""
    store.create(case_ref, CHILD, at=MONDAY, by="council", staff="sw-1")
    for hours, trigger in enumerate(["assess", "reconsider", "assess", "refer-to-nrm"], 1):
        store.handoff(case_ref, trigger, by="council", at=MONDAY + timedelta(hours=hours))


def edit(store: JourneyStore, case_ref: str, seq: int, **values: Any) -> None:
    e = store.tables.events
    with store.engine.begin() as conn:
        conn.execute(update(e).where(e.c.case_ref == case_ref, e.c.seq == seq).values(values))


def failure(store: JourneyStore, case_ref: str) -> AuditFailure:
    with pytest.raises(AuditFailure) as caught:
        store.verify(case_ref)
    return caught.value


def test_a_keyed_journey_verifies_with_its_key_only(
    keyed: JourneyStore, database: Database
) -> None:
    journey(keyed)
    assert len(keyed.verify("KA-1")) == 5
    assert check_database(keyed) == []
    impostor = AuditKey("k1", b"the same id, another secret, long enough")
    with JourneyStore(database.url, prefix=database.prefix, audit_key=impostor) as other:
        assert failure(other, "KA-1").event == 0
    with (
        JourneyStore(database.url, prefix=database.prefix, read_only=True) as unkeyed,
        pytest.raises(AuditKeyError, match="signed with audit key k1"),
    ):
        unkeyed.verify("KA-1")


@pytest.mark.parametrize("secret", [None, THEIRS], ids=["plain-sha256", "their-own-key"])
def test_swapping_an_agency_is_caught_whatever_chain_is_recomputed(
    keyed: JourneyStore, secret: bytes | None
) -> None:
    journey(keyed)
    edit(keyed, "KA-1", 2, agency="constabulary")
    forge(keyed, "KA-1", secret=secret, start=2)
    found = failure(keyed, "KA-1")
    assert (found.journey, found.event) == ("KA-1", 2)
    assert "event 2 was edited" in str(found)


@pytest.mark.parametrize("secret", [None, THEIRS], ids=["plain-sha256", "their-own-key"])
def test_back_dating_an_event_is_caught(keyed: JourneyStore, secret: bytes | None) -> None:
    journey(keyed)
    edit(keyed, "KA-1", 3, at=MONDAY + timedelta(hours=2, minutes=30))
    forge(keyed, "KA-1", secret=secret, start=3)
    found = failure(keyed, "KA-1")
    assert (found.journey, found.event) == ("KA-1", 3)
    [finding] = check_database(keyed)
    assert (finding.case_ref, finding.event) == ("KA-1", 3)


def test_hiding_late_recording_is_caught(keyed: JourneyStore) -> None:
    journey(keyed)
    edit(keyed, "KA-1", 1, recorded_at=MONDAY + timedelta(hours=1))
    forge(keyed, "KA-1", secret=None, start=1)
    assert failure(keyed, "KA-1").event == 1


@pytest.mark.parametrize("secret", [None, THEIRS], ids=["plain-sha256", "their-own-key"])
def test_recomputing_the_whole_chain_without_the_key_is_caught(
    keyed: JourneyStore, secret: bytes | None
) -> None:
    journey(keyed)
    edit(keyed, "KA-1", 0, agency="constabulary")
    forge(keyed, "KA-1", secret=secret)
    # Every link was remade, so the first link that fails is the first: the key change that
    # says the chain is signed with k1.
    found = failure(keyed, "KA-1")
    assert (found.journey, found.event) == ("KA-1", 0)


def test_rewriting_a_journey_as_unkeyed_is_reported(keyed: JourneyStore) -> None:
    journey(keyed)
    journey(keyed, "KA-2")
    edit(keyed, "KA-1", 2, agency="constabulary")
    forge(keyed, "KA-1", secret=None, strip=True)  # as if written before keys were used
    [finding] = check_database(keyed)
    assert (finding.case_ref, finding.event, finding.message) == ("KA-1", 0, UNPROTECTED)
    assert "NOT protected" in finding.message


def test_deleting_the_last_event_is_caught_by_the_journey_row(keyed: JourneyStore) -> None:
    journey(keyed)
    e = keyed.tables.events
    with keyed.engine.begin() as conn:
        conn.execute(e.delete().where(e.c.case_ref == "KA-1", e.c.seq == 4))
    assert failure(keyed, "KA-1").event == 4


def test_each_write_path_signs_with_the_key(
    keyed: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = MONDAY + timedelta(days=1)
    for case_ref in ("FAST-1", "LOCKED-1"):
        if case_ref == "LOCKED-1":
            monkeypatch.setattr(keyed, "fast", None)
        journey(keyed, case_ref)
        draft = keyed.draft(case_ref)
        draft.journey.update_profile("consent", "given", by="council", at=later)
        keyed.save(draft)
    monkeypatch.undo()
    assert check_database(keyed) == []
    with keyed.reading() as conn:
        rows = conn.execute(select(keyed.tables.journeys.c.audit_key)).scalars().all()
    assert set(rows) == {"k1"}
    for case_ref in ("FAST-1", "LOCKED-1"):
        edit(keyed, case_ref, 4, agency="constabulary")
        forge(keyed, case_ref, secret=None, start=4)
        assert failure(keyed, case_ref).event == 4


def test_a_new_key_is_recorded_in_the_chain(keyed: JourneyStore, database: Database) -> None:
    journey(keyed)
    both = AuditKeys([K1, K2])
    with JourneyStore(database.url, prefix=database.prefix, audit_key=both) as rotated:
        later = MONDAY + timedelta(days=1)
        rotated.update_profile("KA-1", "consent", "given", by="council", at=later)
        k = rotated.tables.key_changes
        with rotated.reading() as conn:
            changes = conn.execute(select(k.c.seq, k.c.from_key, k.c.to_key).order_by(k.c.number))
            assert [tuple(c) for c in changes] == [(0, None, "k1"), (5, "k1", "k2")]
        assert len(rotated.verify("KA-1")) == 6
        assert check_database(rotated) == []
    # Old keys are kept to verify what they signed: without k1 the record cannot be checked.
    with (
        JourneyStore(database.url, prefix=database.prefix, audit_key=K2) as new_only,
        pytest.raises(AuditKeyError, match="audit key k1 is not among the keys given"),
    ):
        new_only.verify("KA-1")
    # A store with no key refuses to extend a keyed journey, and writes nothing.
    with JourneyStore(database.url, prefix=database.prefix) as unkeyed:
        with pytest.raises(AuditKeyError, match="nothing was written"):
            unkeyed.update_profile(
                "KA-1", "age_group", "adult", by="council", at=MONDAY + timedelta(days=2)
            )
        assert unkeyed.revision("KA-1") == 6


def test_a_forged_key_change_is_caught(keyed: JourneyStore) -> None:
    """Someone without k1 cannot move a journey to a key of their own: the key change entry
    must be MACed with the old key too."""
    journey(keyed)
    k, j = keyed.tables.key_changes, keyed.tables.journeys
    with keyed.reading() as conn:
        head = keyed.row(conn, "KA-1").head_hash
        recorded = conn.execute(select(k.c.recorded_at)).scalar_one()
    record = {"seq": 5, "from": "k1", "to": "k2"}
    entry = audit.key_change_entry("KA-1", record, utc_text(recorded))
    forged = audit.chain_key_change(head, entry, THEIRS, K2.secret)
    with keyed.engine.begin() as conn:
        conn.execute(k.insert().values(case_ref="KA-1", number=1, seq=5, from_key="k1",
                                       to_key="k2", recorded_at=recorded, hash=forged))  # fmt: skip
        conn.execute(j.update().where(j.c.case_ref == "KA-1").values(head_hash=forged,
                                                                      audit_key="k2"))  # fmt: skip
    with JourneyStore(keyed.engine.url, prefix=keyed.tables.prefix, engine=keyed.engine,
                      audit_key=AuditKeys([K1, K2])) as both:  # fmt: skip
        found = failure(both, "KA-1")
    assert (found.journey, found.event) == ("KA-1", 5)
    assert "key change" in str(found)


def test_rekey_moves_every_journey_to_the_current_key(
    keyed: JourneyStore, database: Database
) -> None:
    for case_ref in ("KA-1", "KA-2", "KA-3"):
        journey(keyed, case_ref)
    edit(keyed, "KA-3", 2, agency="constabulary")  # tampered before the rekey
    with JourneyStore(
        database.url, prefix=database.prefix, audit_key=AuditKeys([K1, K2])
    ) as rotated:
        done, refused = rekey(rotated)
        assert done == 2
        assert [(f.case_ref, f.event) for f in refused] == [("KA-3", 2)]  # not signed over
        assert "not re-keyed" in refused[0].message
        assert rekey(rotated)[0] == 0
        assert [f.case_ref for f in check_database(rotated)] == ["KA-3"]
        assert rotated.revision("KA-1") == 5  # a key change is not a change of the journey
        with rotated.reading() as conn:
            assert rotated.row(conn, "KA-1").audit_key == "k2"
        edit(rotated, "KA-2", 1, agency="constabulary")
        forge(rotated, "KA-2", secret=THEIRS, start=1)
        assert failure(rotated, "KA-2").event == 1


def test_pathways_db_verify_names_the_journey_and_event(
    keyed: JourneyStore,
    database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    journey(keyed)
    journey(keyed, "KA-2")
    edit(keyed, "KA-2", 3, at=MONDAY + timedelta(hours=2, minutes=30))  # back-dated
    forge(keyed, "KA-2", secret=None, start=3)
    keys = tmp_path / "keys"
    keys.write_text("k1 " + "0f" * 20 + "\n")  # the wrong key file: k1 with another secret
    db = [database.url, "--prefix", database.prefix]
    assert main(["db", "verify", *db, "-q", "--audit-key-file", str(keys)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("KA-1 event 0: Case KA-1: a key change recorded before the first")
    keys.write_text(f"k1 {K1.secret.decode()}\n")
    assert main(["db", "verify", *db, "-q", "--audit-key-file", str(keys)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "KA-2 event 3: Case KA-2: event 3 was edited or moved: its link does not follow from the "
        "entries before it under the key that signs them",
        "1 problem(s) in 1 journey(s)",
    ]
