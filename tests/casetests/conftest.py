"""The case-test tests' pathways: the timed one (`casetests.helpers.TIMED`) and the tutorial's
example (a copy in tests/golden/casetests/example/small.yaml), each loaded once a module.
"""

from __future__ import annotations

import pytest

from casetests.helpers import TIMED
from paths import SMALL
from pathways.definition.loader import load, load_text
from pathways.definition.schema import Pathway


@pytest.fixture(scope="module")
def timed() -> Pathway:
    return load_text(TIMED, path="timed.yaml")


@pytest.fixture(scope="module")
def small() -> Pathway:
    return load(SMALL)
