"""The journey runtime tests' fixture: the test pathway (`runtime.helpers.TEXT`), compiled once
a module.
"""

from __future__ import annotations

import pytest

from pathways.definition.loader import load_text
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from runtime.helpers import TEXT


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(TEXT))
