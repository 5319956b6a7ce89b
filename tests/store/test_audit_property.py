"""Property: with the audit key, any single-field edit of any stored event is caught and named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from pathways.errors import AuditFailure
from pathways.store import AuditKey, JourneyStore
from store.helpers import CHILD, MONDAY, compiled_v1

KEY = AuditKey("prop", b"a key for the property test, long enough")
EVENTS = 6

NAMES = st.sampled_from(
    ["council", "constabulary", "charity", "assess", "identified", "assessment", "x", ""]
)
TIMES = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
)
JSON_LISTS = st.lists(st.sampled_from(["account", "address", "police"]), max_size=3)
EDITS: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from(["handoff", "timeout", "profile", "started", "paused"]),
    "at": TIMES,
    "recorded_at": TIMES,
    "agency": NAMES | st.none(),
    "handoff": NAMES | st.none(),
    "from_stage": NAMES | st.none(),
    "to_stage": NAMES | st.none(),
    "shares": JSON_LISTS,
    "started": JSON_LISTS,
    "profile": st.none() | st.fixed_dictionaries({"age_group": st.sampled_from(["child", "x"])}),
    "change": st.none() | st.fixed_dictionaries({"attribute": NAMES, "from": NAMES, "to": NAMES}),
    "extra": st.none() | st.fixed_dictionaries({"staff": st.sampled_from(["sw-1", "sw-2"])}),
}


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JourneyStore]:
    path: Path = tmp_path_factory.mktemp("property") / "store.sqlite3"
    with JourneyStore(f"sqlite:///{path}", pathways=[compiled_v1()], audit_key=KEY) as store:
        store.create("PR-1", CHILD, at=MONDAY, by="council", staff="sw-1")
        t = MONDAY + timedelta(hours=1)
        store.handoff("PR-1", "assess", by="council", at=t)
        t += timedelta(hours=1)
        store.handoff("PR-1", "refer-to-nrm", by="council", at=t, shares=["account"])
        store.update_profile("PR-1", "consent", "given", by="council", at=t + timedelta(hours=1))
        store.tick("PR-1", t + timedelta(days=30))
        store.handoff("PR-1", "support", by="charity", at=t + timedelta(days=31), staff="c-2")
        assert len(store.verify("PR-1")) == EVENTS
        yield store


@settings(max_examples=150, deadline=None)
@given(seq=st.integers(0, EVENTS - 1), data=st.data())
def test_any_single_field_edit_is_caught(keyed: JourneyStore, seq: int, data: Any) -> None:
    column = data.draw(st.sampled_from(sorted(EDITS)), label="column")
    value = data.draw(EDITS[column], label="value")
    e = keyed.tables.events
    where = (e.c.case_ref == "PR-1") & (e.c.seq == seq)
    with keyed.engine.begin() as conn:
        before = conn.execute(select(e.c[column]).where(where)).scalar_one()
    assume(value != before)
    with keyed.engine.begin() as conn:
        conn.execute(update(e).where(where).values({column: value}))
    try:
        with pytest.raises(AuditFailure) as caught:
            keyed.verify("PR-1")
        assert caught.value.journey == "PR-1"
        assert caught.value.event == seq
    finally:
        with keyed.engine.begin() as conn:
            conn.execute(update(e).where(where).values({column: before}))
    assert len(keyed.verify("PR-1")) == EVENTS
