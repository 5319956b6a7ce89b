"""Pathway versions in the store (`pathways.store.versions`): a changed definition may not take an
old version's name, and a journey on a version the store was not given is compiled from the
definition it stored.
"""

from __future__ import annotations

import pytest

from pathways.errors import (
    StoreError,
)
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import start
from pathways.store import JourneyStore
from store.helpers import (
    CHILD,
    MONDAY,
    Database,
    compiled_v1,
)


def test_registering_a_changed_definition_under_an_old_version_is_refused(
    store: JourneyStore,
) -> None:
    changed = compiled_v1().pathway.model_copy(update={"title": "Another title"})
    with pytest.raises(StoreError, match="different definition"):
        store.register(changed)


def test_a_journey_on_an_unlisted_version_is_compiled_from_its_stored_definition(
    database: Database, compiled: CompiledPathway
) -> None:
    with JourneyStore(database.url, pathways=[compiled], prefix=database.prefix) as first:
        first.create("ST-1", CHILD, at=MONDAY, by="council")
    with JourneyStore(database.url, prefix=database.prefix) as second:
        loaded = second.load("ST-1")
        assert loaded.compiled.fingerprint == compiled.fingerprint
        assert loaded == start(compiled, "ST-1", CHILD, MONDAY, "council")
