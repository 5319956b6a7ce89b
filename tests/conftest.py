"""Fixtures for the whole test suite; each folder's own are in its `conftest.py`.

Plain constants (where the repository's files are) live in `tests/paths.py`, because a test
module cannot import from a conftest file.
"""

from __future__ import annotations

import pytest

from paths import HULL
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway


@pytest.fixture(scope="session")
def hull() -> Pathway:
    """The bundled Hull pathway, loaded once for the session (tests only read it)."""
    return Library().load(HULL)
