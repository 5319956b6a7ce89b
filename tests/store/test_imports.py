"""Whole journeys stored at once (`pathways.store.imports`), on SQLite and PostgreSQL: each
stored as the store's own changes would have stored it, and all of them or none."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pathways.errors import DuplicateJourney
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start
from pathways.store import JourneyStore
from pathways.store.imports import store_all, stored_already

AT = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))
ADULT = {"age_group": "adult", "consent": "given"}


def _moved(compiled: CompiledPathway, ref: str) -> Journey:
    journey = start(compiled, ref, ADULT, AT, "council")
    journey.handoff("assess", by="council", at=AT + timedelta(hours=1))
    journey.handoff("refer-to-nrm", by="council", at=AT + timedelta(days=1), shares=["account"])
    return journey


def test_imported_journeys_load_verify_and_change_like_any_other(
    store: JourneyStore, compiled: CompiledPathway
) -> None:
    journeys = [_moved(compiled, f"IM-{n}") for n in range(3)]
    assert store_all(store, journeys) == 3
    for journey in journeys:
        loaded = store.load(journey.case_ref)
        assert loaded.history == journey.history
        assert loaded.positions == journey.positions
        assert store.verify(journey.case_ref) == journey.history
    applied = store.tick("IM-0", AT + timedelta(days=60))  # the investigation times out
    assert [e.trigger for e in applied.events] == ["close-investigation"]
    assert applied.revision == 2
    assert stored_already(store, ["IM-2", "IM-9", "IM-0"]) == ("IM-2", "IM-0")


def test_one_case_stored_already_stores_none(
    store: JourneyStore, compiled: CompiledPathway
) -> None:
    store.create("IM-1", ADULT, at=AT, by="council")
    with pytest.raises(DuplicateJourney, match="IM-1"):
        store_all(store, [_moved(compiled, "IM-0"), _moved(compiled, "IM-1")])
    assert stored_already(store, ["IM-0", "IM-1"]) == ("IM-1",)
    assert len(store.load("IM-1").history) == 1
