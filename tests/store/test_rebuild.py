"""Rebuilding journeys: `runtime.apply_event` (shared with `replay`), and `scan`, which checks a
whole database a page at a time (what `pathways db verify` prints, with progress on stderr)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import text

from pathways.cli import main
from pathways.errors import AuditFailure
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import apply_event, replay, start
from pathways.store import JourneyStore, check_database, scan
from store.helpers import ADULT, CHILD, MONDAY, Database

LATER = MONDAY + timedelta(days=30)


def test_apply_event_does_each_kind_of_event_again(compiled: CompiledPathway) -> None:
    journey = start(compiled, "RB-1", ADULT, MONDAY, "council")
    journey.update_profile("consent", "given", by="council", at=MONDAY)
    journey.handoff("assess", by="council", at=MONDAY)
    journey.handoff("refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    journey.tick(LATER)
    assert [e.what for e in journey.history] == [
        "started", "profile", "handoff", "handoff", "timeout",
    ]  # fmt: skip
    again = replay(compiled, "RB-1", journey.history[:1])
    for event in journey.history[1:]:
        assert apply_event(again, event) == event
    assert again == journey


def test_apply_event_names_an_event_that_cannot_have_happened(compiled: CompiledPathway) -> None:
    journey = start(compiled, "RB-2", CHILD, MONDAY, "council")
    handoff = journey.handoff("assess", by="council", at=MONDAY)
    again = start(compiled, "RB-2", CHILD, MONDAY, "council")
    refused = dataclasses.replace(handoff, trigger="notify", to_stage="notified")
    with pytest.raises(AuditFailure, match="event 1 cannot have happened") as caught:
        apply_event(again, refused)
    assert caught.value.event == 1


def test_apply_event_names_an_event_the_pathway_records_otherwise(
    compiled: CompiledPathway,
) -> None:
    journey = start(compiled, "RB-3", CHILD, MONDAY, "council")
    handoff = journey.handoff("assess", by="council", at=MONDAY)
    again = start(compiled, "RB-3", CHILD, MONDAY, "council")
    with pytest.raises(AuditFailure, match="event 1 is not what the pathway records"):
        apply_event(again, dataclasses.replace(handoff, to_stage="nrm-referral"))


def test_scan_checks_a_page_at_a_time_and_reports_progress(store: JourneyStore) -> None:
    for number in range(7):
        store.create(f"RB-{number}", ADULT, at=MONDAY, by="council")
        store.handoff(f"RB-{number}", "assess", by="council", at=MONDAY)
    with store.engine.begin() as conn:
        prefix = store.tables.prefix
        conn.execute(text(f"UPDATE {prefix}positions SET stage = 'identified' "
                          "WHERE case_ref IN ('RB-2', 'RB-5')"))  # fmt: skip
    seen: list[int] = []
    found = scan(store, progress=seen.append, page=3)
    first = next(found)  # a generator: nothing past the first page has been read yet
    assert first.case_ref == "RB-2"
    assert seen == []
    rest = list(found)
    assert [f.case_ref for f in rest] == ["RB-5"]
    assert seen == [3, 6, 7]
    assert check_database(store) == [first, *rest]


def test_db_verify_prints_progress_on_stderr(
    database: Database, store: JourneyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(3):
        store.create(f"RB-{number}", ADULT, at=MONDAY, by="council")
    assert main(["db", "verify", database.url, "--prefix", database.prefix]) == 0
    captured = capsys.readouterr()
    assert "ok: 3 journey(s) verified" in captured.out
    assert "pathways db verify: 3 journey(s) checked" in captured.err
    assert "checked" not in captured.out
