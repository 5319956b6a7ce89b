"""Idempotency keys (`pathways.store.idempotency`): a request with a key is recorded once."""

from __future__ import annotations

import pytest

from pathways.errors import (
    IdempotencyConflict,
)
from pathways.store import JourneyStore
from store.helpers import (
    ADULT,
    MONDAY,
    count,
)


def test_an_idempotency_key_records_a_request_once(store: JourneyStore) -> None:
    journey = store.create("ST-1", ADULT, at=MONDAY, by="council", key="open-1")
    assert store.create("ST-1", ADULT, at=MONDAY, by="council", key="open-1") == journey
    first = store.handoff("ST-1", "assess", by="council", at=MONDAY, key="req-1")
    again = store.handoff("ST-1", "assess", by="council", at=MONDAY, key="req-1")
    assert not first.replayed
    assert again.replayed
    assert again.events == first.events
    assert again.revision == first.revision
    assert count(store, "events", "ST-1") == 2
    with pytest.raises(IdempotencyConflict) as caught:
        store.handoff("ST-1", "reconsider", by="council", at=MONDAY, key="req-1")
    assert caught.value.key == "req-1"
    assert caught.value.journey == "ST-1"
    with pytest.raises(IdempotencyConflict):
        store.create("ST-2", ADULT, at=MONDAY, by="council", key="open-1")
    with pytest.raises(ValueError, match="idempotency key"):
        store.handoff("ST-1", "reconsider", by="council", at=MONDAY, key="not a key")
    assert count(store, "events", "ST-1") == 2
