"""Case tests: victims' journeys written in the forum's own terms, run through the real runtime.

A case-test file (`<pathway>.tests.yaml`, beside the pathway) lists cases: a victim's profile,
who found them, optionally the route to take, and what should happen (see
docs/testing-a-pathway.md). `load_cases` reads and checks a file; `run_suite` follows every
case's routes with `pathways.runtime.opening` and judges its expectations; `format_outcome` says
what
happened in plain words. `pathways test` and the pytest plugin (`pathways.pytest_plugin`) are
thin layers over these.

Not to be confused with `pathways.simulation`, whose *scenario* files describe arrivals and
capacity for the simulator.
"""

from __future__ import annotations

import os

from pathways.casetests.cases import Case, CaseFile, Expect, Step
from pathways.casetests.expect import Outcome, judge
from pathways.casetests.loading import (
    SUFFIX,
    CaseSuite,
    find_case_files,
    load_cases,
    load_cases_text,
)
from pathways.casetests.routes import Exploration, Run, explore
from pathways.casetests.verdicts import describe_route, format_outcome, format_summary
from pathways.definition.loader import Library

__all__ = [
    "SUFFIX",
    "Case",
    "CaseFile",
    "CaseSuite",
    "Expect",
    "Exploration",
    "Outcome",
    "Run",
    "Step",
    "describe_route",
    "explore",
    "find_case_files",
    "format_outcome",
    "format_summary",
    "judge",
    "load_cases",
    "load_cases_text",
    "run_case",
    "run_file",
    "run_suite",
]


def run_case(suite: CaseSuite, name: str) -> Outcome:
    """Follow case `name` of `suite` through its pathway and judge it."""
    case = suite.cases[name]
    return judge(name, case, explore(suite.pathway, case))


def run_suite(suite: CaseSuite) -> list[Outcome]:
    """Every case of `suite`, in the order written."""
    return [run_case(suite, name) for name in suite.cases]


def run_file(
    file: str | os.PathLike[str], library: Library | None = None
) -> tuple[CaseSuite, list[Outcome]]:
    """Load a case-test file and run every case; raises `DefinitionError` if the file is wrong."""
    suite = load_cases(file, library)
    return suite, run_suite(suite)
