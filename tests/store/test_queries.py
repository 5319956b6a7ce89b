"""Finding journeys (`pathways.store.queries`): a page at a time."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from pathways.store import JourneyStore
from store.helpers import (
    ADULT,
    CHILD,
    MONDAY,
)


def test_queries_find_journeys_a_page_at_a_time(store: JourneyStore) -> None:
    day = timedelta(days=1)
    store.create("Q-1", ADULT, at=MONDAY, by="council")
    store.create("Q-2", CHILD, at=MONDAY + day, by="council")
    store.handoff("Q-2", "refer-to-nrm", by="council", at=MONDAY + day, shares=["account"])
    store.create("Q-3", ADULT, at=MONDAY + 2 * day, by="council")
    store.handoff("Q-3", "notify", by="council", at=MONDAY + 3 * day)
    store.create("Q-4", ADULT, at=MONDAY + 2 * day, by="constabulary")
    store.handoff("Q-4", "assess", by="constabulary", at=MONDAY + 2 * day)
    for n in range(5, 10):
        store.create(f"Q-{n}", ADULT, at=MONDAY + 10 * day, by="council")

    assert store.at_stage("nrm-referral").case_refs == ("Q-2",)
    assert store.at_stage("crime-recorded").case_refs == ("Q-2",)
    assert store.at_stage("assessment").case_refs == ("Q-4",)
    assert store.owned_by("charity").case_refs == ()
    assert store.owned_by("constabulary").case_refs == tuple(
        f"Q-{n}" for n in (1, 2, 5, 6, 7, 8, 9)
    )
    assert store.owned_by("council", limit=3).case_refs == ("Q-1", "Q-2", "Q-4")
    overdue = store.overdue(MONDAY + 5 * day)
    assert overdue.case_refs == ("Q-1",)  # Q-4's five working days have not run out
    assert store.overdue(MONDAY + 12 * day).case_refs == ("Q-1", "Q-2", "Q-4")
    assert len(store.in_area("Storeshire", limit=1000).items) == 9
    assert store.in_area("Elsewhere").items == ()
    opened = store.opened_between(MONDAY + day, MONDAY + 3 * day)
    assert opened.case_refs == ("Q-2", "Q-3", "Q-4")
    closed = store.closed_between(MONDAY, MONDAY + 10 * day)
    assert closed.case_refs == ("Q-3",)
    assert closed.items[0].closed_at == (MONDAY + 3 * day).astimezone(UTC)
    assert store.find(open_only=True, stage="identified").case_refs[:2] == ("Q-1", "Q-5")
    assert store.timeouts_due(MONDAY + 30 * day).case_refs == ("Q-2",)

    seen: list[str] = []
    page = store.find(limit=2)
    while True:
        seen += page.case_refs
        assert len(page.items) <= 2
        if page.next is None:
            break
        page = store.find(limit=2, after=page.next)
    assert seen == sorted(f"Q-{n}" for n in range(1, 10))
    with pytest.raises(ValueError, match="limit"):
        store.find(limit=0)
