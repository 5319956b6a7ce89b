"""The audit trail: tampering is caught and named; journeys rebuild from their events."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from pathways.cli import main
from pathways.errors import AuditFailure, JourneyError
from pathways.runtime.opening import start
from pathways.store import JourneyStore, check_database, rebuild
from pathways.store.rebuild import check_journey
from store.helpers import (
    ADULT,
    CHILD,
    MONDAY,
    Database,
)

LATER = MONDAY + timedelta(days=30)


def five_events(store: JourneyStore, case_ref: str = "AU-1") -> None:
    """0 started, 1 profile change, 2 assess, 3 refer-to-nrm (shares, starts police), 4 timeout."""
    store.create(case_ref, ADULT, at=MONDAY, by="council")
    store.update_profile(case_ref, "consent", "given", by="council", at=MONDAY)
    store.handoff(case_ref, "assess", by="council", at=MONDAY)
    store.handoff(case_ref, "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    store.tick(case_ref, LATER)


def sql(store: JourneyStore, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement.replace("{p}", store.tables.prefix)))


EDITS = [
    (0, "profile", """'{"age_group": "child", "consent": "declined"}'"""),
    (0, "kind", "'handoff'"),
    (1, "change", """'{"attribute": "consent", "from": "declined", "to": "declined"}'"""),
    (2, "agency", "'constabulary'"),
    (2, "handoff", "'notify'"),
    (2, "from_stage", "'nrm-referral'"),
    (2, "to_stage", "'notified'"),
    (2, "hash", "'" + "0" * 64 + "'"),
    (3, "shares", "'[]'"),
    (3, "started", """'["main"]'"""),
    (4, "agency", "'council'"),
    (4, "kind", "'handoff'"),
    (4, "seq", "9"),
]


@pytest.mark.parametrize(("seq", "column", "value"), EDITS, ids=[f"{s}-{c}" for s, c, _ in EDITS])
def test_editing_any_field_of_an_event_is_caught_and_named(
    store: JourneyStore, seq: int, column: str, value: str
) -> None:
    five_events(store)
    assert len(store.verify("AU-1")) == 5
    sql(store, f"UPDATE {{p}}events SET {column} = {value} WHERE case_ref = 'AU-1' AND seq = {seq}")
    with pytest.raises(AuditFailure) as caught:
        store.verify("AU-1")
    assert (caught.value.journey, caught.value.event) == ("AU-1", seq)


def test_editing_an_event_time_is_caught(database: Database, store: JourneyStore) -> None:
    five_events(store)
    later = "'2025-03-04 09:00:00'" if database.backend == "sqlite" else "'2025-03-04 09:00Z'"
    sql(store, f"UPDATE {{p}}events SET at = {later} WHERE case_ref = 'AU-1' AND seq = 2")
    with pytest.raises(AuditFailure) as caught:
        store.verify("AU-1")
    assert caught.value.event == 2


def test_moving_an_event_to_another_journey_is_caught(store: JourneyStore) -> None:
    five_events(store)
    store.create("AU-2", ADULT, at=MONDAY, by="council")
    sql(store, "UPDATE {p}events SET case_ref = 'AU-2' WHERE case_ref = 'AU-1' AND seq = 3")
    with pytest.raises(AuditFailure) as caught:
        store.verify("AU-1")
    assert caught.value.event == 3
    with pytest.raises(AuditFailure):
        store.verify("AU-2")


@pytest.mark.parametrize("seq", [0, 2, 4])
def test_deleting_an_event_is_caught_and_named(store: JourneyStore, seq: int) -> None:
    five_events(store)
    sql(store, f"DELETE FROM {{p}}events WHERE case_ref = 'AU-1' AND seq = {seq}")
    with pytest.raises(AuditFailure) as caught:
        store.verify("AU-1")
    assert caught.value.event == seq


@pytest.mark.parametrize(("first", "second"), [(1, 2), (2, 3), (3, 4)])
def test_reordering_events_is_caught_and_named(
    store: JourneyStore, first: int, second: int
) -> None:
    five_events(store)
    where = "WHERE case_ref = 'AU-1' AND seq ="
    sql(store, f"UPDATE {{p}}events SET seq = 100 {where} {first}")
    sql(store, f"UPDATE {{p}}events SET seq = {first} {where} {second}")
    sql(store, f"UPDATE {{p}}events SET seq = {second} {where} 100")
    with pytest.raises(AuditFailure) as caught:
        store.verify("AU-1")
    assert caught.value.event == first


def test_rebuilt_journey_equals_the_stored_one(store: JourneyStore) -> None:
    five_events(store)
    assert rebuild(store, "AU-1") == store.load("AU-1")
    assert check_journey(store, "AU-1") == []
    assert check_database(store) == []


def test_a_stored_state_that_differs_from_its_events_is_reported(store: JourneyStore) -> None:
    five_events(store)
    five_events(store, "AU-2")
    sql(
        store,
        "UPDATE {p}positions SET stage = 'supported' WHERE case_ref = 'AU-1' AND track = 'main'",
    )
    sql(store, "UPDATE {p}journeys SET closed = TRUE WHERE case_ref = 'AU-2'")
    findings = check_database(store)
    assert {f.case_ref for f in findings} == {"AU-1", "AU-2"}
    assert any("tracks" in f.message for f in findings if f.case_ref == "AU-1")
    assert any("closed" in f.message for f in findings if f.case_ref == "AU-2")


def test_pathways_db_verify_reports_every_problem(
    database: Database, store: JourneyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    five_events(store)
    five_events(store, "AU-2")
    args = ["db", "verify", database.url, "--prefix", database.prefix]
    assert main(args) == 0
    assert "2 journey(s) verified" in capsys.readouterr().out
    sql(store, "DELETE FROM {p}events WHERE case_ref = 'AU-2' AND seq = 4")
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "AU-2 event 4:" in out
    assert "1 problem(s) in 1 journey(s)" in out


# For any sequence of operations the runtime accepts, what the store keeps is what the events
# make, and the chain verifies.

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["handoff", "profile", "tick"]),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=4),
    ),
    max_size=8,
)
_cases = itertools.count()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(profile=st.sampled_from([ADULT, CHILD]), operations=OPERATIONS)
def test_the_store_keeps_what_the_events_make(
    store: JourneyStore, profile: dict[str, str], operations: list[tuple[str, int, int]]
) -> None:
    case_ref = f"HY-{next(_cases)}"
    agencies = ["council", "constabulary", "charity"]
    at = MONDAY
    mirror = start(store.compiled(store.versions.choose(None).fingerprint), case_ref, profile, at,
                   "council")  # fmt: skip
    store.create(case_ref, profile, at=at, by="council")
    for what, pick, days in operations:
        at += timedelta(days=days)
        if mirror.closed:
            break
        if what == "tick":
            mirror.tick(at)
            store.tick(case_ref, at)
            continue
        if what == "profile":
            attribute, value = ("consent", "given") if pick % 2 else ("age_group", "adult")
            try:
                mirror.update_profile(attribute, value, by="council", at=at)
            except JourneyError:
                continue
            store.update_profile(case_ref, attribute, value, by="council", at=at)
            continue
        agency = agencies[pick % 3]
        options = [o for o in mirror.available(by=agency) if o.open]
        if not options:
            continue
        option = options[pick % len(options)]
        mirror.handoff(option.trigger, by=agency, at=at, shares=option.shares)
        store.handoff(case_ref, option.trigger, by=agency, at=at, shares=option.shares)
    assert store.load(case_ref) == mirror
    assert store.verify(case_ref) == mirror.history
    assert check_journey(store, case_ref) == []


@pytest.mark.parametrize(
    "event",
    [
        {
            "seq": 0,
            "what": "started",
            "at": "2025-03-03T09:00:00+00:00",
            "by": "council",
            "trigger": None,
            "from": None,
            "to": "identified",
            "shares": [],
            "started": ["main"],
            "profile": {"consent": "given", "age_group": "adult"},
            "change": None,
        },
        {
            "seq": 7,
            "what": "profile",
            "at": "2025-03-03T09:00:00+00:00",
            "by": "café-ñ",
            "trigger": None,
            "from": None,
            "to": None,
            "shares": ["b", "a"],
            "started": [],
            "profile": None,
            "change": {"attribute": "consent", "from": "declined", "to": "given"},
        },
    ],
)
def test_the_event_hash_is_the_documented_canonical_json(event: dict[str, Any]) -> None:
    from pathways.store import audit

    case_ref = "HU-ü/1"
    expected = hashlib.sha256(
        b"0" * 64
        + json.dumps(
            {"case_ref": case_ref, "event": event},
            sort_keys=True, separators=(",", ":"), ensure_ascii=False,
        ).encode("utf-8")
    ).hexdigest()  # fmt: skip
    assert audit.chain_event(audit.GENESIS, case_ref, event) == expected
    assert audit.chain(audit.GENESIS, audit.event_entry(case_ref, event)) == expected
