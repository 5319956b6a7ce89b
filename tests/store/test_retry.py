"""Retrying a change that met a concurrent update (`pathways.store.retry`): it reloads and succeeds,
or gives up after the last attempt.
"""

from __future__ import annotations

import pytest

from pathways.errors import (
    ConcurrentUpdate,
)
from pathways.store import JourneyStore, retry
from pathways.store.journey_store import Applied
from store.helpers import (
    ADULT,
    MONDAY,
)


def test_retry_reloads_and_succeeds(store: JourneyStore) -> None:
    store.create("ST-1", ADULT, at=MONDAY, by="council")
    attempts = []

    def work() -> Applied:
        draft = store.draft("ST-1")
        if not attempts:  # someone else gets in between the first read and its save
            store.handoff("ST-1", "assess", by="council", at=MONDAY)
        attempts.append(draft.revision)
        stage = draft.journey.stage
        draft.journey.handoff("assess" if stage == "identified" else "reconsider", by="council",
                              at=MONDAY)  # fmt: skip
        return store.save(draft)

    applied = retry(work, attempts=3, sleep=lambda _: None)
    assert attempts == [1, 2]
    assert applied.revision == 3
    assert [e.trigger for e in store.events("ST-1")] == [None, "assess", "reconsider"]


def test_retry_gives_up_after_the_last_attempt() -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise ConcurrentUpdate("lost again")

    with pytest.raises(ConcurrentUpdate):
        retry(work, attempts=3, sleep=lambda _: None)
    assert len(calls) == 3
    with pytest.raises(ValueError, match="attempts"):
        retry(work, attempts=0)
