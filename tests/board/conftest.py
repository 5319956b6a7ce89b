"""The board report tests' fixtures: a store of journeys planned through the Hull pathway (see
`board.helpers`) and the report of 2021Q3 built from it, made once for the session.
"""

from __future__ import annotations

import pytest

from board.helpers import MADE, Q3, REFS, drive, plan
from pathways.board import BoardReport, build_report
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory, hull: Pathway) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'cases.sqlite3'}"
    with JourneyStore(url, pathways=[compile_pathway(hull)]) as store:
        for journey in plan():
            REFS.append(journey.ref)
            drive(store, hull, journey)
    return url


@pytest.fixture(scope="session")
def report(store_url: str, hull: Pathway) -> BoardReport:
    with JourneyStore(store_url, upgrade=False) as store:
        return build_report(store, [hull], Q3, at=MADE, diagram=False)
