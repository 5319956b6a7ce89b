"""The diagram tests' shared fixture: the tutorial's example pathway, loaded once a module."""

from __future__ import annotations

import pytest

from paths import tutorial_example
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway


@pytest.fixture(scope="module")
def small() -> Pathway:
    return load_text(tutorial_example(), path="example/small.yaml")
